#!/usr/bin/env bash
# The example job (examples/target/examples.jar: CSV read, HTTP enrichment, H2 load) with and
# without the agent and its default examples/profiler.yaml, alternating, RUNS each, fixed heap:
# wall, CPU (user+sys) and peak RSS.
#   usage: benchmarks/scripts/example.sh [RUNS]     (JAVA=... to pick the JDK)
set -euo pipefail
source "$(dirname "$0")/common.sh"
runs=${1:-5}
need_builds
examples=$root/examples/target/examples.jar
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
declare -A wall cpu rss
for i in $(seq "$runs"); do
  for mode in none agent; do
    args=()
    [ "$mode" = agent ] && args=("-javaagent:$agent=config=$root/examples/profiler.yaml,output.dir=$work/p")
    /usr/bin/time -f "%e %U %S %M" -o "$work/t" "$java" -Xms512m -Xmx512m "${args[@]}" -jar "$examples" "$work/out-$mode-$i" >/dev/null 2>&1
    read -r secs user sys kb < "$work/t"
    wall[$mode]+="$secs "
    cpu[$mode]+="$(awk -v u="$user" -v s="$sys" 'BEGIN{print u+s}') "
    rss[$mode]+="$(awk -v k="$kb" 'BEGIN{print k/1024}') "
  done
done
echo "JDK: $("$java" -version 2>&1 | head -1); $(nproc) cores; $runs runs each, alternating"
for mode in none agent; do
  echo "$mode: wall s $(tr ' ' '\n' <<<"${wall[$mode]}" | grep . | stats), CPU s $(tr ' ' '\n' <<<"${cpu[$mode]}" | grep . | stats), peak RSS MiB $(tr ' ' '\n' <<<"${rss[$mode]}" | grep . | stats)"
done
for k in wall cpu; do
  declare -n m=$k
  a=$(tr ' ' '\n' <<<"${m[agent]}" | grep . | median); b=$(tr ' ' '\n' <<<"${m[none]}" | grep . | median)
  echo "$k: agent/none = $(awk -v a="$a" -v b="$b" 'BEGIN{printf "%.3f", a/b}') (medians)"
done
a=$(tr ' ' '\n' <<<"${rss[agent]}" | grep . | median); b=$(tr ' ' '\n' <<<"${rss[none]}" | grep . | median)
echo "peak RSS: +$(awk -v a="$a" -v b="$b" 'BEGIN{printf "%.0f", a-b}') MiB (medians)"
