#!/usr/bin/env bash
# Statistical acceptance of the engine against the independent NumPy peer (issue 4; see
# docs/validation.md). Runs conf/validation.conf and conf/validation-alpha-delta.conf into one
# output directory with bin/sweep, reads DIR/summary (Spark, on the app jar's classpath: no
# pyarrow needed), runs the peer on every summary cell with its own seeds, and prints per cell
# and statistic both estimates, their standard errors and z. Exit status 1 if some |z| >= 4.
# Usage: bench/validate-against-peer.sh [DIR]   (default /tmp/validation-out)
# Environment: PEER (default ../shared/peers/numpy_reduced.py beside the checkout), PEER_SEED (default 20260405;
# the peer's seed for a cell is int(cell_id hex) XOR PEER_SEED), Z_LIMIT (default 4).
# About 2.5 minutes for the engine and 2-3 minutes for the peer on 2 shared cores; the peer runs
# one cell at a time with OMP_NUM_THREADS=1. Re-running with an existing DIR computes nothing
# new on the engine side (bin/sweep only tops up) but re-runs the peer.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out="${1:-/tmp/validation-out}"
peer="${PEER:-$(cd .. && pwd)/shared/peers/numpy_reduced.py}"  # beside the checkout
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

bin/sweep run conf/validation.conf --out "$out" >&2
bin/sweep run conf/validation-alpha-delta.conf --out "$out" >&2

# DIR/summary -> JSON lines, with Spark from the engine's own classpath.
cat > "$work/SummaryJson.java" <<'JAVA'
import org.apache.spark.sql.SparkSession;
public class SummaryJson {
  public static void main(String[] a) {
    SparkSession s = SparkSession.builder().master("local[1]").appName("summary-json")
        .config("spark.ui.enabled", "false").getOrCreate();
    s.sparkContext().setLogLevel("ERROR");
    for (String line : s.read().parquet(a[0]).toJSON().collectAsList()) System.out.println(line);
    s.stop();
  }
}
JAVA
SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}" java \
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED \
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED \
  --add-opens=java.base/java.lang.invoke=ALL-UNNAMED \
  -Dlog4j2.configurationFile="$PWD/conf/log4j2.properties" \
  -cp "sweep-driver/target/stdp-sweep-app.jar:$(cat sweep-driver/target/runtime-classpath.txt)" \
  "$work/SummaryJson.java" "$out/summary" > "$work/ours.jsonl"

OMP_NUM_THREADS=1 python3 - "$work/ours.jsonl" "$peer" "${PEER_SEED:-20260405}" "${Z_LIMIT:-4}" "$out.peer.jsonl" <<'PY'
import json, math, os, subprocess, sys
ours_file, peer, peer_seed, zlim, peer_out = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
ours = [json.loads(l) for l in open(ours_file) if l.strip()]

def z_prop(x1, n1, x2, n2):
    p1, p2 = x1 / n1, x2 / n2
    v = p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2
    if p1 in (0.0, 1.0) or p2 in (0.0, 1.0):          # unpooled SE degenerate: pooled variance
        p = (x1 + x2) / (n1 + n2); v = p * (1 - p) * (1 / n1 + 1 / n2)
    return (p1 - p2) / math.sqrt(v) if v > 0 else 0.0, math.sqrt(p1 * (1 - p1) / n1), math.sqrt(p2 * (1 - p2) / n2)

def z_mean(m1, s1, h1, m2, s2, h2):
    se1, se2 = s1 / math.sqrt(h1), s2 / math.sqrt(h2)
    return (m1 - m2) / math.hypot(se1, se2), se1, se2

rows, zs, peer_rows = [], [], []
for c in ours:
    gamma = {"independent": "equi", "equicorrelated": "equi", "ar1": "ar1"}[c["gamma"]]
    seed = int(c["cell_id"][1:], 16) ^ peer_seed
    args = ["python3", peer, "--alpha", repr(c["alpha"]), "--delta", repr(c["delta"]), "--d", str(c["d"]),
            "--gamma", gamma, "--rho", repr(c["rho"]), "--noise", c["noise"], "--Q", repr(c["q"]),
            "--K", str(c["iterations"]), "--seeds", str(c["seeds"]), "--seed", str(seed)]
    r = json.loads(subprocess.run(args, check=True, capture_output=True, text=True,
                                  env=dict(os.environ, OMP_NUM_THREADS="1")).stdout)
    r.update(cell_id=c["cell_id"], args=args[2:]); peer_rows.append(r)
    n1 = n2 = c["seeds"]
    h2 = round(r["frac_hit"] * n2)
    cell = f'{c["d"]} | {c["gamma"]}:{c["rho"]:g} | {c["noise"]}:{c["q"]:g} | {c["alpha"]:g} | {c["delta"]:g}'
    z1, a1, b1 = z_prop(c["converged_runs"], n1, round(r["p_conv"] * n2), n2)
    z2, a2, b2 = z_prop(c["theta_runs"], n1, round(r["p_theta"] * n2), n2)
    if c["hit_runs"] >= 2 and h2 >= 2:
        z3, a3, b3 = z_mean(c["mean_hit_time"], c["sd_hit_time"], c["hit_runs"], r["mean_hit"], r["sd_hit"], h2)
        hit = f'{c["mean_hit_time"]:.2f} ± {a3:.2f} | {r["mean_hit"]:.2f} ± {b3:.2f} | {z3:+.2f}'
        zs.append(z3)
    else:
        hit = "- | - | -"
    zs += [z1, z2]
    rows.append(f'| {cell} | {c["p_converge"]:.4f} ± {a1:.4f} | {r["p_conv"]:.4f} ± {b1:.4f} | {z1:+.2f} '
                f'| {c["p_theta"]:.4f} ± {a2:.4f} | {r["p_theta"]:.4f} ± {b2:.4f} | {z2:+.2f} | {hit} |')
    print(f'peer done: {cell} ({r["seconds"]:.1f} s)', file=sys.stderr, flush=True)

