#!/usr/bin/env python3
"""Per-job timeline of a sweep from Spark's event log: where the wall time between batches goes.

Record a sweep with Spark's event log on, then read it:

    JAVA_OPTS="-Dspark.eventLog.enabled=true -Dspark.eventLog.dir=file:///tmp/ev" \
        bin/sweep run conf/bench-pipeline.conf --out /tmp/out --master 'local[2]' --no-analysis
    bench/batch-timeline.py /tmp/ev

For every job: when it was submitted (seconds from the first job), the delay to its first task,
when its last task ended, its tasks' summed run time ("task-s") and CPU time ("cpu-s"), and the
gap to the next job's submission (negative when it was submitted before this job ended: the
sweep keeps two batches in flight, so a batch's job waits, "to 1st", behind the previous one's
tasks). The last line compares the slot-seconds of the window (slots x wall) with
the task-seconds: what is left is idle slots (gaps between jobs, the tails of jobs). Task time
that is not CPU time was taken by other threads (the JIT compilers, GC) or other processes.
Event logs compressed with zstd (Spark's default codec) are read through the `zstd` command.
"""
import glob
import json
import os
import subprocess
import sys


def lines(path):
    if path.endswith(".zstd"):
        return subprocess.run(["zstd", "-dc", path], check=True, capture_output=True, text=True).stdout.splitlines()
    with open(path, encoding="utf-8") as f:
        return f.read().splitlines()


def main(root, slots):
    paths = [p for p in glob.glob(os.path.join(root, "**", "*"), recursive=True)
             if os.path.isfile(p) and os.path.basename(p).startswith(("events_", "local-", "app-"))]
    jobs, tasks = {}, {}
    for path in sorted(paths):
        for line in lines(path):
            try:
                e = json.loads(line)
            except ValueError:
                continue
            kind = e.get("Event")
            if kind == "SparkListenerJobStart":
                jobs[e["Job ID"]] = {"start": e["Submission Time"], "stages": e["Stage IDs"],
                                     "desc": e.get("Properties", {}).get("spark.job.description", "")}
            elif kind == "SparkListenerJobEnd":
                jobs[e["Job ID"]]["end"] = e["Completion Time"]
            elif kind == "SparkListenerTaskEnd":
                info, metrics = e["Task Info"], e.get("Task Metrics") or {}
                tasks.setdefault(e["Stage ID"], []).append(
                    (info["Launch Time"], info["Finish Time"], metrics.get("Executor CPU Time", 0) / 1e6))
    if not jobs:
        sys.exit(f"no Spark jobs in an event log under {root}")
    t0 = min(j["start"] for j in jobs.values())
    ids = sorted(jobs)
    busy = 0.0
    print(f"{'job':>4} {'description':28} {'submit':>8} {'to 1st':>7} {'last end':>9} {'tasks':>5} "
          f"{'task-s':>7} {'cpu-s':>7} {'gap':>6}")
    for n, i in enumerate(ids):
        j = jobs[i]
        ts = [t for s in j["stages"] for t in tasks.get(s, [])]
        end = j.get("end", j["start"])
        nxt = jobs[ids[n + 1]]["start"] if n + 1 < len(ids) else end
        run = sum(t[1] - t[0] for t in ts)
        busy += run
        first = min((t[0] for t in ts), default=j["start"])
        last = max((t[1] for t in ts), default=end)
        print(f"{i:4d} {j['desc'][:28]:28} {(j['start'] - t0) / 1e3:8.2f} {(first - j['start']) / 1e3:7.2f} "
              f"{(last - t0) / 1e3:9.2f} {len(ts):5d} {run / 1e3:7.1f} {sum(t[2] for t in ts) / 1e3:7.1f} "
              f"{(nxt - end) / 1e3:6.2f}")
    window = (max(j.get("end", j["start"]) for j in jobs.values()) - t0) / 1e3
    print(f"window {window:.1f} s x {slots} slots = {slots * window:.1f} slot-s; tasks ran {busy / 1e3:.1f} s "
          f"({100 * busy / 1e3 / (slots * window):.1f}%)")


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: batch-timeline.py EVENT_LOG_DIR [SLOTS, default 2]")
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) == 3 else 2)
