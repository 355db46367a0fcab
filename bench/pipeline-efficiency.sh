#!/usr/bin/env bash
# Pipeline efficiency = (coordinate-updates / sweep wall time) / (cores x single-core kernel
# throughput), both measured here in one sitting: JMH's KernelBench.kernel at d = 100, uniform
# noise, then conf/bench-pipeline.conf (the same cell) on local[CORES]. Spark's start-up time
# is reported apart and not counted. JMH runs just before and just after the sweep, and the mean
# of the two is the single-core throughput, so a drift of the shared machine's speed during the
# sitting biases the ratio less (both are printed). Usage: bench/pipeline-efficiency.sh [CORES [REPLICATES]]
# (default 2 cores and the 300 000 replicates of the conf file; more replicates amortise the
# fixed cost of a fresh JVM, mostly JIT compilation of Spark's own code, over a longer sweep).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
cores="${1:-2}"
replicates=()
if [[ -n "${2:-}" ]]; then replicates=(--set "sweep.replicates=$2"); fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mvn -B -q -pl sim-kernel,kernel-bench -am package -DskipTests
# bin/sweep builds the application when its sources are newer; validating first does that build
# now, before the JMH run, instead of between it and the sweep.
bin/sweep validate conf/bench-pipeline.conf > /dev/null
jmh() {
  java -jar kernel-bench/target/benchmarks.jar 'KernelBench.kernel' -p d=100 -p noise=uniform \
      -f 1 -wi 3 -i 5 -rf json -rff "$work/jmh-$1.json" > "$work/jmh-$1.log"
}
jmh before
bin/sweep run conf/bench-pipeline.conf --out "$work/out" --master "local[$cores]" "${replicates[@]}" | tee "$work/sweep.log"
jmh after
python3 - "$work/jmh-before.json" "$work/jmh-after.json" "$work/sweep.log" "$cores" <<'PY'
import json, re, sys
import statistics
before, after = (json.load(open(f))[0]["primaryMetric"] for f in sys.argv[1:3])
iterations = [x for m in (before, after) for fork in m["rawData"] for x in fork]
for name, m in (("before", before), ("after", after)):
    print(f"kernel (JMH, 1 core) {name} the sweep: {m['score']:.3f} +- {m['scoreError']:.3f} ns per coordinate-update")
ns = (before["score"] + after["score"]) / 2
log = open(sys.argv[3]).read()
start = float(re.search(r"started in ([0-9.]+) s", log).group(1))
m = re.search(r"computed (\d+) runs, (\d+) coordinate-updates in ([0-9.]+) s", log)
runs, updates, wall = int(m.group(1)), int(m.group(2)), float(m.group(3))
cores = int(sys.argv[4])
single = 1e9 / ns
eff = (updates / wall) / (cores * single)
print(f"kernel (JMH, 1 core), mean of the two: {ns:.3f} ns per coordinate-update = {single:.3e} updates/s")
print(f"sweep on local[{cores}]: {runs} runs, {updates:.3e} updates in {wall:.1f} s = {updates/wall:.3e} updates/s")
print(f"Spark start-up: {start:.1f} s (not counted)")
print(f"pipeline efficiency: {eff:.3f} (against JMH before alone {(updates / wall) / (cores * 1e9 / before['score']):.3f}, "
      f"after alone {(updates / wall) / (cores * 1e9 / after['score']):.3f})")
# JMH's score is a mean, which a few slow iterations (the shared machine busy) pull up; the median
# of all the iterations is the robust check on it.
median = statistics.median(iterations)
print(f"against the median of JMH's {len(iterations)} iterations ({median:.3f} ns): {(updates / wall) / (cores * 1e9 / median):.3f}")
PY
