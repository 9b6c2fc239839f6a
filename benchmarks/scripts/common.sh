# Shared by the benchmark scripts: paths, and the median and spread of a list of numbers.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
agent=${AGENT:-$root/agent/target/profiler-agent.jar}
bench=$root/benchmarks/target/benchmarks.jar
cache=$root/benchmarks/.cache
otel_version=${OTEL_VERSION:-2.22.0}
otel=$cache/opentelemetry-javaagent-$otel_version.jar
java=${JAVA:-java}
# FloorAgent's jar (benchmarks module, any version): the cost of any agent, without ours
floor_jar() {
  compgen -G "$root/benchmarks/target/benchmarks-*-floor-agent.jar" | head -1
}

need_builds() {
  [ -f "$agent" ] && [ -f "$bench" ] && [ -n "$(floor_jar)" ] || (cd "$root" && mvn -q -B -ntp package -DskipTests)
}

# FLOOR=1: two more modes in the whole-process scripts. "empty" is an agent whose premain does
# nothing (the JVM's own cost of -javaagent); "transformer" registers a class-file transformer that
# changes nothing (the cost every bytecode agent pays per class loaded).
floor_modes() {
  if [ "${FLOOR:-0}" != 0 ]; then echo empty transformer; fi
}

# The JVM options of a floor mode.
floor_args() {
  case $1 in
    empty) echo "-javaagent:$(floor_jar)" ;;
    transformer) echo "-javaagent:$(floor_jar)=transformer" ;;
  esac
}

# The OpenTelemetry Java agent's jar into $cache, through Maven: the repositories and any mirror
# of the user's settings.xml apply. Run from $cache, which has no pom.xml: from the repository's
# root Maven would run the goal once per module. The plugin's version is the one the
# integration tests use. Maven's output is shown only if it fails (with -q it still prints
# terminal escape codes).
fetch_otel() {
  mkdir -p "$cache"
  [ -f "$otel" ] && return 0
  local log
  if ! log=$(cd "$cache" && mvn -q -B -ntp org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
      "-Dartifact=io.opentelemetry.javaagent:opentelemetry-javaagent:$otel_version" "-DoutputDirectory=$cache" 2>&1) \
      || [ ! -f "$otel" ]; then
    printf '%s\n' "$log" >&2
    echo "fetch_otel: could not fetch io.opentelemetry.javaagent:opentelemetry-javaagent:$otel_version with Maven" >&2
    return 1
  fi
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

# Median and p25..p75 of the ratios of two lists taken pair by pair (run i with the agent over
# run i without, taken one after the other): drift of a shared machine cancels within a pair.
#   paired_ratio "a1 a2 ..." "b1 b2 ..."
paired_ratio() {
  awk -v a="$1" -v b="$2" 'BEGIN {
    n = split(a, x, " "); split(b, y, " ")
    for (i = 1; i <= n; i++) r[i] = x[i] / y[i]
    for (i = 2; i <= n; i++) for (j = i; j > 1 && r[j-1] > r[j]; j--) { t = r[j]; r[j] = r[j-1]; r[j-1] = t }
    m = (n % 2) ? r[(n+1)/2] : (r[n/2] + r[n/2+1]) / 2
    printf "%.3f (%.3f..%.3f)", m, r[int((n+3)/4)], r[int((3*n+1)/4)]
  }'
}

# The summary of a whole-process comparison, from the associative arrays wall, cpu and rss
# (values in run order, separated by spaces) of the calling script: for each mode given, its
# wall and CPU against "none" as a ratio of medians and as the median of per-pair ratios, and
# its peak RSS difference.
compare_to_none() {
  local mode a b
  for mode in "$@"; do
    for k in wall cpu; do
      local -n arr=$k
      a=$(tr ' ' '\n' <<<"${arr[$mode]}" | grep . | median); b=$(tr ' ' '\n' <<<"${arr[none]}" | grep . | median)
      echo "$k $mode/none: ratio of medians $(awk -v a="$a" -v b="$b" 'BEGIN{printf "%.3f", a/b}'), median of paired ratios $(paired_ratio "${arr[$mode]}" "${arr[none]}")"
    done
    a=$(tr ' ' '\n' <<<"${rss[$mode]}" | grep . | median); b=$(tr ' ' '\n' <<<"${rss[none]}" | grep . | median)
    echo "peak RSS $mode - none: $(awk -v a="$a" -v b="$b" 'BEGIN{printf "%+.0f", a-b}') MiB (medians)"
  done
}

# The synthetic job's agent configuration (its four methods), written to $1 with snapshots to $2.
synthetic_config() {
  cat > "$1" <<YAML
output: {dir: $2}
instrument:
  targets:
    - classes: [dev.etlprofiler.bench.EndToEnd]
      methods: [main, parse, validate, aggregate]
YAML
}
