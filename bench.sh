#!/usr/bin/env bash
# Benchmark: ceilings and connectors in one run; prints a Markdown table, writes benchmark/target/bench/results.json.
# Usage: ./bench.sh [-Dbench.n=1000000] [-Dbench.rate=10000] [-Dbench.latency.seconds=10]
set -euo pipefail
cd "$(dirname "$0")"

SCRIPT_NAME=bench.sh
SCRIPT_USAGE="usage: ./bench.sh [-Dbench.n=N] [-Dbench.rate=N] [-Dbench.latency.seconds=N] [--help]"
. build-tools/script-args.sh
for arg in "$@"; do
  case "$arg" in
    -Dbench.n=*|-Dbench.rate=*|-Dbench.latency.seconds=*) require_number "${arg%%=*}" "${arg#*=}" 1 ;;
    -Dbench.latency.warmup.seconds=*) require_number "${arg%%=*}" "${arg#*=}" 0 ;;
    --help|-h)
      echo "$SCRIPT_USAGE"
      echo "  -Dbench.n=N                 entries per throughput phase (default 1000000)"
      echo "  -Dbench.rate=N              entries per second in the latency phases (default 10000)"
      echo "  -Dbench.latency.seconds=N   length of each latency phase (default 10)"
      exit 0 ;;
    *) usage_error "unknown option $arg; options: -Dbench.n=N, -Dbench.rate=N, -Dbench.latency.seconds=N, --help" ;;
  esac
done
command -v redis-server >/dev/null 2>&1 || { echo "install redis-server first (apt-get install -y redis-server)" >&2; exit 1; }
mvn -B -q -Pbench -DskipTests install -pl benchmark -am
exec java -Xms1g -Xmx3g -XX:+UseG1GC "$@" \
  -cp "benchmark/target/classes:$(cat benchmark/target/runtime-classpath.txt)" io.redisbridge.bench.Benchmark
