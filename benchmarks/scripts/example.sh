#!/usr/bin/env bash
# The example job (examples/target/examples.jar: CSV read, HTTP enrichment, H2 load) with and
# without the agent and its default examples/profiler.yaml, and with the OpenTelemetry Java agent
# (exporters off, the same stage methods included; its HTTP client and JDBC instrumentation is on
# by default), alternating, RUNS each, fixed heap: wall, CPU (user+sys) and peak RSS.
# REPEAT > 1 runs a larger job: the bundled airports.csv with its rows repeated REPEAT times
# (at most 9999, the job's IATA column holds 8 characters).
#   usage: benchmarks/scripts/example.sh [RUNS] [REPEAT]     (JAVA=... to pick the JDK; OTEL=0: without OpenTelemetry; FLOOR=1: also the floor agents, see common.sh)
# VARIANTS="name=key=value[,key=value...] ..." adds runs of the agent with those options on top of
# the default configuration, to see what a feature costs, e.g.
#   VARIANTS="nohttp=clients.http.enabled=false nojdbc=clients.jdbc.enabled=false" OTEL=0 benchmarks/scripts/example.sh 7
set -euo pipefail
source "$(dirname "$0")/common.sh"
runs=${1:-5}
repeat=${2:-1}
need_builds
modes=(none agent $(floor_modes))
declare -A variant
for v in ${VARIANTS:-}; do
  variant[${v%%=*}]=${v#*=}
  modes+=("${v%%=*}")
done
if [ "${OTEL:-1}" != 0 ]; then
  fetch_otel
  modes+=(otel)
  stages=dev.etlprofiler.examples.airports.stages
  mapfile -t otel_args < <(otel_opts "$stages.CsvReader[readRows];$stages.RecordParser[parse];$stages.Validator[validate];$stages.Transformer[transform];$stages.Enricher[enrich];$stages.JsonLinesWriter[write];$stages.DatabaseLoader[loadBatch]")
fi
examples=$root/examples/target/examples.jar
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
input=()
if [ "$repeat" -gt 1 ]; then
  src=$root/examples/data/airports.csv
  # each copy's IATA codes get a prefix (the job loads them into a table keyed by the code)
  { head -1 "$src"; for k in $(seq "$repeat"); do tail -n +2 "$src" | sed "s/^/$k/"; done; } > "$work/airports-x$repeat.csv"
  input=("$work/airports-x$repeat.csv")
fi
declare -A wall cpu rss
for i in $(seq "$runs"); do
  for mode in "${modes[@]}"; do
    case $mode in
      none) args=() ;;
      agent) args=("-javaagent:$agent=config=$root/examples/profiler.yaml,output.dir=$work/p") ;;
      otel) args=("${otel_args[@]}") ;;
      empty|transformer) args=($(floor_args "$mode")) ;;
      *) args=("-javaagent:$agent=config=$root/examples/profiler.yaml,output.dir=$work/p,${variant[$mode]}") ;;
    esac
    /usr/bin/time -f "%e %U %S %M" -o "$work/t" "$java" -Xms512m -Xmx512m "${args[@]}" -jar "$examples" "$work/out-$mode-$i" "${input[@]}" >/dev/null 2>&1
    rm -rf "$work/out-$mode-$i"
    read -r secs user sys kb < "$work/t"
    wall[$mode]+="$secs "
    cpu[$mode]+="$(awk -v u="$user" -v s="$sys" 'BEGIN{print u+s}') "
    rss[$mode]+="$(awk -v k="$kb" 'BEGIN{print k/1024}') "
  done
done
echo "JDK: $("$java" -version 2>&1 | head -1); $(nproc) cores; $runs runs each, alternating; airports.csv rows × $repeat"
for mode in "${modes[@]}"; do
  echo "$mode: wall s $(tr ' ' '\n' <<<"${wall[$mode]}" | grep . | stats), CPU s $(tr ' ' '\n' <<<"${cpu[$mode]}" | grep . | stats), peak RSS MiB $(tr ' ' '\n' <<<"${rss[$mode]}" | grep . | stats)"
done
compare_to_none "${modes[@]:1}"
