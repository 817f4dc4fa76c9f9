#!/usr/bin/env bash
# Starts the Temporal dev server and SecantusDB in the background on 127.0.0.1, waits until both
# answer, records their pids, and writes the connection settings to .tools/run/<profile>/env.
# A server whose address is already given (TEMPORAL_ADDRESS, MONGODB_URI) is not started.
#
#   scripts/start-services.sh [test|test-browser|dev]     (default: dev)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

profile="${1:-dev}"
profile_settings "$profile"
mkdir -p "$PROFILE_RUN_DIR" "$LOG_DIR"

if [ -f "$PROFILE_RUN_DIR/temporal.pid" ] || [ -f "$PROFILE_RUN_DIR/secantusdb.pid" ]; then
  log "stopping what an earlier '$profile' run left behind"
  bash "$(dirname "${BASH_SOURCE[0]}")/stop-services.sh" "$profile"
fi

# Waits for a readiness command; on time-out prints the tail of the log and fails.
wait_ready() { # name pid log seconds command...
  local name=$1 pid=$2 logfile=$3 seconds=$4; shift 4
  local deadline=$(($(date +%s) + seconds))
  until "$@" >/dev/null 2>&1; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "--- last lines of $logfile ---" >&2; tail -n 30 "$logfile" >&2
      die "$name exited during start-up"
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "--- last lines of $logfile ---" >&2; tail -n 30 "$logfile" >&2
      die "$name did not become ready within ${seconds}s"
    fi
    sleep 0.3
  done
}

temporal_healthy() { "$TEMPORAL_BIN" operator cluster health --address "$1" | grep -q SERVING; }

start_temporal() {
  [ -x "$TEMPORAL_BIN" ] || die "Temporal CLI missing: run scripts/install-services.sh"
  port_in_use "$TEMPORAL_PORT" && die "port $TEMPORAL_PORT is taken: stop what listens there or set CHARTER_${profile^^}_TEMPORAL_PORT"
  local logfile="$LOG_DIR/temporal-$profile.log"
  local args=(server start-dev --ip 127.0.0.1 --port "$TEMPORAL_PORT" --log-level warn
    --dynamic-config-value frontend.enableServerVersionCheck=false
    --dynamic-config-value frontend.enableUpdateWorkflowExecution=true
    --dynamic-config-value frontend.enableUpdateWorkflowExecutionAsyncAccepted=true)
  if [ "$profile" = dev ]; then
    # State survives restarts; the Web UI binds to --ip like the server.
    mkdir -p "$DATA_DIR"
    args+=(--db-filename "$DATA_DIR/temporal.sqlite" --ui-port "$TEMPORAL_UI_PORT" --ui-disable-news-fetch)
  else
    args+=(--headless)
  fi
  log "starting Temporal dev server on 127.0.0.1:$TEMPORAL_PORT (log: ${logfile#"$CHARTER_ROOT"/})"
  # setsid: its own process group, so a Ctrl-C in the caller's terminal does not kill it half-way.
  TEMPORAL_VERSION_CHECK_DISABLED=1 setsid "$TEMPORAL_BIN" "${args[@]}" >"$logfile" 2>&1 </dev/null &
  local pid=$!
  echo "$pid" >"$PROFILE_RUN_DIR/temporal.pid"
  wait_ready "Temporal dev server" "$pid" "$logfile" 60 temporal_healthy "127.0.0.1:$TEMPORAL_PORT"
  TEMPORAL_ADDRESS="127.0.0.1:$TEMPORAL_PORT"
  log "Temporal ready at $TEMPORAL_ADDRESS (pid $pid)"
}

mongo_ready() { # port: the server answers a ping (its port opens before it serves)
  "$SECANTUS_VENV/bin/python" -c 'import sys, pymongo
pymongo.MongoClient("127.0.0.1", int(sys.argv[1]), directConnection=True,
    serverSelectionTimeoutMS=2000).admin.command("ping")' "$1"
}

start_secantusdb() {
  [ -x "$SECANTUSDB_BIN" ] || die "SecantusDB missing: run scripts/install-services.sh"
  port_in_use "$MONGO_PORT" && die "port $MONGO_PORT is taken: stop what listens there or set CHARTER_${profile^^}_MONGO_PORT"
  local logfile="$LOG_DIR/secantusdb-$profile.log"
  local dir="$DATA_DIR/secantusdb"
  # The test profiles start from nothing every time, so runs never see each other's data. Not
  # ':memory:': the storage-outage drill restarts the server on its data.
  [ "$profile" != dev ] && rm -rf "$dir"
  mkdir -p "$dir"
  local args=(--config "$SECANTUSDB_CONFIG" --host 127.0.0.1 --port "$MONGO_PORT" --storage-path "$dir"
    --log-level WARNING)
  # configureFailPoint for the tests' fault drills; never on the development server.
  [ "$profile" != dev ] && args+=(--enable-test-commands)
  log "starting SecantusDB $SECANTUSDB_VERSION on 127.0.0.1:$MONGO_PORT (log: ${logfile#"$CHARTER_ROOT"/})"
  setsid "$SECANTUSDB_BIN" "${args[@]}" >"$logfile" 2>&1 </dev/null &
  local pid=$!
  echo "$pid" >"$PROFILE_RUN_DIR/secantusdb.pid"
  wait_ready "SecantusDB" "$pid" "$logfile" 60 mongo_ready "$MONGO_PORT"
  # Without retryable writes: SecantusDB 0.7.0b3 keeps the reply of each one for 30 minutes (up to
  # 10,000) and scans them all on every write, sorting them once the cap is reached. Over a test
  # run its CPU per write grew threefold (a database set up and dropped: 210 ms, then 460 ms after
  # a few thousand writes); with retryWrites=false it stays flat. Production keeps the driver's
  # default (docs/deployment.md).
  MONGODB_URI="mongodb://127.0.0.1:$MONGO_PORT/?retryWrites=false"
  log "SecantusDB ready at $MONGODB_URI (pid $pid)"
}

if [ -n "${TEMPORAL_ADDRESS:-}" ]; then
  log "using the Temporal server at TEMPORAL_ADDRESS=$TEMPORAL_ADDRESS"
else
  start_temporal
fi
if [ -n "${MONGODB_URI:-}" ]; then
  log "using the MongoDB server at MONGODB_URI (not started here)"
else
  start_secantusdb
fi

{
  echo "export TEMPORAL_ADDRESS='$TEMPORAL_ADDRESS'"
  echo "export MONGODB_URI='$MONGODB_URI'"
  echo "export TEMPORAL_TEST_SERVER_PATH='${TEMPORAL_TEST_SERVER_PATH:-$TEMPORAL_TEST_SERVER_BIN}'"
} >"$ENV_FILE"
log "settings written to ${ENV_FILE#"$CHARTER_ROOT"/} (source it to use these servers)"
