# Starts the emulators in the background and exports what the sync app reads. Sourced by
# scripts/demo and scripts/bench.
#   wc_start_wrike_emulator <dir> [emulator flags...]
#       exports WRIKE_API_URL, WRIKE_TOKEN, WRIKE_CA_FILE
#   wc_start_cascade_emulator <dir> [emulator flags...]
#       exports CASCADE_API_URL, CASCADE_TOKEN (Classic), CASCADE_PLATFORM_API_URL,
#       CASCADE_PLATFORM_TOKEN (new platform) and CASCADE_CA_FILE

# wc_start_emulator <exe> <name> <dir> [flags...]: starts it, waits for its ready line, and
# sets WC_READY_LINE and WC_<NAME>_EMULATOR_PID.
wc_start_emulator() {
  local exe=$1 name=$2 dir=$3; shift 3
  local ready="$dir/$name.ready"
  "$BUILD_DIR/src/$exe" --ca-file "$dir/$name-ca.pem" "$@" >"$ready" 2>"$dir/$name.log" &
  local pid=$!
  for _ in $(seq 1 100); do
    [ -s "$ready" ] && break
    if ! kill -0 "$pid" 2>/dev/null; then
      cat "$dir/$name.log" >&2
      echo "$exe failed to start" >&2
      return 1
    fi
    sleep 0.1
  done
  WC_READY_LINE=$(head -n1 "$ready")
  WC_LAST_EMULATOR_PID=$pid
}

wc_ready_field() { printf '%s' "$WC_READY_LINE" | sed -E "s/.*\"$1\":\"([^\"]+)\".*/\\1/"; }

wc_start_wrike_emulator() {
  local dir=$1; shift
  wc_start_emulator wrike-emulator wrike "$dir" "$@" || return 1
  WC_WRIKE_EMULATOR_PID=$WC_LAST_EMULATOR_PID
  WRIKE_API_URL="$(wc_ready_field https_url)/api/v4"
  WRIKE_TOKEN=$(wc_ready_field token)
  WRIKE_CA_FILE="$dir/wrike-ca.pem"
  export WRIKE_API_URL WRIKE_TOKEN WRIKE_CA_FILE
}

wc_start_cascade_emulator() {
  local dir=$1; shift
  wc_start_emulator cascade-emulator cascade "$dir" "$@" || return 1
  WC_CASCADE_EMULATOR_PID=$WC_LAST_EMULATOR_PID
  CASCADE_API_URL=$(wc_ready_field classic_api_url)
  CASCADE_TOKEN=$(wc_ready_field token)
  CASCADE_PLATFORM_API_URL=$(wc_ready_field platform_api_url)
  CASCADE_PLATFORM_TOKEN=$(wc_ready_field platform_token)
  CASCADE_CA_FILE="$dir/cascade-ca.pem"
  export CASCADE_API_URL CASCADE_TOKEN CASCADE_PLATFORM_API_URL CASCADE_PLATFORM_TOKEN CASCADE_CA_FILE
}

wc_stop_pid() {
  if [ -n "${1:-}" ]; then
    kill "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
  fi
}
wc_stop_wrike_emulator() { wc_stop_pid "${WC_WRIKE_EMULATOR_PID:-}"; }
wc_stop_cascade_emulator() { wc_stop_pid "${WC_CASCADE_EMULATOR_PID:-}"; }
