#!/usr/bin/env python3
"""Records what ansible-playbook 2.14 shows for playbook.yml (meta: flush_handlers, noop,
end_host, over two plays), the expectations
test/unit/meta.test.ts compares tend against.

Needs ansible-core (Debian: apt-get install ansible-core). Run from anywhere:
    /usr/bin/python3 test/conformance/meta/record-meta.py
Copies this directory to a temporary one, turns each `show: {text: T}` into
`debug: {msg: T}` (with changed_when: true, so that it notifies), runs it over inventory.ini (local), and writes expected.json: per host,
the shown texts in the order they ran, each as "task name: text" (a skipped task as
"task name: (skipped)").
"""
import json
import os
import shutil
import subprocess
import tempfile

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ENV = dict(os.environ, ANSIBLE_CONFIG='', ANSIBLE_NOCOLOR='1', ANSIBLE_STDOUT_CALLBACK='json', ANSIBLE_DEPRECATION_WARNINGS='False')


def as_debug(node):
    """Every `show: {text: T}` task as `debug: {msg: T}` with changed_when: true."""
    if isinstance(node, list):
        return [as_debug(x) for x in node]
    if isinstance(node, dict):
        out = {k: as_debug(v) for k, v in node.items() if k != 'show'}
        if 'show' in node:
            out['debug'] = {'msg': node['show']['text']}
            out['changed_when'] = True
        return out
    return node


def main():
    with tempfile.TemporaryDirectory() as tmp:
        work = os.path.join(tmp, 'play')
        shutil.copytree(HERE, work, ignore=shutil.ignore_patterns('*.py', '*.json'))
        for root, _, files in os.walk(work):
            for name in files:
                if name.endswith('.yml') and 'vars' not in root:
                    path = os.path.join(root, name)
                    with open(path) as f:
                        data = yaml.safe_load(f)
                    with open(path, 'w') as f:
                        json.dump(as_debug(data), f)
        out = subprocess.run(['ansible-playbook', '-i', 'inventory.ini', '-c', 'local', 'playbook.yml'],
                             capture_output=True, text=True, env=ENV, cwd=work, check=True).stdout
    shown = {}
    for play in json.loads(out)['plays']:
        for t in play['tasks']:
            for host, r in t['hosts'].items():
                name = t['task']['name']
                if r.get('skipped'):
                    shown.setdefault(host, []).append('%s: (skipped)' % name)
                elif 'msg' in r and t['task'].get('name') != 'meta':
                    shown.setdefault(host, []).append('%s: %s' % (name, r['msg']))
    with open(os.path.join(HERE, 'expected.json'), 'w') as f:
        json.dump(shown, f, indent=1)
        f.write('\n')


main()
