# Starts wrike-emulator in the background and exports WRIKE_API_URL, WRIKE_TOKEN and
# WRIKE_CA_FILE for the sync app. Sourced by scripts/demo and scripts/bench.
#   wc_start_wrike_emulator <dir for the CA file> [emulator flags...]
wc_start_wrike_emulator() {
  local dir=$1; shift
  local ready="$dir/wrike-emulator.ready"
  "$BUILD_DIR/src/wrike-emulator" --ca-file "$dir/wrike-ca.pem" "$@" >"$ready" 2>"$dir/wrike-emulator.log" &
  WC_WRIKE_EMULATOR_PID=$!
  for _ in $(seq 1 100); do
    [ -s "$ready" ] && break
    if ! kill -0 "$WC_WRIKE_EMULATOR_PID" 2>/dev/null; then
      cat "$dir/wrike-emulator.log" >&2
      echo "wrike-emulator failed to start" >&2
      return 1
    fi
    sleep 0.1
  done
  local line
  line=$(head -n1 "$ready")
  WRIKE_API_URL="$(printf '%s' "$line" | sed -E 's/.*"https_url":"([^"]+)".*/\1/')/api/v4"
  WRIKE_TOKEN=$(printf '%s' "$line" | sed -E 's/.*"token":"([^"]+)".*/\1/')
  WRIKE_CA_FILE="$dir/wrike-ca.pem"
  export WRIKE_API_URL WRIKE_TOKEN WRIKE_CA_FILE
}

wc_stop_wrike_emulator() {
  if [ -n "${WC_WRIKE_EMULATOR_PID:-}" ]; then
    kill "$WC_WRIKE_EMULATOR_PID" 2>/dev/null || true
    wait "$WC_WRIKE_EMULATOR_PID" 2>/dev/null || true
  fi
}
