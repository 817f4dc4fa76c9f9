#!/usr/bin/env bash
# Installs schemathesis (PyPI), the API contract test's fuzzer, into a venv of its own under
# .tools/schemathesis: its many dependencies (hypothesis, httpx, jsonschema...) stay out of the
# Temporal binaries' target directory, SecantusDB's venv and the system's Python. Pinned and cached:
# a second run only checks the version (the dist-info directory names it), a pin change reinstalls.
#
#   scripts/install-schemathesis.sh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Kept here rather than in lib.sh so that the pin lives beside its only installer; the contract
# test finds the binary at the same place (test/contract/schemathesis.ts).
SCHEMATHESIS_VERSION="4.32.5"
SCHEMATHESIS_VENV="$TOOLS_DIR/schemathesis"
SCHEMATHESIS_BIN="$SCHEMATHESIS_VENV/bin/schemathesis"

mkdir -p "$TOOLS_DIR"
info="$SCHEMATHESIS_VENV/lib/python3*/site-packages/schemathesis-$SCHEMATHESIS_VERSION.dist-info"
# shellcheck disable=SC2086 # the glob picks whichever python3.x made the venv
if [ -x "$SCHEMATHESIS_BIN" ] && compgen -G $info >/dev/null; then
  log "schemathesis $SCHEMATHESIS_VERSION already installed"
  exit 0
fi
command -v python3 >/dev/null || die "python3 (3.9+) is required to install schemathesis $SCHEMATHESIS_VERSION from PyPI"
log "installing schemathesis $SCHEMATHESIS_VERSION from PyPI into .tools/schemathesis (about 60 MB)"
rm -rf "$SCHEMATHESIS_VENV"
python3 -m venv "$SCHEMATHESIS_VENV" || die "python3 -m venv failed (Debian: apt-get install python3-venv)"
PIP_DISABLE_PIP_VERSION_CHECK=1 "$SCHEMATHESIS_VENV/bin/python" -m pip install --no-input --quiet \
  "schemathesis==$SCHEMATHESIS_VERSION" 2>&1 | grep -v "Running pip as the 'root' user" || true
# shellcheck disable=SC2086
{ [ -x "$SCHEMATHESIS_BIN" ] && compgen -G $info >/dev/null; } \
  || die "pip did not install schemathesis==$SCHEMATHESIS_VERSION"
log "installed: $("$SCHEMATHESIS_BIN" --version)  ($SCHEMATHESIS_BIN)"
