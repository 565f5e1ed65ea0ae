# Argument checks shared by the scripts users run (quickstart.sh, bench.sh, bench-deploy.sh). Sourced, not run.
# Each mistake exits 2 with one line naming the option and what it accepts, then the usage line, before
# anything is built or started. The caller sets SCRIPT_NAME and SCRIPT_USAGE.

usage_error() {
  echo "$SCRIPT_NAME: $1" >&2
  echo "$SCRIPT_USAGE" >&2
  exit 2
}

# require_number OPTION VALUE MIN: VALUE must be a whole number >= MIN.
require_number() {
  local option="$1" value="$2" min="$3"
  if ! [[ "$value" =~ ^[0-9]+$ ]] || [ "$((10#$value))" -lt "$min" ]; then
    usage_error "$option takes a whole number of at least $min, not '$value'"
  fi
  if [ "${#value}" -gt 9 ]; then
    usage_error "$option takes a whole number of at most 999999999, not '$value'"
  fi
}

# require_boolean OPTION VALUE
require_boolean() {
  case "$2" in
    true|false) ;;
    *) usage_error "$1 takes true or false, not '$2'" ;;
  esac
}

# require_list OPTION VALUE ALLOWED...: VALUE is a comma-separated list of ALLOWED words.
require_list() {
  local option="$1" value="$2" item
  shift 2
  [ -n "$value" ] || usage_error "$option takes a comma-separated list of: $*"
  IFS=',' read -r -a items <<< "$value"
  for item in "${items[@]}"; do
    if ! [[ " $* " == *" $item "* ]]; then
      usage_error "$option takes a comma-separated list of: $* (not '$item')"
    fi
  done
}
