#!/usr/bin/env bash
# Runs the example ingestion job under the profiler agent and prints its report.
# Builds what it needs first (JDK 17+ and Maven are all it takes).
set -euo pipefail
cd "$(dirname "$0")"

if [ ! -f agent/target/profiler-agent.jar ] || [ ! -f examples/target/examples.jar ] || [ ! -f report-tool/target/report-tool.jar ] \
   || [ -n "$(find agent-api agent-bootstrap agent examples report-tool -newer agent/target/profiler-agent.jar -name '*.java' -print -quit 2>/dev/null)" ]; then
  echo "== building (mvn install -DskipTests, about a minute the first time)"
  mvn -q -B -ntp install -DskipTests
fi

out=target/example-run
rm -rf "$out"
mkdir -p "$out"

echo "== running the airports ingestion job with -javaagent:agent/target/profiler-agent.jar"
java -javaagent:agent/target/profiler-agent.jar=config=examples/profiler.yaml,output.dir="$out"/profiler-out,run.id=example \
     -jar examples/target/examples.jar "$out"/job-output

report="java -jar report-tool/target/report-tool.jar"
echo
echo "== report-tool summary $out/profiler-out"
$report summary "$out"/profiler-out

echo
echo "== report-tool analyze $out/profiler-out --cost-model examples/cost-model.yaml --runs-per-day 24"
$report analyze "$out"/profiler-out --cost-model examples/cost-model.yaml --runs-per-day 24

echo "== report-tool cost $out/profiler-out --period monthly --runs-per-day 24 --cost-model examples/cost-model.yaml"
$report cost "$out"/profiler-out --period monthly --runs-per-day 24 --cost-model examples/cost-model.yaml

$report report "$out"/profiler-out --format html --output "$out"/report.html --runs-per-day 24 --cost-model examples/cost-model.yaml
echo "== open $out/report.html for the whole report with charts"
