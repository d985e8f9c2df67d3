#!/usr/bin/env python3
"""Records Ansible's magic variables, as the expectations test/unit/magic-vars.test.ts
compares tend against.

Needs ansible-core (Debian: apt-get install ansible-core). Run from the repository:
    python3 test/conformance/magic/record-magic.py
Plays over a copy of inventory.ini in a temporary directory (every host local, no
facts) with serial: 2 and a role, each expression of expressions.json printed as JSON per
host (lookups find files in the playbook's and the role's files/); writes expected.json, with the temporary directory's path written as <dir>. Run with --diff and 5 forks, as tend's test runs it
(tend always diffs).
"""
import json
import os
import shutil
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ENV = dict(os.environ, ANSIBLE_CONFIG='', ANSIBLE_NOCOLOR='1', ANSIBLE_STDOUT_CALLBACK='json')


def show(expr):
    return {'debug': {'msg': '{{ (%s) | to_json }}' % expr}, 'name': expr}


def main():
    with open(os.path.join(HERE, 'expressions.json')) as f:
        exprs = json.load(f)
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copy(os.path.join(HERE, 'inventory.ini'), tmp)
        os.makedirs(os.path.join(tmp, 'roles', 'r1', 'tasks'))
        # Files for lookups: the playbook's files/, the role's files/.
        os.makedirs(os.path.join(tmp, 'files'))
        os.makedirs(os.path.join(tmp, 'roles', 'r1', 'files'))
        with open(os.path.join(tmp, 'files', 'greeting.txt'), 'w') as f:
            f.write('hello from the playbook\n')
        with open(os.path.join(tmp, 'roles', 'r1', 'files', 'role.txt'), 'w') as f:
            f.write('hello from the role\n')
        with open(os.path.join(tmp, 'roles', 'r1', 'tasks', 'main.yml'), 'w') as f:
            json.dump([show(e) for e in exprs['role']], f)
        play = [{'hosts': 'web:db', 'gather_facts': False, 'serial': 2, 'roles': ['r1'],
                 'vars': {'ansible_connection': 'local'},
                 'tasks': [show(e) for e in exprs['play']]}]
        with open(os.path.join(tmp, 'playbook.yml'), 'w') as f:
            json.dump(play, f)
        out = subprocess.run(['ansible-playbook', '--diff', '-f', '5', '-i', 'inventory.ini', 'playbook.yml'],
                             capture_output=True, text=True, env=ENV, cwd=tmp, check=True).stdout
        seen = {}
        for p in json.loads(out)['plays']:
            for t in p['tasks']:
                for host, r in t['hosts'].items():
                    seen.setdefault(host, {})[t['task']['name']] = json.loads(r['msg'].replace(tmp, '<dir>'))
    with open(os.path.join(HERE, 'expected.json'), 'w') as f:
        json.dump(seen, f, indent=1, sort_keys=True)
        f.write('\n')


main()
