#!/usr/bin/env bash
# npm run demo: three local fleet hosts, the richest playbook applied, then check mode.
set -euo pipefail
cd "$(dirname "$0")/.."
FLEET_DIR=${TEND_FLEET_DIR:-/var/tmp/tend-fleet}
PLAYBOOK=playbooks/postfix-sasl-tls.yml
[ -f "$PLAYBOOK" ] || PLAYBOOK=playbooks/postfix-basic.yml

bash test/fleet/fleet.sh up 3
inventory=inventories/lab.yml
tend() { node bin/tend.js "$@"; }

echo; echo "== tend apply $PLAYBOOK (3 hosts)"
tend apply "$PLAYBOOK" -i "$inventory" --known-hosts "$FLEET_DIR/known_hosts" || true
echo; echo "== tend check $PLAYBOOK: the fleet is in sync, so this exits 0"
set +e
tend check "$PLAYBOOK" -i "$inventory" --known-hosts "$FLEET_DIR/known_hosts"
status=$?
set -e
echo "(tend check exited $status)"
cat <<TXT

The hosts stay up:
  ssh -i $FLEET_DIR/id_ed25519 -o UserKnownHostsFile=$FLEET_DIR/known_hosts root@$(bash test/fleet/fleet.sh ip 1)   # tend-1 (also tend-2, tend-3)
  npx tend check $PLAYBOOK -i $inventory --known-hosts $FLEET_DIR/known_hosts
  npm run fleet -- status
Tear them down with:
  npm run fleet -- down
TXT
