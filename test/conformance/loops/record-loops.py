#!/usr/bin/env python3
"""Records the items of with_* loops as ansible-playbook makes them, the expectations
test/unit/with-loops.test.ts compares tend against.

Needs ansible-core (Debian: apt-get install ansible-core). Run from anywhere:
    /usr/bin/python3 test/conformance/loops/record-loops.py
Each case of cases.yml becomes a task `debug: msg="{{ item | to_json }}"` with that loop,
in a playbook beside this file (so files/ is found as a role's or playbook's files are);
writes expected.json: per case, the items (each as JSON text) or the error message, this
directory's path written as <dir>.
"""
import json
import os
import subprocess

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ENV = dict(os.environ, ANSIBLE_CONFIG='', ANSIBLE_NOCOLOR='1', ANSIBLE_STDOUT_CALLBACK='json')


def main():
    with open(os.path.join(HERE, 'cases.yml')) as f:
        spec = yaml.safe_load(f)
    tasks = []
    for i, case in enumerate(spec['cases']):
        tasks.append(dict(case, name='case %d' % i, debug={'msg': '{{ item | to_json }}'}, ignore_errors=True))
    play = [{'hosts': 'localhost', 'gather_facts': False, 'connection': 'local', 'vars': spec['vars'], 'tasks': tasks}]
    playbook = os.path.join(HERE, '.record-loops.yml')
    with open(playbook, 'w') as f:
        json.dump(play, f)
    try:
        out = subprocess.run(['ansible-playbook', '-i', 'localhost,', playbook], capture_output=True, text=True, env=ENV, cwd=HERE).stdout
    finally:
        os.unlink(playbook)
    expected = []
    for t in json.loads(out)['plays'][0]['tasks']:
        r = t['hosts']['localhost']
        if r.get('failed'):
            expected.append({'error': r.get('msg', '')})
        elif 'results' in r:
            expected.append({'items': [x['msg'] for x in r['results']]})
        else:
            expected.append({'items': [], 'skipped': r.get('skipped', False)})
    with open(os.path.join(HERE, 'expected.json'), 'w') as f:
        f.write(json.dumps(expected, indent=1).replace(HERE, '<dir>'))
        f.write('\n')


main()
