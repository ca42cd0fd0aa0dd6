# Shared by scripts/test and scripts/demo: install what is missing, configure, build.
# Sourced, not run. Honours BUILD_DIR (default: build/ in the checkout) and BUILD_TYPE.

WC_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=${BUILD_DIR:-"$WC_ROOT/build"}
BUILD_TYPE=${BUILD_TYPE:-Release}

# Debian 12 packages the build needs.
WC_DEBIAN_PACKAGES=(
  g++ cmake ninja-build pkg-config
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev libboost-system1.81-dev
  libssl-dev libgtest-dev libgmock-dev libsqlite3-dev
)

wc_log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

wc_ensure_packages() {
  local missing=()
  for p in "${WC_DEBIAN_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$p")
    fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  wc_log "installing Debian packages: ${missing[*]}"
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null; then sudo="sudo"; else
      echo "missing packages: ${missing[*]}; install them as root (apt-get install ${missing[*]})" >&2
      return 1
    fi
  fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

wc_build() {
  wc_ensure_packages
  if [ ! -f "$BUILD_DIR/build.ninja" ]; then
    wc_log "configuring ($BUILD_TYPE) in $BUILD_DIR"
    cmake -S "$WC_ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE="$BUILD_TYPE" "$@" >/dev/null
  fi
  wc_log "building"
  cmake --build "$BUILD_DIR" -- -j"$(nproc)"
}
