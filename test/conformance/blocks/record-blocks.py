#!/usr/bin/env python3
"""Records what ansible-playbook 2.14 shows for playbook.yml (blocks, task vars, import
vars, role params), the expectations test/unit/blocks.test.ts compares tend against.

Needs ansible-core (Debian: apt-get install ansible-core). Run from anywhere:
    /usr/bin/python3 test/conformance/blocks/record-blocks.py
Copies this directory to a temporary one, turns each `show: {text: T}` into
`debug: {msg: T}`, runs it over inventory.ini (local) with -e ev=extra, and writes
expected.json: per task name, its msg, or "(skipped)".
"""
import json
import os
import shutil
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ENV = dict(os.environ, ANSIBLE_CONFIG='', ANSIBLE_NOCOLOR='1', ANSIBLE_STDOUT_CALLBACK='json')


def main():
    with tempfile.TemporaryDirectory() as tmp:
        work = os.path.join(tmp, 'play')
        shutil.copytree(HERE, work, ignore=shutil.ignore_patterns('*.py', '*.json'))
        for root, _, files in os.walk(work):
            for name in files:
                if name.endswith('.yml'):
                    path = os.path.join(root, name)
                    with open(path) as f:
                        text = f.read()
                    with open(path, 'w') as f:
                        f.write(text.replace('show: { text:', 'debug: { msg:'))
        out = subprocess.run(['ansible-playbook', '-i', 'inventory.ini', '-c', 'local', '-e', 'ev=extra', 'playbook.yml'],
                             capture_output=True, text=True, env=ENV, cwd=work, check=True).stdout
    seen = {}
    for t in json.loads(out)['plays'][0]['tasks']:
        r = t['hosts'].get('h1')
        if r is None:
            continue
        name = t['task']['name'].split(' : ', 1)[-1]
        seen[name] = '(skipped)' if r.get('skipped') else r.get('msg', r)
    with open(os.path.join(HERE, 'expected.json'), 'w') as f:
        json.dump(seen, f, indent=1)
        f.write('\n')


main()
