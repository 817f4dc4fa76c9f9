#!/usr/bin/env bash
# `npm test`: install the servers, Chromium, Node 24 and schemathesis (cached), start the servers,
# lint, typecheck, check the console's generated API types, unit tests, build the console, then two
# lanes side by side: the integration suites, and the browser suites, each followed by what it
# takes of the policy conformance suite, the API contract test, the walkthrough and the unit suite
# on Node 24; stop the servers
# (also after a failure or Ctrl-C), then print the totals on the last line.
# Servers named by TEMPORAL_ADDRESS / MONGODB_URI / TEMPORAL_TEST_SERVER_PATH are used as they are.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$CHARTER_ROOT"
profile_settings test
scripts="$CHARTER_ROOT/scripts"

components=()
[ -n "${TEMPORAL_ADDRESS:-}" ] || components+=(temporal)
[ -n "${TEMPORAL_TEST_SERVER_PATH:-}" ] || components+=(test-server)
own_mongo=''
[ -n "${MONGODB_URI:-}" ] || { components+=(secantusdb); own_mongo=yes; }
components+=(chromium)
if [ ${#components[@]} -gt 0 ]; then
  bash "$scripts/install-services.sh" "${components[@]}" || die "installing the test servers failed"
fi
# Node 24 and schemathesis are needed only in the browser lane: installed (a minute or two on a
# fresh machine, mostly waiting on the registries) while lint, typecheck and the unit suite run.
later=(node24)
[ -n "${CHARTER_SCHEMATHESIS:-}" ] || later+=(schemathesis)
mkdir -p "$RUN_DIR"
bash "$scripts/install-services.sh" "${later[@]}" >"$RUN_DIR/install-later.log" 2>&1 &
install_later_pid=$!

trap 'bash "$scripts/stop-services.sh" test-browser; bash "$scripts/stop-services.sh" test' EXIT
trap 'exit 130' INT TERM
bash "$scripts/start-services.sh" test || die "starting the test servers failed"
# shellcheck source=/dev/null
source "$ENV_FILE"

results="$PROFILE_RUN_DIR/results"
rm -rf "$results" && mkdir -p "$results"
# scripts/test-node24.sh writes its jest-*-node24.json here too, so that the totals count them.
export CHARTER_NODE24_RESULTS="$results"
failed_stages=()
stage() { # name command...
  local name=$1; shift
  log "== $name"
  "$@" || failed_stages+=("$name")
}
jest() { # [time limit in s] project [extra jest args...]: jest, ended (and failed) at the limit
  # Results go to jest-<project>.json, or jest-<JEST_RESULTS>.json when set (a part of a project).
  local limit=0
  [[ $1 =~ ^[0-9]+$ ]] && { limit=$1; shift; }
  local project=$1; shift
  timeout --kill-after=60 "$limit" node --experimental-vm-modules --no-warnings=ExperimentalWarning \
    node_modules/jest/bin/jest.js \
    --selectProjects "$project" --json --outputFile="$results/jest-${JEST_RESULTS:-$project}.json" "$@"
  local status=$?
  # timeout's own codes: the stage was stopped, its remaining suites never ran (none is counted).
  if [ $status -eq 124 ] || [ $status -eq 137 ]; then
    log "$project: stopped at its time limit of $limit s; the suites it had not finished did not run"
  fi
  return $status
}

# ESLint (typed rules: it builds TypeScript 5.9 programs of its own) keeps one core busy for about
# four minutes; meanwhile the other runs the typecheck (TypeScript 7, the native compiler: a third
# of 5.9's CPU), Prettier and the check that the console's API types
# (web/src/api-client/schema.d.ts) match the route table's OpenAPI document, then the unit suite on
# two workers: those three ended about 90 s before ESLint, and the second core idled until the
# unit suite started after it. (Started beside ESLint from the beginning, the unit suite took
# 351 s against 174 s alone.)
log "== lint (ESLint in the background), typecheck, format, the console's API types, unit"
npm run --silent lint:eslint >"$results/eslint.log" 2>&1 &
eslint_pid=$!
stage typecheck npm run --silent typecheck
stage format npm run --silent lint:format
stage api-types npm run --silent api-types -- --check
stage unit jest unit --maxWorkers=2
log "== eslint"
wait "$eslint_pid" || failed_stages+=(eslint)
cat "$results/eslint.log"
if ! wait "$install_later_pid"; then
  cat "$RUN_DIR/install-later.log"
  die "installing ${later[*]} failed"
fi
cat "$RUN_DIR/install-later.log"
# The console is built once here (skipped when web/dist matches the sources) for the browser suites.
stage build-web npm run --silent build:web

# Integration and browser suites side by side, each one suite at a time: alone, each left the two
# cores idle about half the time (crash and outage drills wait on time-outs, the browser on
# Chromium and the API), so together they take little more than the longer of the two. In a
# worker process, not in band: jest replaces it when its heap grows (jest.config.js).
# --bail: a failed suite ends its stage (a suite that failed half-way can leave a worker or a
# server connection behind that keeps jest from exiting). The time limits are the last guard
# against a hang: the whole run must end inside CI's 90 minutes, with the totals printed. They sit
# well above what the stages take (on CI, 2,200 s for the integration lane at the most, the
# browser suites 1,500 s): on a machine loaded to 9 the browser suites ran past the old 1,800 s.
# The browser suites get a SecantusDB of their own when this script started the test one: the
# storage-outage drill stops and restarts that server (with a server given in MONGODB_URI the
# drill skips, and both stages share it). Temporal is shared: each suite has its own task queue.
# Then the tail: the policy conformance suite (the longest integration suite, 5-6 minutes), the
# API contract test (schemathesis, test/contract/), the README walkthrough on Node 24 and the unit
# suite on Node 24 (scripts/test-node24.sh), in that order, each taken by whichever lane is free
# first (a claim is an atomic mkdir), so that neither lane idles while the other still has minutes
# of work: with the browser suites' axe scans cut to a fifth, the integration suites alone ran
# minutes past the browser lane's tail. None of them may share a database with the storage-outage
# drill: the integration lane reaches them after it. Each lane's failed stages come back in a file
# (it runs in a subshell).
CONFORMANCE=test/integration/conformance.test.ts
tail_jobs() { # lane: runs the tail's jobs no other lane took, adds the failed ones to failed[]
  local job
  for job in conformance contract walkthrough-node24 unit-node24; do
    mkdir "$results/claimed-$job" 2>/dev/null || continue
    log "== $job (in the $1 lane)"
    case $job in
      conformance) JEST_RESULTS=conformance jest "${CHARTER_CONFORMANCE_LIMIT_S:-1200}" integration \
        --maxWorkers=1 "$CONFORMANCE" ;;
      contract) jest "${CHARTER_CONTRACT_LIMIT_S:-900}" contract --maxWorkers=1 ;;
      walkthrough-node24) bash "$scripts/test-node24.sh" walkthrough ;;
      unit-node24) bash "$scripts/test-node24.sh" unit ;;
    esac || failed+=("$job")
  done
}
integration_lane() {
  local failed=()
  jest "${CHARTER_INTEGRATION_LIMIT_S:-3600}" integration --maxWorkers=1 --bail=1 \
    --testPathIgnorePatterns "/$CONFORMANCE\$" || failed+=(integration)
  tail_jobs integration
  printf '%s\n' "${failed[@]}" >"$results/integration-lane.failed"
  [ ${#failed[@]} -eq 0 ]
}
browser_lane() {
  if [ -n "$own_mongo" ]; then
    MONGODB_URI='' bash "$scripts/start-services.sh" test-browser || { echo browser >"$results/browser-lane.failed"; return 1; }
    # shellcheck source=/dev/null
    source "$RUN_DIR/test-browser/env"
  fi
  local failed=()
  log "== browser"
  # A browser test is a journey over several pages, each scanned by axe: 20-40 s alone, and one
  # passed jest's default 60 s on a loaded CI machine; a hung one still fails, at two minutes.
  jest "${CHARTER_BROWSER_LIMIT_S:-3000}" browser --maxWorkers=1 --bail=1 --testTimeout=120000 || failed+=(browser)
  tail_jobs browser
  printf '%s\n' "${failed[@]}" >"$results/browser-lane.failed"
  [ ${#failed[@]} -eq 0 ]
}
log "== integration and browser lanes, side by side (progress: $results/{integration,browser}.log)"
integration_lane >"$results/integration.log" 2>&1 &
integration_pid=$!
browser_lane >"$results/browser.log" 2>&1 &
browser_pid=$!
wait "$integration_pid"
log "== integration lane: integration, then the tail jobs it took"
cat "$results/integration.log"
wait "$browser_pid"
log "== browser lane: browser, then the tail jobs it took"
cat "$results/browser.log"
for lane in integration browser; do
  if [ -f "$results/$lane-lane.failed" ]; then
    while read -r name; do [ -n "$name" ] && failed_stages+=("$name"); done <"$results/$lane-lane.failed"
  else
    failed_stages+=("$lane")
  fi
done

# Stop before the totals, so that they stay the last line (the EXIT trap then finds nothing to do).
bash "$scripts/stop-services.sh" test-browser
bash "$scripts/stop-services.sh" test
echo
failed_list=$(IFS=,; echo "${failed_stages[*]:-}")
node "$scripts/test-totals.js" "--failed-stages=$failed_list" "$results"/jest-*.json
[ ${#failed_stages[@]} -eq 0 ]
