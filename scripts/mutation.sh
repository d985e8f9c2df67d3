#!/usr/bin/env bash
# npm run mutation -- FILE[:FROM-TO]… [--tests TEST…]: mutation testing (StrykerJS,
# stryker.config.mjs) of the given source files against unit tests. A file may carry
# Stryker's line range, `tasks/apt.ts:120-190`, to mutate only those lines (a module's
# plan function). The tests run are those given after --tests, or else the unit test
# files that import a mutated file (for a module in tasks/, the module plan tests and the
# injection test too). One test process at a time: the machine is shared. The score per
# file is printed at the end and kept in .stryker-tmp/mutation.json; a second run on the
# same files only tests the mutants whose code or tests changed (incremental).
# TEND_MUTATION_OUT=DIR keeps that report and the incremental file in DIR instead
# (e.g. .stryker-tmp/inventory), apart from other runs on other files.
set -euo pipefail
cd "$(dirname "$0")/.."
usage="usage: npm run mutation -- FILE[:FROM-TO]… [--tests TEST…]"
files=()
tests=()
while [ $# -gt 0 ]; do
  case $1 in
    --tests) shift; tests=("$@"); break ;;
    -h|--help) echo "$usage"; exit 0 ;;
    *) files+=("$1"); shift ;;
  esac
done
[ ${#files[@]} -gt 0 ] || { echo "$usage" >&2; exit 2; }
if [ ${#tests[@]} -eq 0 ]; then
  for f in "${files[@]}"; do
    path=${f%%:*}
    [ -e "$path" ] || { echo "mutation: no such file: $path" >&2; exit 2; }
    # An import of it by its path without directories above src/ or tasks/: '../../src/shell.ts'.
    mapfile -t -O "${#tests[@]}" tests < <(grep -lF -- "/$path'" test/unit/*.test.ts || true)
    case $path in tasks/lib/*) ;; tasks/*) tests+=(test/unit/modules-*.test.ts test/unit/injection.test.ts) ;; esac
  done
  mapfile -t tests < <(printf '%s\n' "${tests[@]}" | sort -u)
  [ ${#tests[@]} -gt 0 ] || { echo "mutation: no unit test imports ${files[*]}; name them with --tests" >&2; exit 2; }
fi
echo "mutation: mutating ${files[*]}; tests: ${tests[*]}" >&2
# One --mutate with a comma-separated list: Stryker keeps only the last of repeated --mutate.
mutate=$(IFS=,; echo "${files[*]}")
TEND_MUTATION_TESTS="${tests[*]}" exec npx stryker run stryker.config.mjs --mutate "$mutate"
