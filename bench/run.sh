#!/usr/bin/env bash
# npm run bench [-- --hosts 10 --reps 5 --fresh 3,10 --scale 50,100 --no-ansible]
# Installs what the comparison needs (Debian's Ansible, GNU time), then runs bench.ts.
# Not part of npm test: it takes about half an hour and measures, it does not check.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "bench: needs root (the container fleet)" >&2; exit 1; }
need=()
command -v ansible-playbook >/dev/null || need+=(ansible ansible-core)
[ -x /usr/bin/time ] || need+=(time)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
trap 'bash test/fleet/fleet.sh down >/dev/null 2>&1 || true' EXIT
npx tsx bench/bench.ts "$@"
