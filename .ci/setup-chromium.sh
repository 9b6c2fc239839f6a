#!/usr/bin/env bash
# Debian's chromium, for report-tool/scripts/check-html.sh (the HTML report rendered headless).
set -euo pipefail
command -v chromium >/dev/null && exit 0
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium >/dev/null
