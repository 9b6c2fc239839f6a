#!/usr/bin/env bash
# Report tool throughput and memory: snapshot lines of the example job (run under the agent with a
# 1 s interval) copied until the input holds SIZE_MB, then `report-tool summary` with -Xmx256m on
# them, RUNS times. Prints MB/s of input per run and the peak RSS.
#   usage: benchmarks/scripts/report.sh [SIZE_MB] [RUNS]     (JAVA=... to pick the JDK)
set -euo pipefail
source "$(dirname "$0")/common.sh"
size_mb=${1:-1024}
runs=${2:-3}
need_builds
report=$root/report-tool/target/report-tool.jar
examples=$root/examples/target/examples.jar
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$java" "-javaagent:$agent=config=$root/examples/profiler.yaml,output.dir=$work/seed,output.interval=1s" \
  -jar "$examples" "$work/job" >/dev/null 2>&1
seed=$(find "$work/seed" -name '*.jsonl' | head -1)
mkdir -p "$work/in"
# one file of ~44 MB built from the seed's lines, then copies of it (one JVM's file each)
while [ "$(stat -c %s "$work/in/vm-0.jsonl" 2>/dev/null || echo 0)" -lt $((44 * 1024 * 1024)) ]; do
  cat "$seed" >> "$work/in/vm-0.jsonl"
done
n=0
while [ "$(du -sm "$work/in" | cut -f1)" -lt "$size_mb" ]; do
  n=$((n + 1))
  sed "s/\"pid\":[0-9]*/\"pid\":$((100000 + n))/" "$work/in/vm-0.jsonl" > "$work/in/vm-$n.jsonl"
done
bytes=$(du -sb "$work/in" | cut -f1)
echo "JDK: $("$java" -version 2>&1 | head -1); $(nproc) cores; input $((bytes / 1024 / 1024)) MiB in $((n + 1)) files, $(cat "$work"/in/*.jsonl | wc -l) lines"
for i in $(seq "$runs"); do
  /usr/bin/time -f "%e %U %M" -o "$work/t" "$java" -Xmx256m -jar "$report" summary "$work/in" >/dev/null
  read -r secs user kb < "$work/t"
  echo "run $i: $secs s wall, $user s user, $(awk -v b="$bytes" -v s="$secs" 'BEGIN{printf "%.0f", b/1e6/s}') MB/s, peak RSS $((kb / 1024)) MiB"
done
