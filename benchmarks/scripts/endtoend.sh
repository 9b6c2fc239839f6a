#!/usr/bin/env bash
# A whole ETL-like process (benchmarks' EndToEnd over zipcodes.csv × ROUNDS, per-record methods
# instrumented, default config) with and without the agent, and with the OpenTelemetry Java agent
# instrumenting the same methods (exporters off), alternating: wall, CPU and peak RSS.
#   usage: benchmarks/scripts/endtoend.sh [RUNS] [ROUNDS]    (OTEL=0: without OpenTelemetry; FLOOR=1: also the floor agents, see common.sh)
set -euo pipefail
source "$(dirname "$0")/common.sh"
runs=${1:-5}
rounds=${2:-200}
# a fixed heap, so that peak RSS compares the agent and not G1's heap sizing
heap=(${HEAP_OPTS:--Xms512m -Xmx512m})
need_builds
modes=(none agent $(floor_modes))
if [ "${OTEL:-1}" != 0 ]; then
  fetch_otel
  modes+=(otel)
  mapfile -t otel_args < <(otel_opts "dev.etlprofiler.bench.EndToEnd[main,parse,validate,aggregate]")
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
synthetic_config "$work/profiler.yaml" "$work/out"
declare -A wall cpu rss
for i in $(seq "$runs"); do
  for mode in "${modes[@]}"; do
    case $mode in
      none) args=() ;;
      agent) args=("-javaagent:$agent=config=$work/profiler.yaml") ;;
      otel) args=("${otel_args[@]}") ;;
      *) args=($(floor_args "$mode")) ;;
    esac
    /usr/bin/time -f "%e %U %S %M" -o "$work/t" "$java" "${heap[@]}" "${args[@]}" -cp "$bench" dev.etlprofiler.bench.EndToEnd \
      "$root/benchmarks/data/zipcodes.csv" "$rounds" >/dev/null 2>"$work/err" || { cat "$work/err"; exit 1; }
    read -r e u s kb < "$work/t"
    wall[$mode]+="$e "
    cpu[$mode]+="$(awk -v u="$u" -v s="$s" 'BEGIN{print u+s}') "
    rss[$mode]+="$(awk -v k="$kb" 'BEGIN{print k/1024}') "
  done
done
echo "JDK: $("$java" -version 2>&1 | head -1); $(nproc) cores; $runs runs each, $rounds × 42,049 rows; ${heap[*]}"
for mode in "${modes[@]}"; do
  echo "$mode: wall s $(tr ' ' '\n' <<<"${wall[$mode]}" | grep . | stats), CPU s $(tr ' ' '\n' <<<"${cpu[$mode]}" | grep . | stats), peak RSS MiB $(tr ' ' '\n' <<<"${rss[$mode]}" | grep . | stats)"
done
compare_to_none "${modes[@]:1}"
