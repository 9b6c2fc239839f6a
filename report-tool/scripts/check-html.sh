#!/usr/bin/env bash
# Opens an HTML report in headless Chromium (Debian's `chromium`), renders it to a PNG and fails
# if the page logged a console error or if the rendered page has no chart.
#   usage: report-tool/scripts/check-html.sh REPORT.html [SCREENSHOT.png]
set -euo pipefail
html=$(realpath "$1")
png=${2:-${html%.html}.png}
command -v chromium >/dev/null || { echo "chromium is not installed (apt-get install -y chromium)" >&2; exit 2; }
profile=$(mktemp -d)
log=$(mktemp)
trap 'rm -rf "$profile" "$log"' EXIT
flags=(--headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking
       --disable-component-update --disable-sync --user-data-dir="$profile" --window-size=1200,2400)
chromium "${flags[@]}" --enable-logging=stderr --v=0 --screenshot="$png" "file://$html" 2>"$log" >/dev/null || true
if grep -E "CONSOLE|Uncaught" "$log" | grep -v "^$" ; then
  echo "console messages while rendering $html" >&2
  exit 1
fi
# the DOM after rendering: the charts must be there
dom=$(chromium "${flags[@]}" --dump-dom "file://$html" 2>/dev/null)
charts=$(grep -o "<svg" <<<"$dom" | wc -l)
[ "$charts" -ge 3 ] || { echo "expected at least 3 charts in the rendered page, found $charts" >&2; exit 1; }
[ -s "$png" ] || { echo "no screenshot written" >&2; exit 1; }
echo "ok: $charts charts, no console errors; screenshot $png"
