#!/usr/bin/env bash
# Per-call cost of JDBC recording (JMH, H2 in memory): forks without an agent, with the agent
# (AGENT, default the built one) and, when BASELINE_AGENT is set, with another build of the agent,
# alternating, one fork each per round; 1 and 2 threads. Each figure is the median over rounds.
#   usage: BASELINE_AGENT=old.jar benchmarks/scripts/jdbc.sh [ROUNDS]
set -euo pipefail
source "$(dirname "$0")/common.sh"
rounds=${1:-3}
need_builds
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
configs=(none agent)
[ -n "${BASELINE_AGENT:-}" ] && configs+=(baseline)
common=(-f 1 ${JMH_ITER:--wi 3 -i 5} -w 1s -r 1s)
cfg="output.dir=$out/p,resources.enabled=false"
for threads in 1 2; do
  for r in $(seq "$rounds"); do
    for c in "${configs[@]}"; do
      case $c in
        none) extra=() ;;
        agent) extra=(-jvmArgsAppend "-javaagent:$agent=$cfg") ;;
        baseline) extra=(-jvmArgsAppend "-javaagent:$BASELINE_AGENT=$cfg") ;;
      esac
      "$java" -jar "$bench" "JdbcCallOverhead" "${common[@]}" -t "$threads" -rf json \
        -rff "$out/$c-$threads-$r.json" "${extra[@]}" >/dev/null
    done
  done
done
echo "JDK: $("$java" -version 2>&1 | head -1); $(nproc) cores; $rounds rounds, alternating"
python3 - "$out" "$rounds" "${configs[@]}" <<'PY'
import json, sys, os, statistics
out, rounds, configs = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
for t in (1, 2):
    by = {}
    for c in configs:
        for r in range(1, rounds + 1):
            for b in json.load(open(os.path.join(out, f"{c}-{t}-{r}.json"))):
                by.setdefault((c, b["benchmark"].split(".")[-1]), []).append(b["primaryMetric"]["score"])
    for bench in ("preparedQuery", "plainExecute"):
        none = statistics.median(by[("none", bench)])
        line = f"threads={t} {bench}: no agent {none:.0f} ns"
        for c in configs[1:]:
            m = statistics.median(by[(c, bench)])
            line += f"; {c} {m:.0f} ns (+{m - none:.0f} ns)"
        print(line)
PY
