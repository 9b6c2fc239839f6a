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

echo
echo "== report-tool summary $out/profiler-out"
java -jar report-tool/target/report-tool.jar summary "$out"/profiler-out
