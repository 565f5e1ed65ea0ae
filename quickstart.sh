#!/usr/bin/env bash
# The quick start: builds the plugin if needed, then runs the orders pipeline of the Redis Streams
# article on private local servers (redis-server, a KRaft broker, a distributed Connect worker).
# Options: --orders N (default 20000), --rate N per second (default 2000), --keep-running, --help.
set -euo pipefail
cd "$(dirname "$0")"

SCRIPT_NAME=quickstart.sh
SCRIPT_USAGE="usage: ./quickstart.sh [--orders N] [--rate N] [--keep-running] [--help]"
. build-tools/script-args.sh
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[i]}" in
    --orders|--rate)
      [ $((i + 1)) -lt ${#args[@]} ] && [[ "${args[i + 1]}" != --* ]] \
        || usage_error "${args[i]} needs a value: a whole number of at least 1"
      require_number "${args[i]}" "${args[i + 1]}" 1
      i=$((i + 1)) ;;
    --keep-running) ;;
    --help|-h)
      echo "$SCRIPT_USAGE"
      echo "  --orders N       orders to produce, a whole number of at least 1 (default 20000)"
      echo "  --rate N         orders produced per second, a whole number of at least 1 (default 2000)"
      echo "  --keep-running   stay up after the summary, for exploration, until Ctrl-C"
      echo "  --help           print this and exit"
      exit 0 ;;
    *) usage_error "unknown option ${args[i]}; options: --orders N, --rate N, --keep-running, --help" ;;
  esac
done

if ! command -v java >/dev/null 2>&1 || ! command -v mvn >/dev/null 2>&1; then
  echo "The quick start needs Java 17 and Maven 3.8+ on the PATH." >&2
  exit 1
fi

if ! command -v redis-server >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "==> Installing redis-server from the system's packages"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  else
    echo "redis-server is not installed. Install it (Debian/Ubuntu: sudo apt-get install -y redis-server;" >&2
    echo "macOS: brew install redis) and run ./quickstart.sh again." >&2
    exit 1
  fi
fi

if ! ls plugin/target/redis-kafka-bridge-*.zip >/dev/null 2>&1 || [ ! -f quickstart/target/runtime-classpath.txt ] \
    || [ ! -d quickstart/target/classes ]; then
  echo "==> Building the plugin (mvn -B -q -DskipTests package)"
  mvn -B -q -DskipTests package
fi

exec java -Dquickstart.root="$PWD" \
  -cp "quickstart/target/classes:$(cat quickstart/target/runtime-classpath.txt)" \
  io.redisbridge.quickstart.QuickStart "$@"
