# Shared by the benchmark scripts: paths, and the median and spread of a list of numbers.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
agent=${AGENT:-$root/agent/target/profiler-agent.jar}
bench=$root/benchmarks/target/benchmarks.jar
cache=$root/benchmarks/.cache
otel_version=${OTEL_VERSION:-2.22.0}
otel=$cache/opentelemetry-javaagent-$otel_version.jar
java=${JAVA:-java}

need_builds() {
  [ -f "$agent" ] && [ -f "$bench" ] || (cd "$root" && mvn -q -B -ntp install -DskipTests)
}

fetch_otel() {
  mkdir -p "$cache"
  [ -f "$otel" ] || curl -fsSL -o "$otel" \
    "https://repo1.maven.org/maven2/io/opentelemetry/javaagent/opentelemetry-javaagent/$otel_version/opentelemetry-javaagent-$otel_version.jar"
}

# median and interquartile range of the numbers on stdin: "median (p25..p75)"
stats() {
  sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; q1=a[int((NR+3)/4)]; q3=a[int((3*NR+1)/4)]; printf "%.1f (%.1f..%.1f)", m, q1, q3}'
}

median() {
  sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.1f", m}'
}

# The OpenTelemetry Java agent's options for a side-by-side run: exporters off, and the same
# methods instrumented as our configuration does (otel.instrumentation.methods.include syntax:
# "pkg.Class[m1,m2];pkg.Other[m3]"). Prints one option per line.
otel_opts() {
  printf '%s\n' "-javaagent:$otel" -Dotel.traces.exporter=none -Dotel.metrics.exporter=none \
    -Dotel.logs.exporter=none "-Dotel.instrumentation.methods.include=$1"
}
