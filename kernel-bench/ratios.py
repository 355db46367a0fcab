#!/usr/bin/env python3
"""Tabulates a JMH JSON result of kernel-bench (java -jar benchmarks.jar ... -rf json -rff FILE):
ns per coordinate-update of the kernel and of the random-number floor per (d, noise) and their
ratio, plus the PeerBench results; optionally compares with NumPy peer output lines (JSON with
seed_iterations_per_s, one per line) measured in the same sitting.

On a shared, noisy machine the mean of JMH's iterations is pulled up by bursts of foreign
load, so beside JMH's mean +- error the table gives the best measurement iteration (the
minimum time, or maximum throughput), and the ratios are taken between best iterations.
usage: ratios.py jmh.json [numpy-output.txt]
"""
import json, sys

def best(r):
    raw = [x for fork in r["primaryMetric"]["rawData"] for x in fork]
    return max(raw) if r["mode"] == "thrpt" else min(raw)

def main():
    rows = json.load(open(sys.argv[1]))
    kb, peer = {}, {}
    for r in rows:
        name = r["benchmark"].rsplit(".", 1)[-1]
        m = r["primaryMetric"]
        entry = (m["score"], m["scoreError"], best(r), m["scoreUnit"])
        if "KernelBench" in r["benchmark"]:
            p = r["params"]
            kb.setdefault((int(p["d"]), p["noise"]), {})[name] = entry
        else:
            peer[name] = entry
    print("| d | noise | kernel ns/update, mean ± err | best | floor ns/update, mean ± err | best | kernel / floor (best) | (mean) |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|")
    for (d, noise) in sorted(kb, key=lambda x: (x[1], x[0])):
        k, f = kb[(d, noise)]["kernel"], kb[(d, noise)]["floor"]
        print(f"| {d} | {noise} | {k[0]:.3f} ± {k[1]:.3f} | {k[2]:.3f} | {f[0]:.4f} ± {f[1]:.4f} | {f[2]:.4f} "
              f"| {k[2] / f[2]:.2f} | {k[0] / f[0]:.2f} |")
    for name, (s, e, b, u) in sorted(peer.items()):
        print(f"PeerBench.{name}: {s:,.1f} ± {e:,.1f} {u} (best iteration {b:,.1f})")
    if len(sys.argv) > 2 and "numpyPeerProblem" in peer:
        numpy = [json.loads(l)["seed_iterations_per_s"] for l in open(sys.argv[2]) if l.startswith("{")]
        s, e, b, u = peer["numpyPeerProblem"]
        print(f"NumPy peer seed-iterations/s: {', '.join(f'{x:,.0f}' for x in numpy)} (best {max(numpy):,.0f})")
        print(f"kernel / NumPy: best vs best {b / max(numpy):.1f}x; JMH mean vs NumPy best {s / max(numpy):.1f}x")

if __name__ == "__main__":
    main()
