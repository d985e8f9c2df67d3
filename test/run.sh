#!/usr/bin/env bash
# npm test: unit tests and end-to-end tests in one node:test run, against a container
# fleet this script starts and always tears down, even when tests fail.
set -uo pipefail
cd "$(dirname "$0")/.."
HOSTS=${TEND_TEST_HOSTS:-34}
# Hosts on Debian 13 (trixie); the rest run Debian 12 (bookworm). Only the seed suite's
# hosts 8 and 9 are trixie: every other suite's subject does not depend on the release,
# and running each on both would double the run (see README, Tests).
TRIXIE=${TEND_TEST_TRIXIE:-8-9}

if [ "$(id -u)" != 0 ]; then
  echo "npm test: the end-to-end tests need root (they start a container fleet)" >&2
  exit 1
fi
# The container tests need a Docker engine of their own (they start and stop it) and
# Podman; the HTML report is checked in Debian's Chromium, the JUnit file by xmllint.
missing=()
command -v dockerd >/dev/null || missing+=(docker.io)
command -v podman >/dev/null || missing+=(podman)
command -v chromium >/dev/null || missing+=(chromium)
command -v xmllint >/dev/null || missing+=(libxml2-utils)
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null ||
    echo "npm test: ${missing[*]} could not be installed; the tests that need them will fail or be skipped" >&2
fi
# One fleet on this machine at a time: its namespaces and addresses are fixed. Another
# run (or a developer's `flock /var/tmp/tend-fleet.lock …`) is waited for, not broken.
exec 9>/var/tmp/tend-fleet.lock
if ! flock -n 9; then
  echo "npm test: another test run holds the fleet (/var/tmp/tend-fleet.lock); waiting for it" >&2
  flock 9
fi
trap 'bash test/fleet/fleet.sh down >/dev/null 2>&1 || true' EXIT
bash test/fleet/fleet.sh down >/dev/null 2>&1 || true
bash test/fleet/fleet.sh up "$HOSTS" --release bookworm ${TRIXIE:+--release "trixie:$TRIXIE"} || exit 1

# The unit files run in one process (test/unit/all.mts: a process each costs more than
# most of them take); each end-to-end file in its own.
mapfile -t files < <(echo test/unit/all.mts; find test/e2e -name '*.test.ts' | sort)
log=$(mktemp)
npx tsx --test --test-concurrency=4 --test-reporter=spec "${files[@]}" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
# The plain closing line CI reads, from the runner's own counts (skipped and todo fail
# the run under CI=true).
bash test/summary.sh "$log" "$status"
status=$?
rm -f "$log"
exit "$status"
