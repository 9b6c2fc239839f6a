#!/usr/bin/env bash
# Per-call cost of an instrumented method (JMH): forks without the agent, with it timing every
# call (overhead.cpu-budget=0), and with the default CPU budget (hot methods sampled); 1 and 2
# threads. The nanoTime benchmark of the same run is the clock-read baseline.
#   usage: benchmarks/scripts/jmh.sh [extra JMH options]
set -euo pipefail
source "$(dirname "$0")/common.sh"
need_builds
out=$(mktemp -d)
common=(-f 2 -wi 3 -i 5 -w 1s -r 1s)
cfg="instrument.classes=dev.etlprofiler.bench.Workload,instrument.methods=*,output.dir=$out/p"
for threads in 1 2; do
  "$java" -jar "$bench" "CallOverhead" "${common[@]}" -t "$threads" -rf json -rff "$out/none-$threads.json" "$@" >/dev/null
  "$java" -jar "$bench" "CallOverhead" "${common[@]}" -t "$threads" -rf json -rff "$out/every-$threads.json" \
    -jvmArgsAppend "-javaagent:$agent=$cfg,overhead.cpu-budget=0" "$@" >/dev/null
  "$java" -jar "$bench" "CallOverhead" "${common[@]}" -t "$threads" -rf json -rff "$out/budget-$threads.json" \
    -jvmArgsAppend "-javaagent:$agent=$cfg" "$@" >/dev/null
done
python3 - "$out" <<'PY'
import json, sys, os
out = sys.argv[1]
def load(name):
    return {b["benchmark"].split(".")[-1]: b["primaryMetric"] for b in json.load(open(os.path.join(out, name)))}
for t in (1, 2):
    none, every, budget = load(f"none-{t}.json"), load(f"every-{t}.json"), load(f"budget-{t}.json")
    nano = none["nanoTime"]["score"]
    print(f"threads={t}: nanoTime {nano:.1f} ns")
    for b in ("tiny", "work"):
        n, e, s = none[b]["score"], every[b]["score"], budget[b]["score"]
        print(f"  {b}: no agent {n:.1f} ns (±{none[b]['scoreError']:.1f}); every call timed {e:.1f} ns "
              f"(+{e-n:.1f} ns = {(e-n)/nano:.2f}× nanoTime); default budget {s:.1f} ns (+{s-n:.1f} ns, {100*(s-n)/n:.0f}% of the method)")
PY
