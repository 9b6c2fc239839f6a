#!/usr/bin/env bash
# Per-call cost of an instrumented method (JMH): forks without the agent, with it timing every
# call (overhead.cpu-budget=0), and with the default CPU budget (hot methods sampled); 1 and 2
# threads. The nanoTime benchmark of the same run is the clock-read baseline.
# The three configurations alternate, one JMH fork each per round, ROUNDS rounds: the same
# method's speed differs by several percent from one JVM to the next (code layout, JIT
# decisions), so a figure is the median over forks, with the p25..p75 spread.
#   usage: benchmarks/scripts/jmh.sh [ROUNDS] [extra JMH options]
set -euo pipefail
source "$(dirname "$0")/common.sh"
rounds=${1:-4}
shift || true
need_builds
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
common=(-f 1 -wi 3 -i 5 -w 1s -r 1s)
cfg="instrument.classes=dev.etlprofiler.bench.Workload,instrument.methods=*,output.dir=$out/p"
for threads in 1 2; do
  for r in $(seq "$rounds"); do
    "$java" -jar "$bench" "CallOverhead" "${common[@]}" -t "$threads" -rf json -rff "$out/none-$threads-$r.json" "$@" >/dev/null
    "$java" -jar "$bench" "CallOverhead" "${common[@]}" -t "$threads" -rf json -rff "$out/every-$threads-$r.json" \
      -jvmArgsAppend "-javaagent:$agent=$cfg,overhead.cpu-budget=0" "$@" >/dev/null
    "$java" -jar "$bench" "CallOverhead" "${common[@]}" -t "$threads" -rf json -rff "$out/budget-$threads-$r.json" \
      -jvmArgsAppend "-javaagent:$agent=$cfg" "$@" >/dev/null
  done
done
echo "JDK: $("$java" -version 2>&1 | head -1); $(nproc) cores; $rounds rounds of one fork per configuration, alternating"
python3 - "$out" "$rounds" <<'PY'
import json, sys, os, statistics
out, rounds = sys.argv[1], int(sys.argv[2])
def scores(name, t):
    by = {}
    for r in range(1, rounds + 1):
        for b in json.load(open(os.path.join(out, f"{name}-{t}-{r}.json"))):
            by.setdefault(b["benchmark"].split(".")[-1], []).append(b["primaryMetric"]["score"])
    return by
def q(xs):
    xs = sorted(xs); n = len(xs)
    return statistics.median(xs), xs[(n - 1) // 4], xs[(3 * n - 1) // 4] if n > 1 else xs[0]
for t in (1, 2):
    none, every, budget = scores("none", t), scores("every", t), scores("budget", t)
    nano = statistics.median(none["nanoTime"])
    print(f"threads={t}: nanoTime {nano:.1f} ns (median of {len(none['nanoTime'])} forks)")
    for b in ("tiny", "work"):
        n, e, s = (q(x[b]) for x in (none, every, budget))
        print(f"  {b}: no agent {n[0]:.1f} ns ({n[1]:.1f}..{n[2]:.1f}); every call timed {e[0]:.1f} ns ({e[1]:.1f}..{e[2]:.1f}) "
              f"= +{e[0]-n[0]:.1f} ns = {(e[0]-n[0])/nano:.2f}x nanoTime; default budget {s[0]:.1f} ns ({s[1]:.1f}..{s[2]:.1f}) "
              f"= {s[0]-n[0]:+.1f} ns, {100*(s[0]-n[0])/n[0]:+.1f}% of the method")
PY
