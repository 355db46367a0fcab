#!/usr/bin/env python3
"""Execute every code cell of a notebook, in order, in one namespace, as Jupyter would.

    python3 notebooks/run_notebook.py notebooks/theorem22.ipynb --sweep-dir DIR --figures OUT [--export EXPORT]

Needs pandas and matplotlib only (no Jupyter): the .ipynb is read with the json module, MPLBACKEND is
set to Agg, STDP_SWEEP_DIR to DIR (the notebook reads it), the working directory is the notebook's.
A cell whose last statement is an expression has its value printed (Jupyter would display it).
After each cell, every open matplotlib figure is saved as OUT/cellNN-figM.png and closed;
OUT/figures.json lists them (cell, file, visible axes, axes with nothing drawn, decades spanned by
each log axis).
On an exception: the cell index, its source and the traceback on stderr, exit status 1.

--export: the one substitution. pandas.read_parquet is replaced by a shim that reads the tables
DuckDB exported from DIR's Parquet files (for Debian, which has pandas but neither pyarrow nor
fastparquet; sweep-driver ParquetReadersTest writes the export). EXPORT/schema.json gives, per table,
the JSONL file, the row count and the DuckDB columns (name, type, whether a hive partition column);
the shim rebuilds the dtypes pyarrow's to_pandas() would give (see read_parquet_shim). Without
--export the real pandas.read_parquet runs (pyarrow needed).
"""
import argparse
import ast
import json
import os
import sys
import time
import traceback

os.environ["MPLBACKEND"] = "Agg"

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import matplotlib  # noqa: E402

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

INTS = {"TINYINT": np.int8, "SMALLINT": np.int16, "INTEGER": np.int32, "BIGINT": np.int64}
FLOATS = {"FLOAT": np.float32, "DOUBLE": np.float64}


def column(values, duck_type, where):
    """A column as pyarrow's to_pandas() gives it, from JSON values (None = null; NaN/Infinity kept).

    DOUBLE, FLOAT -> float64/float32, null -> NaN; TINYINT..BIGINT -> int8..int64, or float64 with
    NaN when a null is present; BOOLEAN -> bool, or object (True/False/None) when a null is present;
    VARCHAR -> object (str/None); T[] -> object, each row a numpy array of T (or None).
    """
    if duck_type.endswith("[]"):
        out = np.empty(len(values), dtype=object)
        for i, v in enumerate(values):
            out[i] = None if v is None else column(v, duck_type[:-2], where)
        return out
    nulls = any(v is None for v in values)
    if duck_type in FLOATS:
        return np.array([np.nan if v is None else v for v in values], dtype=FLOATS[duck_type])
    if duck_type in INTS:
        if nulls:
            return np.array([np.nan if v is None else v for v in values], dtype=np.float64)
        return np.array(values, dtype=INTS[duck_type])
    if duck_type == "BOOLEAN":
        if any(v is not None and not isinstance(v, bool) for v in values):
            raise TypeError(f"{where}: non-boolean value in a BOOLEAN column")
        return np.array(values, dtype=object if nulls else bool)
    if duck_type == "VARCHAR":
        if any(v is not None and not isinstance(v, str) for v in values):
            raise TypeError(f"{where}: non-string value in a VARCHAR column")
        out = np.empty(len(values), dtype=object)
        out[:] = values
        return out
    raise TypeError(f"{where}: DuckDB type {duck_type} is not supported by the read_parquet shim")