# Exact reference where one exists: d = 2, no noise. Then log(w1/w2) moves by +-log(1+alpha)
# (or stays, when both inputs fire: prob g = Gamma[0][1]), so p_1 = lam1 r^m / (lam1 r^m + lam2)
# with m an integer random walk; dynamic programming over m in [-K, K] gives P(converge),
# P(Theta_K) and the law of tau(1e-3) exactly. Each side is compared with it by a one-sample z.
def exact_d2(alpha, delta, g, K, tol=1e-6, hit=1e-3):
    import numpy as np
    m = np.arange(-K, K + 1); lr = m * math.log1p(alpha); lam1, lam2 = 1 + delta, 1 - delta
    p1 = 1 / (1 + (lam2 / lam1) * np.exp(-lr)); p2 = 1 / (1 + (lam1 / lam2) * np.exp(lr))
    dist = 2 * p2; up, down = p1 * (1 - g), p2 * (1 - g)
    def step(f):
        n = g * f; n[1:] += up[:-1] * f[:-1]; n[:-1] += down[1:] * f[1:]; return n
    f0 = np.zeros(2 * K + 1); f0[K] = 1.0
    ok = (p1 - p2) >= delta / 2; f = f0 * ok
    for _ in range(K): f = step(f) * ok
    p_theta = f.sum(); f = f0.copy()
    for _ in range(K): f = step(f)
    p_conv = f[(p1 > p2) & (dist <= tol)].sum()
    tgt = dist <= hit; f = f0 * ~tgt; pk = [f0[tgt].sum()]
    for _ in range(K): f = step(f); pk.append(f[tgt].sum()); f = f * ~tgt
    pk = np.array(pk); ks = np.arange(K + 1); ph = pk.sum(); mean = (ks * pk).sum() / ph
    return p_conv, p_theta, ph, mean, math.sqrt(((ks - mean) ** 2 * pk).sum() / ph)

exact_rows, zx = [], []
for c, r in zip(ours, peer_rows):
    if c["d"] != 2 or c["noise"] != "none":
        continue
    n = c["seeds"]; ec, et, eh, em, es = exact_d2(c["alpha"], c["delta"], c["rho"], c["iterations"])
    zp = lambda x, p: (x - p) / math.sqrt(p * (1 - p) / n)
    zm = lambda x, h: (x - em) / (es / math.sqrt(h))
    z = [zp(c["p_converge"], ec), zp(r["p_conv"], ec), zp(c["p_theta"], et), zp(r["p_theta"], et),
         zm(c["mean_hit_time"], c["hit_runs"]), zm(r["mean_hit"], round(r["frac_hit"] * n))]
    zx += z
    exact_rows.append(f'| {c["gamma"]}:{c["rho"]:g} | {ec:.4f} | {z[0]:+.2f} | {z[1]:+.2f} | {et:.4f} | {z[2]:+.2f} '
                      f'| {z[3]:+.2f} | {em:.2f} | {z[4]:+.2f} | {z[5]:+.2f} |')

with open(peer_out, "w") as f:
    for r in peer_rows: f.write(json.dumps(r) + "\n")
n = ours[0]["seeds"]
print(f"| d | Gamma | noise | alpha | Delta | P(conv) ours | P(conv) peer | z | P(Theta_K) ours | P(Theta_K) peer | z "
      f"| E[tau] ours | E[tau] peer | z |")
print("|" + "---|" * 14)
print("\n".join(rows))
m = len(zs); worst = max(zs, key=abs)
tail = math.erfc(zlim / math.sqrt(2))
print(f"\n{len(ours)} cells, {m} comparisons; max |z| = {abs(worst):.2f}; |z| > 2: {sum(abs(z) > 2 for z in zs)} "
      f"(expected {m * math.erfc(2 / math.sqrt(2)):.1f}), |z| > 3: {sum(abs(z) > 3 for z in zs)} "
      f"(expected {m * math.erfc(3 / math.sqrt(2)):.2f}); mean z = {sum(zs) / m:+.3f}, "
      f"mean z^2 = {sum(z * z for z in zs) / m:.3f} (expected 1)")
if exact_rows:
    print("\nExact reference, d = 2 cells without noise: z of each side against the exact value")
    print("| Gamma | P(conv) exact | z ours | z peer | P(Theta_K) exact | z ours | z peer | E[tau] exact | z ours | z peer |")
    print("|" + "---|" * 10)
    print("\n".join(exact_rows))
    print(f"{len(zx)} comparisons with the exact values; max |z| = {max(abs(z) for z in zx):.2f}")
    zs = zs + zx
bad = [z for z in zs if abs(z) >= zlim]
print(f"P(some |z| >= {zlim:g} | all agree) <= {len(zs)} x {tail:.2e} = {len(zs) * tail:.4f} (all {len(zs)} comparisons)")
print("VERDICT: " + ("PASS, every |z| < %g" % zlim if not bad else "FAIL, %d comparisons with |z| >= %g" % (len(bad), zlim)))
print(f"peer results: {peer_out}", file=sys.stderr)
sys.exit(1 if bad else 0)
PY
