#!/usr/bin/env bash
# Start-up (wall and CPU) and peak RSS of a hello-world JVM: no agent, this agent (typical config), and the
# OpenTelemetry Java agent (exporters off, instrumenting the same method), alternating, N runs each.
#   usage: benchmarks/scripts/startup.sh [RUNS] [STAY_MS]     (JAVA=... to pick the JDK; FLOOR=1: see common.sh)
# STAY_MS > 0 keeps each JVM idle that long before it exits: the CPU then includes what the agent
# does in a job's first seconds (GC beans at 300 ms, budget checks, the first snapshot).
set -euo pipefail
source "$(dirname "$0")/common.sh"
runs=${1:-10}
stay=${2:-}
need_builds
fetch_otel
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/profiler.yaml" <<YAML
output: {dir: $work/out, interval: 10s}
instrument:
  targets:
    - classes: ["dev.etlprofiler.bench.*"]
      methods: [main, tiny, work]
YAML
modes=(none agent otel $(floor_modes))
declare -A wall cpu rss
for i in $(seq "$runs"); do
  for mode in "${modes[@]}"; do
    case $mode in
      none) args=() ;;
      agent) args=("-javaagent:$agent=config=$work/profiler.yaml") ;;
      otel) args=("-javaagent:$otel" -Dotel.traces.exporter=none -Dotel.metrics.exporter=none -Dotel.logs.exporter=none
                  "-Dotel.instrumentation.methods.include=dev.etlprofiler.bench.Hello[main]") ;;
      *) args=($(floor_args "$mode")) ;;
    esac
    /usr/bin/time -f "%e %U %S %M" -o "$work/t" "$java" "${args[@]}" -cp "$bench" dev.etlprofiler.bench.Hello $stay >/dev/null 2>"$work/err" || { cat "$work/err"; exit 1; }
    read -r secs user sys kb < "$work/t"
    wall[$mode]+="$(awk -v s="$secs" 'BEGIN{print s*1000}') "
    cpu[$mode]+="$(awk -v u="$user" -v s="$sys" 'BEGIN{print (u+s)*1000}') "
    rss[$mode]+="$(awk -v k="$kb" 'BEGIN{print k/1024}') "
  done
done
echo "JDK: $("$java" -version 2>&1 | head -1); $(nproc) cores; $runs runs each, alternating${stay:+; idle $stay ms before exit}"
for mode in "${modes[@]}"; do
  echo "$mode: wall ms $(tr ' ' '\n' <<<"${wall[$mode]}" | grep . | stats), CPU ms $(tr ' ' '\n' <<<"${cpu[$mode]}" | grep . | stats), peak RSS MiB $(tr ' ' '\n' <<<"${rss[$mode]}" | grep . | stats)"
done
base=$(tr ' ' '\n' <<<"${wall[none]}" | grep . | median)
cbase=$(tr ' ' '\n' <<<"${cpu[none]}" | grep . | median)
for mode in "${modes[@]:1}"; do
  m=$(tr ' ' '\n' <<<"${wall[$mode]}" | grep . | median)
  c=$(tr ' ' '\n' <<<"${cpu[$mode]}" | grep . | median)
  r=$(tr ' ' '\n' <<<"${rss[$mode]}" | grep . | median)
  rb=$(tr ' ' '\n' <<<"${rss[none]}" | grep . | median)
  echo "$mode adds: $(awk -v a="$m" -v b="$base" 'BEGIN{printf "%.0f", a-b}') ms wall, $(awk -v a="$c" -v b="$cbase" 'BEGIN{printf "%.0f", a-b}') ms CPU, $(awk -v a="$r" -v b="$rb" 'BEGIN{printf "%.0f", a-b}') MiB peak RSS (medians)"
done