def make_shim(sweep_dir, export_dir):
    with open(os.path.join(export_dir, "schema.json"), encoding="utf-8") as f:
        schema = json.load(f)
    root = os.path.realpath(sweep_dir)

    def read_parquet_shim(path, columns=None, **kwargs):
        """pandas.read_parquet(DIR/TABLE[, columns=[...]]) from EXPORT/TABLE's DuckDB export.

        Hive partition columns come back as categories, as with pyarrow; unknown columns raise
        KeyError and other keyword arguments TypeError, rather than being ignored.
        """
        if kwargs:
            raise TypeError(f"read_parquet shim: unsupported arguments {sorted(kwargs)}")
        real = os.path.realpath(os.fspath(path))
        table = os.path.basename(real)
        if os.path.dirname(real) != root or table not in schema:
            raise FileNotFoundError(f"read_parquet shim: {path} is not one of the exported tables "
                                    f"{sorted(schema)} of {sweep_dir}")
        t = schema[table]
        types = {c["name"]: c for c in t["columns"]}
        names = [c["name"] for c in t["columns"]] if columns is None else list(columns)
        missing = [n for n in names if n not in types]
        if missing:
            raise KeyError(f"read_parquet shim: {table} has no column {missing} (it has {list(types)})")
        raw = {n: [] for n in names}
        rows = 0
        with open(os.path.join(export_dir, t["file"]), encoding="utf-8") as f:
            for line in f:
                rec = json.loads(line)  # accepts DuckDB's NaN, Infinity, -Infinity
                for n in names:
                    raw[n].append(rec[n])
                rows += 1
        if rows != t["rows"]:
            raise ValueError(f"read_parquet shim: {t['file']} has {rows} rows, DuckDB counted {t['rows']}")
        data = {}
        for n in names:
            values = column(raw[n], types[n]["type"], f"{table}.{n}")
            data[n] = pd.Categorical(values) if types[n]["partition"] else values
        return pd.DataFrame(data, columns=names)

    return read_parquet_shim


def nonempty(ax):
    """Whether the axes show data: an image, a patch collection, a line or text with finite content."""
    if ax.images:
        return True
    for c in ax.collections:
        if len(c.get_paths()) or len(c.get_offsets()):
            return True
    for line in ax.lines:
        x, y = (np.asarray(v, dtype=float) for v in line.get_data())
        if np.any(np.isfinite(x) & np.isfinite(y)):
            return True
    return bool(ax.patches) or bool(ax.texts)


def decades_between(lo, hi):
    """log10(hi / lo); 1e6 (strict JSON has no Infinity) when lo is not positive or hi not finite."""
    return float(np.log10(hi / lo)) if 0 < lo <= hi < np.inf else 1e6


def save_figures(index, out, manifest):
    for m, num in enumerate(plt.get_fignums(), start=1):
        fig = plt.figure(num)
        name = f"cell{index:02d}-fig{m}.png"
        fig.savefig(os.path.join(out, name), dpi=60)
        visible = [ax for ax in fig.axes if ax.get_visible() and ax.axison]
        decades = [decades_between(lo, hi) for ax in visible
                   for scale, (lo, hi) in ((ax.get_xscale(), sorted(ax.get_xlim())),
                                           (ax.get_yscale(), sorted(ax.get_ylim()))) if scale == "log"]
        manifest.append({"cell": index, "file": name, "axes": len(visible),
                         "empty_axes": [i for i, ax in enumerate(visible) if not nonempty(ax)],
                         "log_axis_decades": decades})
    plt.close("all")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("notebook")
    ap.add_argument("--sweep-dir", required=True)
    ap.add_argument("--figures", required=True)
    ap.add_argument("--export")
    a = ap.parse_args()
    notebook = os.path.abspath(a.notebook)
    sweep_dir = os.path.abspath(a.sweep_dir)
    out = os.path.abspath(a.figures)
    os.makedirs(out, exist_ok=True)
    os.environ["STDP_SWEEP_DIR"] = sweep_dir
    if a.export:
        pd.read_parquet = make_shim(sweep_dir, os.path.abspath(a.export))
        print("pandas.read_parquet -> DuckDB export in", os.path.abspath(a.export), flush=True)
    with open(notebook, encoding="utf-8") as f:
        nb = json.load(f)
    os.chdir(os.path.dirname(notebook))
    namespace = {"__name__": "__main__"}
    manifest = []
    for index, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code":
            continue
        src = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        t0 = time.monotonic()
        print(f"--- cell {index}", flush=True)
        try:
            tree = ast.parse(src, filename=f"<cell {index}>")
            last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
            exec(compile(tree, f"<cell {index}>", "exec"), namespace)
            if last is not None:
                value = eval(compile(ast.Expression(last.value), f"<cell {index}>", "eval"), namespace)
                if value is not None:
                    print(repr(value))
            save_figures(index, out, manifest)
        except BaseException:
            sys.stdout.flush()
            print(f"notebook {a.notebook}: code cell {index} failed\n--- source of cell {index}:\n{src}\n"
                  f"--- traceback:", file=sys.stderr)
            traceback.print_exc()
            return 1
        print(f"--- cell {index}: {time.monotonic() - t0:.2f} s", flush=True)
    with open(os.path.join(out, "figures.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=1, allow_nan=False)
    print(f"all code cells ran; {len(manifest)} figures in {out}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
