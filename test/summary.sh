#!/usr/bin/env bash
# test/summary.sh LOG STATUS: the closing line of `npm test`, from the counts node:test's
# spec reporter printed into LOG (STATUS is the runner's exit status), and the status the
# run ends with. Under CI=true a skipped or todo test fails the run: a suite that skipped
# itself (no Docker, no Chromium) must not look green there.
set -uo pipefail
log=$1
status=$2
count() { sed -n "s/^ℹ $1 \([0-9]*\)\$/\1/p" "$log" | tail -1; }
passed=$(count pass)
failed=$(count fail)
skipped=$(count skipped)
todo=$(count todo)
cancelled=$(count cancelled)
line="${passed:-0} passed, ${failed:-0} failed, ${skipped:-0} skipped, ${todo:-0} todo"
[ "${cancelled:-0}" = 0 ] || line="$line, $cancelled cancelled"
# A test file that fails outside any test (an error while loading it) counts no test
# as failed: the line says so rather than look green.
if [ "$status" != 0 ] && [ "${failed:-0}" = 0 ] && [ "${cancelled:-0}" = 0 ]; then
  line="$line (a test file failed outside its tests: see ✖ above)"
fi
if [ "${CI:-}" = true ] && [ "${skipped:-0}${todo:-0}" != 00 ]; then
  line="$line (CI: skipped and todo tests fail the run: see ﹣ above)"
  [ "$status" != 0 ] || status=1
fi
echo "$line"
exit "$status"
