#!/usr/bin/env bash
# Heap retained by the agent with 1,000 profiled operations and 500 HTTP endpoints: the live heap
# after a full GC (jcmd GC.class_histogram) with the agent minus without, same workload; and the
# same for the OpenTelemetry Java agent (exporters off; it sees the HTTP calls, not the API's
# operations).
#   usage: benchmarks/scripts/memory.sh [OPERATIONS] [ENDPOINTS]    (OTEL=0: without OpenTelemetry)
set -euo pipefail
source "$(dirname "$0")/common.sh"
ops=${1:-1000}
endpoints=${2:-500}
need_builds
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
jcmd=$(dirname "$(readlink -f "$(command -v "$java")")")/jcmd
heap() {
  local args=("$@")
  "$java" "${args[@]}" -cp "$bench" dev.etlprofiler.bench.MemoryWorkload "$ops" "$endpoints" 60000 > "$work/out" 2>/dev/null &
  local pid=$!
  for _ in $(seq 600); do grep -q ready "$work/out" 2>/dev/null && break; sleep 0.1; done
  sleep 1.5 # at least one snapshot interval has swapped every recorder
  "$jcmd" "$pid" GC.run >/dev/null
  "$jcmd" "$pid" GC.class_histogram > "$work/histo"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  tail -1 "$work/histo" | awk '{print $3}'
}
none=$(heap)
with=$(heap "-javaagent:$agent=output.dir=$work/p,output.interval=1s,clients.http.max-endpoints-per-host=1000")
echo "JDK: $("$java" -version 2>&1 | head -1); $ops operations, $endpoints endpoints"
echo "live heap after full GC: no agent $((none / 1024)) KiB, agent $((with / 1024)) KiB"
echo "retained by the agent: $(( (with - none) / 1024 )) KiB"
if [ "${OTEL:-1}" != 0 ]; then
  fetch_otel
  mapfile -t otel_args < <(otel_opts "dev.etlprofiler.bench.MemoryWorkload[main]")
  o=$(heap "${otel_args[@]}")
  echo "live heap after full GC with the OpenTelemetry agent $((o / 1024)) KiB: retained $(( (o - none) / 1024 )) KiB"
fi
