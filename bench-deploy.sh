#!/usr/bin/env bash
# Deployment-mode benchmark: redis-server, a KRaft broker and a distributed Connect worker as separate
# processes, the worker loading the plugin archive; each connector at its defaults and exactly once.
# Prints a Markdown table, writes benchmark/target/deploy-bench/results.md and results.json.
# Usage: ./bench-deploy.sh [-Dbench.n=1000000]
set -euo pipefail
cd "$(dirname "$0")"
command -v redis-server >/dev/null 2>&1 || { echo "install redis-server first (apt-get install -y redis-server)" >&2; exit 1; }
mvn -B -q -Pbench -DskipTests install -pl benchmark -am
exec java -Xms256m -Xmx1g -XX:+UseG1GC "$@" \
  -cp "benchmark/target/classes:$(cat benchmark/target/runtime-classpath.txt)" io.redisbridge.bench.DeploymentBenchmark
