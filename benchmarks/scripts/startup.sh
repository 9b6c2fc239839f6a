#!/usr/bin/env bash
# Start-up and peak RSS of a hello-world JVM: no agent, this agent (typical config), and the
# OpenTelemetry Java agent (exporters off, instrumenting the same method), alternating, N runs each.
#   usage: benchmarks/scripts/startup.sh [RUNS]     (JAVA=... to pick the JDK)
set -euo pipefail
source "$(dirname "$0")/common.sh"
runs=${1:-10}
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
declare -A wall rss
for i in $(seq "$runs"); do
  for mode in none agent otel; do
    case $mode in
      none) args=() ;;
      agent) args=("-javaagent:$agent=config=$work/profiler.yaml") ;;
      otel) args=("-javaagent:$otel" -Dotel.traces.exporter=none -Dotel.metrics.exporter=none -Dotel.logs.exporter=none
                  "-Dotel.instrumentation.methods.include=dev.etlprofiler.bench.Hello[main]") ;;
    esac
    /usr/bin/time -f "%e %M" -o "$work/t" "$java" "${args[@]}" -cp "$bench" dev.etlprofiler.bench.Hello >/dev/null 2>"$work/err" || { cat "$work/err"; exit 1; }
    read -r secs kb < "$work/t"
    wall[$mode]+="$(awk -v s="$secs" 'BEGIN{print s*1000}') "
    rss[$mode]+="$(awk -v k="$kb" 'BEGIN{print k/1024}') "
  done
done
echo "JDK: $("$java" -version 2>&1 | head -1); $(nproc) cores; $runs runs each, alternating"
for mode in none agent otel; do
  echo "$mode: wall ms $(tr ' ' '\n' <<<"${wall[$mode]}" | grep . | stats), peak RSS MiB $(tr ' ' '\n' <<<"${rss[$mode]}" | grep . | stats)"
done
base=$(tr ' ' '\n' <<<"${wall[none]}" | grep . | median)
for mode in agent otel; do
  m=$(tr ' ' '\n' <<<"${wall[$mode]}" | grep . | median)
  r=$(tr ' ' '\n' <<<"${rss[$mode]}" | grep . | median)
  rb=$(tr ' ' '\n' <<<"${rss[none]}" | grep . | median)
  echo "$mode adds: $(awk -v a="$m" -v b="$base" 'BEGIN{printf "%.0f", a-b}') ms wall, $(awk -v a="$r" -v b="$rb" 'BEGIN{printf "%.0f", a-b}') MiB peak RSS (medians)"
done
