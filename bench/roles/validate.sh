#!/usr/bin/env bash
# Issue #21: what tend makes of real public Ansible roles.
#
#   bash bench/roles/validate.sh            # validate every role in corpus/, then write RESULTS.md
#   bash bench/roles/validate.sh NAME…      # only these roles (RESULTS.md still covers all saved results)
#   REPORT_ONLY=1 bash bench/roles/validate.sh   # rewrite RESULTS.md from results/ without validating
#
# For each role in corpus/ (see sources.tsv / sources.lock, imported by import.sh) it makes a
# wrapper playbook `- hosts: all / roles: [NAME]` in a temporary directory whose roles/ holds
# a symlink to every corpus role (so a meta dependency on another corpus role could resolve),
# and an inventory of one Debian 12 host, runs `tend validate` on it, one role at a time, and
# keeps the exit code and everything tend printed in results/NAME.{rc,out} (temporary paths
# replaced by the role's own, e.g. geerlingguy.ntp/tasks/main.yml:3:3). Then report.ts reads
# results/ and the corpus (a second pass over every task file: which Ansible keywords and
# modules each task uses, against what tend supports) and writes RESULTS.md.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
CORPUS="$HERE/corpus"
RESULTS="$HERE/results"
TIMEOUT=${TIMEOUT:-180}
mkdir -p "$RESULTS"

if [[ -z "${REPORT_ONLY:-}" ]]; then
  if (($#)); then roles=("$@"); else
    roles=(); for d in "$CORPUS"/*/; do roles+=("$(basename "$d")"); done
  fi
  work=$(mktemp -d "${TMPDIR:-/tmp}/tend-roles.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  mkdir -p "$work/roles"
  for d in "$CORPUS"/*/; do ln -s "${d%/}" "$work/roles/$(basename "$d")"; done
  printf 'web ansible_host=192.0.2.10\n' > "$work/hosts.ini"
  for name in "${roles[@]}"; do
    if [[ ! -d "$CORPUS/$name" ]]; then echo "no role $name in $CORPUS" >&2; continue; fi
    notes=()
    [[ -f "$CORPUS/$name/tasks/main.yml" || -f "$CORPUS/$name/tasks/main.yaml" ]] || notes+=("no tasks/main.yml")
    printf -- '- hosts: all\n  roles: [%s]\n' "$name" > "$work/site.yml"
    start=$(date +%s.%N)
    ( cd "$ROOT" && NO_COLOR=1 timeout "$TIMEOUT" npx tsx src/cli.ts validate "$work/site.yml" -i "$work/hosts.ini" ) \
      > "$work/out" 2>&1
    rc=$?
    end=$(date +%s.%N)
    ((rc == 124)) && notes+=("timed out after ${TIMEOUT}s")
    # the role's own paths, not the temporary directory's
    sed -e "s|$work/roles/||g" -e "s|$work/||g" -e "s|$CORPUS/||g" "$work/out" > "$RESULTS/$name.out"
    echo "$rc" > "$RESULTS/$name.rc"
    printf '%s\n' "${notes[@]}" > "$RESULTS/$name.notes"
    printf '%-32s exit %-3s %5.1fs  %s\n' "$name" "$rc" "$(echo "$end - $start" | bc)" \
      "$(grep -c '' "$RESULTS/$name.out") lines${notes:+; ${notes[*]}}"
  done
fi

cd "$ROOT" && npx tsx "$HERE/report.ts" "$HERE" > "$HERE/RESULTS.md" && echo "wrote $HERE/RESULTS.md"
