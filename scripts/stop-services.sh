#!/usr/bin/env bash
# Stops the servers start-services.sh started for a profile, by recorded pid only (never by name,
# so nothing else on the machine is touched). Safe to call when nothing runs.
#
#   scripts/stop-services.sh [test|dev]     (default: dev)
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

profile="${1:-dev}"
profile_settings "$profile"

stop_one() { # name binary
  local pidfile="$PROFILE_RUN_DIR/$1.pid" pid
  [ -f "$pidfile" ] || return 0
  pid=$(cat "$pidfile")
  # A recorded pid may have been reused by an unrelated process after a reboot: check the binary
  # (" (deleted)": the server still runs the binary a reinstall has replaced since).
  local exe
  exe=$(readlink "/proc/$pid/exe" 2>/dev/null)
  if [ -n "$pid" ] && { [ "$exe" = "$2" ] || [ "$exe" = "$2 (deleted)" ]; }; then
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
stop_one ferretdb "$FERRETDB_BIN"
rm -f "$ENV_FILE"
exit 0
