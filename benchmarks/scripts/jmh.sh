#!/usr/bin/env bash
# Per-call cost of an instrumented method (JMH): forks without the agent, with it timing every
# call (overhead.cpu-budget=0), with the default CPU budget (hot methods sampled), and with the
# OpenTelemetry Java agent instrumenting the same methods (exporters off); 1 and 2 threads. The
# nanoTime benchmark of the same run is the clock-read baseline.
# The configurations alternate, one JMH fork each per round, ROUNDS rounds: the same method's
# speed differs by several percent from one JVM to the next (code layout, JIT decisions), so a
# figure is the median over forks, with the p25..p75 spread.
#   usage: benchmarks/scripts/jmh.sh [ROUNDS] [extra JMH options]
#   JMH_ITER="-wi 1 -i 1" shortens a trial run; OTEL=0 leaves the OpenTelemetry forks out; AGENT=jar measures another build of the agent.
set -euo pipefail
source "$(dirname "$0")/common.sh"
rounds=${1:-4}
shift || true
need_builds
configs=(none every budget)
if [ "${OTEL:-1}" != 0 ]; then
  fetch_otel
  configs+=(otel)
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
common=(-f 1 ${JMH_ITER:--wi 3 -i 5} -w 1s -r 1s)
cfg="instrument.classes=dev.etlprofiler.bench.Workload,instrument.methods=*,output.dir=$out/p"
# JMH splits -jvmArgsAppend at spaces
otel_jvm=$(otel_opts "dev.etlprofiler.bench.Workload[tiny,work]" | tr '\n' ' ')
for threads in 1 2; do
  for r in $(seq "$rounds"); do
    for c in "${configs[@]}"; do
      case $c in
        none) extra=() ;;
        every) extra=(-jvmArgsAppend "-javaagent:$agent=$cfg,overhead.cpu-budget=0") ;;
        budget) extra=(-jvmArgsAppend "-javaagent:$agent=$cfg") ;;
        otel) extra=(-jvmArgsAppend "$otel_jvm") ;;
      esac
      "$java" -jar "$bench" "CallOverhead" "${common[@]}" -t "$threads" -rf json -rff "$out/$c-$threads-$r.json" \
        "${extra[@]}" "$@" >/dev/null
    done
  done
done
echo "JDK: $("$java" -version 2>&1 | head -1); $(nproc) cores; $rounds rounds of one fork per configuration, alternating"
python3 - "$out" "$rounds" "${configs[@]}" <<'PY'
import json, sys, os, statistics
out, rounds, configs = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
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
    s = {c: scores(c, t) for c in configs}
    nano = statistics.median(s["none"]["nanoTime"])
    print(f"threads={t}: nanoTime {nano:.1f} ns (median of {len(s['none']['nanoTime'])} forks)")
    for b in ("tiny", "work"):
        n, e, d = (q(s[c][b]) for c in ("none", "every", "budget"))
        line = (f"  {b}: no agent {n[0]:.1f} ns ({n[1]:.1f}..{n[2]:.1f}); every call timed {e[0]:.1f} ns ({e[1]:.1f}..{e[2]:.1f}) "
                f"= +{e[0]-n[0]:.1f} ns = {(e[0]-n[0])/nano:.2f}x nanoTime; default budget {d[0]:.1f} ns ({d[1]:.1f}..{d[2]:.1f}) "
                f"= {d[0]-n[0]:+.1f} ns, {100*(d[0]-n[0])/n[0]:+.1f}% of the method")
        if "otel" in s:
            o = q(s["otel"][b])
            line += f"; OpenTelemetry {o[0]:.1f} ns ({o[1]:.1f}..{o[2]:.1f}) = +{o[0]-n[0]:.1f} ns, {(o[0]-n[0])/max(e[0]-n[0], 1e-9):.1f}x ours timing every call"
        print(line)
PY
