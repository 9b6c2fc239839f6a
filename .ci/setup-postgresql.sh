#!/usr/bin/env bash
# Debian's PostgreSQL server binaries, for the JDBC integration test against a real server
# (the test starts its own private cluster on 127.0.0.1 with initdb and pg_ctl; nothing system-wide).
set -euo pipefail
ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 && exit 0
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq postgresql >/dev/null
