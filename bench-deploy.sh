#!/usr/bin/env bash
# Deployment-mode benchmark: redis-server, a KRaft broker and a distributed Connect worker as separate
# processes, the worker loading the plugin archive, against hand-written loops in their own JVM: throughput
# at defaults and tuned, latency at a fixed rate, worker heap, scaling over tasks and streams, exactly once.
# Prints Markdown tables; writes benchmark/target/deploy-bench/results.md, results.json and chart.svg.
# Usage: ./bench-deploy.sh [-Dbench.n=1000000] [-Dbench.phases=source,sink,latency,heap,scaling,exactly-once]
set -euo pipefail
cd "$(dirname "$0")"
command -v redis-server >/dev/null 2>&1 || { echo "install redis-server first (apt-get install -y redis-server)" >&2; exit 1; }
mvn -B -q -Pbench -DskipTests install -pl benchmark -am
exec java -Xms256m -Xmx1g -XX:+UseG1GC "$@" \
  -cp "benchmark/target/classes:$(cat benchmark/target/runtime-classpath.txt)" io.redisbridge.bench.DeploymentBenchmark
