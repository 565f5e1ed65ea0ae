#!/usr/bin/env bash
# Benchmark: ceilings and connectors in one run; prints a Markdown table, writes benchmark/target/bench/results.json.
# Usage: ./bench.sh [-Dbench.n=1000000] [-Dbench.rate=10000] [-Dbench.latency.seconds=10]
set -euo pipefail
cd "$(dirname "$0")"
command -v redis-server >/dev/null 2>&1 || { echo "install redis-server first (apt-get install -y redis-server)" >&2; exit 1; }
mvn -B -q -Pbench -DskipTests install -pl benchmark -am
exec java -Xms1g -Xmx3g -XX:+UseG1GC "$@" \
  -cp "benchmark/target/classes:$(cat benchmark/target/runtime-classpath.txt)" io.redisbridge.bench.Benchmark
