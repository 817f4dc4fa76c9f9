#!/usr/bin/env bash
# `npm test`: install the servers and Chromium (cached), start the servers, lint, typecheck, check
# the console's generated API types, unit tests, integration tests, build the console, browser
# tests, stop the servers (also after a failure or Ctrl-C), then print the totals on the last line.
# Servers named by TEMPORAL_ADDRESS / MONGODB_URI / TEMPORAL_TEST_SERVER_PATH are used as they are.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$CHARTER_ROOT"
profile_settings test
scripts="$CHARTER_ROOT/scripts"

components=()
[ -n "${TEMPORAL_ADDRESS:-}" ] || components+=(temporal)
[ -n "${TEMPORAL_TEST_SERVER_PATH:-}" ] || components+=(test-server)
[ -n "${MONGODB_URI:-}" ] || components+=(secantusdb)
components+=(chromium)
if [ ${#components[@]} -gt 0 ]; then
  bash "$scripts/install-services.sh" "${components[@]}" || die "installing the test servers failed"
fi

trap 'bash "$scripts/stop-services.sh" test' EXIT
trap 'exit 130' INT TERM
bash "$scripts/start-services.sh" test || die "starting the test servers failed"
# shellcheck source=/dev/null
source "$ENV_FILE"

results="$PROFILE_RUN_DIR/results"
rm -rf "$results" && mkdir -p "$results"
failed_stages=()
stage() { # name command...
  local name=$1; shift
  log "== $name"
  "$@" || failed_stages+=("$name")
}
jest() { # [time limit in s] project [extra jest args...]: jest, ended (and failed) at the limit
  local limit=0
  [[ $1 =~ ^[0-9]+$ ]] && { limit=$1; shift; }
  local project=$1; shift
  timeout --kill-after=60 "$limit" node --experimental-vm-modules --no-warnings=ExperimentalWarning \
    node_modules/jest/bin/jest.js \
    --selectProjects "$project" --json --outputFile="$results/jest-$project.json" "$@"
}

# Lint and typecheck each keep one core busy: side by side, their output printed in turn. The
# console's API types (web/src/api-client/schema.d.ts) must match the route table's OpenAPI document.
log "== lint, typecheck and the console's API types"
npm run --silent lint >"$results/lint.log" 2>&1 &
lint_pid=$!
npm run --silent typecheck >"$results/typecheck.log" 2>&1 &
typecheck_pid=$!
wait "$lint_pid" || failed_stages+=(lint)
cat "$results/lint.log"
wait "$typecheck_pid" || failed_stages+=(typecheck)
cat "$results/typecheck.log"
stage api-types npm run --silent api-types -- --check
# Pure code on both cores (nothing else runs during this stage): about half the time of one worker.
stage unit jest unit --maxWorkers=2
# One suite at a time: each Temporal suite bundles workflow code and runs a worker; 2 cores do not
# share well. In a worker process, not in band: jest replaces it when its heap grows (jest.config.js).
# --bail: a failed suite ends the run (a suite that failed half-way can leave a worker or a server
# connection behind that keeps jest from exiting). The time limit is the last guard against a hang:
# the whole run must end well inside CI's 90 minutes, with the totals printed.
stage integration jest "${CHARTER_INTEGRATION_LIMIT_S:-2400}" integration --maxWorkers=1 --bail=1
# The console in Chromium: built once here (skipped when web/dist matches the sources), then each
# suite drives one browser with a context per person against the API on the same servers.
stage build-web npm run --silent build:web
stage browser jest "${CHARTER_BROWSER_LIMIT_S:-1800}" browser --maxWorkers=1 --bail=1

# Stop before the totals, so that they stay the last line (the EXIT trap then finds nothing to do).
bash "$scripts/stop-services.sh" test
echo
failed_list=$(IFS=,; echo "${failed_stages[*]:-}")
node "$scripts/test-totals.js" "--failed-stages=$failed_list" "$results"/jest-*.json
[ ${#failed_stages[@]} -eq 0 ]
