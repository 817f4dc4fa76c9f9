#!/usr/bin/env bash
# Stops the servers start-services.sh started for a profile, by recorded pid only (never by name,
# so nothing else on the machine is touched). Safe to call when nothing runs.
#
#   scripts/stop-services.sh [test|test-browser|dev]     (default: dev)
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

profile="${1:-dev}"
profile_settings "$profile"

# Whether process `pid` runs `binary`: as its executable (" (deleted)": a reinstall has replaced
# the binary since), or as the script its interpreter runs (SecantusDB is a Python program).
runs() { # pid binary
  local exe
  exe=$(readlink "/proc/$1/exe" 2>/dev/null)
  [ "$exe" = "$2" ] || [ "$exe" = "$2 (deleted)" ] ||
    tr '\0' '\n' <"/proc/$1/cmdline" 2>/dev/null | head -n 2 | grep -qxF "$2"
}

stop_one() { # name binary
  local pidfile="$PROFILE_RUN_DIR/$1.pid" pid
  [ -f "$pidfile" ] || return 0
  pid=$(cat "$pidfile")
  # A recorded pid may have been reused by an unrelated process after a reboot: check the binary.
  if [ -n "$pid" ] && runs "$pid" "$2"; then
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then
      log "$1 (pid $pid) ignored SIGTERM for 10s; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null
    fi
    log "stopped $1 (pid $pid)"
  fi
  rm -f "$pidfile"
}

stop_one temporal "$TEMPORAL_BIN"
stop_one secantusdb "$SECANTUSDB_BIN"
rm -f "$ENV_FILE"
exit 0
