#!/usr/bin/env bash
# What the agent does to the JIT: the synthetic job (200 rounds) or the example job run RUNS
# times each without and with the agent, alternating, under -XX:+LogCompilation; then per run the
# C1 and C2 compile time and the uncommon traps (compiled code thrown away), and the traps that
# every run with the agent hit and no run without it (dev.etlprofiler.bench.JitLog).
#   usage: benchmarks/scripts/jit.sh [RUNS] [synthetic|example]     (JAVA=... to pick the JDK)
# The logging slows compilation down: compare the two modes, not these times with other scripts'.
set -euo pipefail
source "$(dirname "$0")/common.sh"
runs=${1:-3}
job=${2:-synthetic}
need_builds
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
case $job in
  synthetic)
    synthetic_config "$work/profiler.yaml" "$work/p"
    agent_args=("-javaagent:$agent=config=$work/profiler.yaml")
    cmd=(-cp "$bench" dev.etlprofiler.bench.EndToEnd "$root/benchmarks/data/zipcodes.csv" 200) ;;
  example)
    agent_args=("-javaagent:$agent=config=$root/examples/profiler.yaml,output.dir=$work/p")
    cmd=(-jar "$root/examples/target/examples.jar" "$work/out") ;;
  *) echo "unknown job: $job (synthetic or example)" >&2; exit 2 ;;
esac
none=()
with=()
for i in $(seq "$runs"); do
  for mode in none agent; do
    log=$work/$mode-$i.xml
    args=()
    [ "$mode" = agent ] && args=("${agent_args[@]}")
    rm -rf "$work/out"
    "$java" -XX:+UnlockDiagnosticVMOptions -XX:+LogCompilation "-XX:LogFile=$log" -Xms512m -Xmx512m \
      "${args[@]}" "${cmd[@]}" >/dev/null 2>"$work/err" || { cat "$work/err"; exit 1; }
    if [ "$mode" = none ]; then none+=("$log"); else with+=("$log"); fi
  done
done
echo "JDK: $("$java" -version 2>&1 | head -1); $(nproc) cores; $job job, $runs runs each, alternating"
"$java" -cp "$bench" dev.etlprofiler.bench.JitLog "none=$(IFS=,; echo "${none[*]}")" "agent=$(IFS=,; echo "${with[*]}")"
