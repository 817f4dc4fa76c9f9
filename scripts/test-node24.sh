#!/usr/bin/env bash
# Charter on Node 24 LTS, beside the Node 20 that runs the rest of `npm test`: the unit suite, and
# the README walkthrough in a terminal (test/integration/walkthrough.test.ts, the `charter` client
# against real servers) and in the browser (test/browser/walkthrough.test.ts). Node 24 is
# .tools/node24/bin/node, installed from the npm registry by scripts/install-node24.sh (cached).
#
#   scripts/test-node24.sh [unit] [walkthrough]     (default: both)
#
# The jest results go to jest-unit-node24.json and jest-walkthrough-node24.json in
# CHARTER_NODE24_RESULTS (default .tools/run/test/results-node24; npm test passes its own results
# folder, where scripts/test-totals.js sums every jest-*.json). Each part fails on its own: the exit
# status is non-zero when any part asked for failed.
# The walkthrough needs Temporal and a MongoDB-wire server: those named by TEMPORAL_ADDRESS and
# MONGODB_URI, else the test profile's servers when start-services.sh recorded them (used as they
# are, never restarted), else it starts the test profile's servers and stops them at the end. It
# also needs Chromium (install-services.sh chromium) and builds the console if web/dist is stale.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$CHARTER_ROOT" || die "cannot enter $CHARTER_ROOT"
profile_settings test
scripts="$CHARTER_ROOT/scripts"

parts=("$@")
[ ${#parts[@]} -gt 0 ] || parts=(unit walkthrough)
for part in "${parts[@]}"; do
  case "$part" in
    unit | walkthrough) ;;
    *) die "unknown part '$part' (expected unit or walkthrough)" ;;
  esac
done
want() { local p; for p in "${parts[@]}"; do [ "$p" = "$1" ] && return 0; done; return 1; }

bash "$scripts/install-node24.sh" || die "installing Node 24 failed"
node24="$TOOLS_DIR/node24/bin/node"
results="${CHARTER_NODE24_RESULTS:-$PROFILE_RUN_DIR/results-node24}"
mkdir -p "$results"
failed=()

jest24() { # time limit in s (0: none) name [jest args...]: jest on Node 24, results in jest-<name>.json
  local limit=$1 name=$2; shift 2
  local t0=$SECONDS
  rm -f "$results/jest-$name.json"
  # The same flags as test.sh's jest, on the other binary. jest forks its workers with
  # process.execPath, so they run on Node 24 too; the in-process API and Charter worker with them.
  timeout --kill-after=60 "$limit" "$node24" --experimental-vm-modules --no-warnings=ExperimentalWarning \
    node_modules/jest/bin/jest.js --json --outputFile="$results/jest-$name.json" "$@"
  local status=$?
  log "$name: $((SECONDS - t0)) s on Node $("$node24" --version)"
  return $status
}

if want unit; then
  log "== unit suite on Node 24"
  # Two workers, as test.sh's unit stage (in npm test it runs beside the end of the integration lane).
  jest24 0 unit-node24 --selectProjects unit --maxWorkers="${CHARTER_NODE24_UNIT_WORKERS:-2}" || failed+=(unit-node24)
fi

if want walkthrough; then
  log "== README walkthrough on Node 24 (terminal and browser)"
  own_servers=''
  if [ -z "${TEMPORAL_ADDRESS:-}" ] || [ -z "${MONGODB_URI:-}" ]; then
    given_temporal=${TEMPORAL_ADDRESS:-} given_mongo=${MONGODB_URI:-}
    if [ -f "$PROFILE_RUN_DIR/temporal.pid" ] || [ -f "$PROFILE_RUN_DIR/secantusdb.pid" ]; then
      # Someone's test servers (npm test's, or started by hand): used as they are, never started
      # here, since start-services.sh would first stop them under whoever else is using them.
      { [ -f "$ENV_FILE" ] && port_in_use "$TEMPORAL_PORT" && port_in_use "$MONGO_PORT"; } ||
        die "the test servers recorded in ${PROFILE_RUN_DIR#"$CHARTER_ROOT"/} do not answer: start them (scripts/start-services.sh test) or set TEMPORAL_ADDRESS and MONGODB_URI"
      log "using the running test servers (${ENV_FILE#"$CHARTER_ROOT"/})"
    else
      bash "$scripts/start-services.sh" test || die "starting the test servers failed"
      own_servers=yes
      trap 'bash "$scripts/stop-services.sh" test' EXIT
      trap 'exit 130' INT TERM
    fi
    # shellcheck source=/dev/null
    source "$ENV_FILE"
    # An address given in the environment wins over the profile's.
    [ -n "$given_temporal" ] && export TEMPORAL_ADDRESS="$given_temporal"
    [ -n "$given_mongo" ] && export MONGODB_URI="$given_mongo"
  fi
  # Node 24 first on PATH: the browser harness builds the console with node_modules/.bin/tsx, whose
  # `#!/usr/bin/env node` would otherwise start Node 20 (scripts/build-web.ts skips the build when
  # web/dist matches the sources). One suite at a time, each with its own API and worker. The limit
  # (about 1.5 minutes measured) keeps a hang from holding npm test until CI's own time-out.
  PATH="$TOOLS_DIR/node24/bin:$PATH" jest24 "${CHARTER_NODE24_WALKTHROUGH_LIMIT_S:-600}" walkthrough-node24 \
    --selectProjects integration browser \
    --maxWorkers=1 --runTestsByPath test/integration/walkthrough.test.ts test/browser/walkthrough.test.ts \
    || failed+=(walkthrough-node24)
  [ -n "$own_servers" ] && log "stopping the test servers this script started (at exit)"
fi

if [ ${#failed[@]} -gt 0 ]; then
  log "failed on Node 24: ${failed[*]}"
  exit 1
fi
exit 0
