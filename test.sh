#!/usr/bin/env bash
# The test command: installs what the tests need when it is missing (redis-server and redis-cli from
# Debian's package, openssl for the TLS tests' certificates), then builds and runs every test (mvn -B -T 2 verify:
# the source and sink modules side by side; see docs/testing.md).
# Extra arguments go to Maven, e.g. ./test.sh -pl sink-connector -am.
set -euo pipefail
cd "$(dirname "$0")"

if [ "${1:-}" = "--help" ] || [ "${1:-}" = "-h" ]; then
  echo "usage: ./test.sh [Maven arguments...]   (runs mvn -B -T 2 verify after installing what the tests need)"
  exit 0
fi

if ! command -v java >/dev/null 2>&1 || ! command -v mvn >/dev/null 2>&1; then
  echo "The tests need Java 17 and Maven 3.8+ on the PATH." >&2
  exit 1
fi

missing=""
{ command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1; } || missing="$missing redis-server"
command -v openssl >/dev/null 2>&1 || missing="$missing openssl"
if [ -n "$missing" ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "==> Installing Debian packages:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086 # one word per package
    apt-get install -y -qq $missing >/dev/null
  else
    echo "The tests need:$missing. Install them (Debian/Ubuntu: sudo apt-get install -y$missing;" >&2
    echo "macOS: brew install redis openssl) and run ./test.sh again." >&2
    exit 1
  fi
fi
# The package may start a system instance; the tests run their own on free ports and do not use it.

exec mvn -B -T 2 verify "$@"
