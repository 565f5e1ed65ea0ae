#!/usr/bin/env bash
# Deployment-mode benchmark: redis-server, a KRaft broker and a distributed Connect worker as separate
# processes, the worker loading the plugin archive, against hand-written loops in their own JVM: throughput
# at defaults and tuned, latency at a fixed rate, worker heap, scaling over tasks and streams, 1 stream
# against 1,000 found by a pattern, exactly once.
# Prints Markdown tables; writes benchmark/target/deploy-bench/results.md, results.json and chart.svg.
# Usage: ./bench-deploy.sh [-Dbench.n=1000000] [-Dbench.phases=source,sink,latency,heap,scaling,many-streams,exactly-once,typed,per-key,cluster,typed-avro]
set -euo pipefail
cd "$(dirname "$0")"

SCRIPT_NAME=bench-deploy.sh
SCRIPT_USAGE="usage: ./bench-deploy.sh [-Dbench.n=N] [-Dbench.phases=LIST] [-Dbench.repeat=N] [-Dbench.warmup=N] \
[-Dbench.rate=N] [-Dbench.latency.seconds=N] [-Dbench.profile=true] [-Dbench.keep=true] [--help]"
PHASES="throughput source sink latency heap scaling many-streams exactly-once typed per-key cluster typed-avro"
. build-tools/script-args.sh
for arg in "$@"; do
  case "$arg" in
    -Dbench.n=*|-Dbench.rate=*|-Dbench.latency.seconds=*|-Dbench.repeat=*)
      require_number "${arg%%=*}" "${arg#*=}" 1 ;;
    -Dbench.warmup=*|-Dbench.latency.warmup.seconds=*) require_number "${arg%%=*}" "${arg#*=}" 0 ;;
    -Dbench.phases=*) require_list "${arg%%=*}" "${arg#*=}" $PHASES ;;
    -Dbench.profile=*|-Dbench.keep=*) require_boolean "${arg%%=*}" "${arg#*=}" ;;
    --help|-h)
      echo "$SCRIPT_USAGE"
      echo "  -Dbench.n=N                 entries per phase (default 1000000)"
      echo "  -Dbench.phases=LIST         some of: ${PHASES// /, } (default: all)"
      echo "  -Dbench.repeat=N            rounds of the throughput phases (default 3)"
      echo "  -Dbench.warmup=N            entries to warm the worker up with, 0 for none (default 300000)"
      echo "  -Dbench.rate=N              entries per second in the latency phases (default 10000)"
      echo "  -Dbench.latency.seconds=N   length of each latency phase (default 20)"
      echo "  -Dbench.profile=true        record a JFR file per phase and print worker CPU by thread"
      echo "  -Dbench.keep=true           keep the run folder (logs, data) afterwards"
      exit 0 ;;
    *) usage_error "unknown option $arg; options: -Dbench.n, -Dbench.phases, -Dbench.repeat, -Dbench.warmup, \
-Dbench.rate, -Dbench.latency.seconds, -Dbench.profile, -Dbench.keep (each =value), --help" ;;
  esac
done
command -v redis-server >/dev/null 2>&1 || { echo "install redis-server first (apt-get install -y redis-server)" >&2; exit 1; }
mvn -B -q -Pbench -DskipTests install -pl benchmark -am
exec java -Xms256m -Xmx1g -XX:+UseG1GC "$@" \
  -cp "benchmark/target/classes:$(cat benchmark/target/runtime-classpath.txt)" io.redisbridge.bench.DeploymentBenchmark
