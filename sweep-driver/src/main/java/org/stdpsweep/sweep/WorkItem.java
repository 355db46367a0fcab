package org.stdpsweep.sweep;

import java.io.Serializable;

/**
 * One unit of work: replicates {@code [firstReplicate, endReplicate)} of one cell. A Java bean
 * so that it travels in a Dataset with {@code Encoders.bean}.
 */
public final class WorkItem implements Serializable {
    private static final long serialVersionUID = 1L;

    private int cell;
    private String cellId;
    private long firstReplicate;
    private long endReplicate;
    private double cost;
    private int bin;

    public WorkItem() {
    }

    WorkItem(int cell, String cellId, long firstReplicate, long endReplicate, double cost) {
        this.cell = cell;
        this.cellId = cellId;
        this.firstReplicate = firstReplicate;
        this.endReplicate = endReplicate;
        this.cost = cost;
    }

    /** @return the cell's index in the sweep's cell list (of this invocation) */
    public int getCell() {
        return cell;
    }

    public void setCell(int cell) {
        this.cell = cell;
    }

    public String getCellId() {
        return cellId;
    }

    public void setCellId(String cellId) {
        this.cellId = cellId;
    }

    public long getFirstReplicate() {
        return firstReplicate;
    }

    public void setFirstReplicate(long firstReplicate) {
        this.firstReplicate = firstReplicate;
    }

    /** @return one past the last replicate */
    public long getEndReplicate() {
        return endReplicate;
    }

    public void setEndReplicate(long endReplicate) {
        this.endReplicate = endReplicate;
    }

    /** @return estimated cost, K x d x replicates coordinate-updates (an upper bound) */
    public double getCost() {
        return cost;
    }

    public void setCost(double cost) {
        this.cost = cost;
    }

    /** @return the partition this item is packed into within its batch */
    public int getBin() {
        return bin;
    }

    public void setBin(int bin) {
        this.bin = bin;
    }

    @Override
    public String toString() {
        return cellId + "[" + firstReplicate + "," + endReplicate + ")";
    }
}
