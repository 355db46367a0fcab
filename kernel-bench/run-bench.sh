#!/bin/bash
# Runs the kernel benchmarks and the NumPy peer back to back on one core, and tabulates the
# ratios (docs/performance.md). It builds the benchmark jar first.
# usage: kernel-bench/run-bench.sh [output dir, default kernel-bench/target/bench] [extra JMH args]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-kernel-bench/target/bench}
shift || true
mkdir -p "$out"
mvn -B -q -pl sim-kernel,kernel-bench -am package -DskipTests
# The peer lives beside the checkout (../shared/peers); PEER overrides.
peer="${PEER:-$(cd .. && pwd)/shared/peers/numpy_reduced.py}"
numpy() { OMP_NUM_THREADS=1 python3 "$peer" --d 10 --seeds 1000 --K 2000; }
: > "$out/numpy.txt"
numpy >> "$out/numpy.txt"; numpy >> "$out/numpy.txt"
# Best-of-iterations ratios (ratios.py) resist bursts of foreign load on a shared machine.
java -jar kernel-bench/target/benchmarks.jar -f 1 -wi 3 -i 8 -r 1 \
  -rf json -rff "$out/jmh.json" "$@" | tee "$out/jmh.txt"
numpy >> "$out/numpy.txt"; numpy >> "$out/numpy.txt"
python3 kernel-bench/ratios.py "$out/jmh.json" "$out/numpy.txt" | tee "$out/ratios.md"
# The d = 10 comparison again, kernel and NumPy alternating closely (3 rounds), so that both see
# the same foreign load; ratios are best against best.
: > "$out/peer-numpy.txt"
for round in 1 2 3; do
  numpy >> "$out/peer-numpy.txt"; numpy >> "$out/peer-numpy.txt"
  java -jar kernel-bench/target/benchmarks.jar PeerBench.numpyPeerProblem -f 1 -wi 2 -i 3 -r 1 \
    -rf json -rff "$out/peer-$round.json" > "$out/peer-$round.txt"
done
python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
numpy = [json.loads(l)["seed_iterations_per_s"] for l in open(f"{out}/peer-numpy.txt") if l.startswith("{")]
java = [x for r in (1, 2, 3) for row in json.load(open(f"{out}/peer-{r}.json"))
        for fork in row["primaryMetric"]["rawData"] for x in fork]
print(f"alternating: kernel best {max(java):,.0f} seed-it/s (median {sorted(java)[len(java) // 2]:,.0f}); "
      f"NumPy best {max(numpy):,.0f} (median {sorted(numpy)[len(numpy) // 2]:,.0f}); "
      f"ratio best/best {max(java) / max(numpy):.1f}x, median/median "
      f"{sorted(java)[len(java) // 2] / sorted(numpy)[len(numpy) // 2]:.1f}x")
PY
