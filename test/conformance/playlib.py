"""What the recorders of small playbooks share (blocks/, include/, sections/, meta/):
each directory holds a playbook.yml, its inventory.ini and task files whose tasks use
tend's test module `show: {text: T}`. Ansible runs a copy in which each show task is
`debug: {msg: T}` with changed_when: true (so that it notifies, as show does in tend),
every host local; what each task showed is read from the json callback.

Needs ansible-core (Debian: apt-get install ansible-core); run with /usr/bin/python3.
"""
import json
import os
import shutil
import subprocess
import tempfile

import yaml

ENV = dict(os.environ, ANSIBLE_CONFIG='', ANSIBLE_NOCOLOR='1', ANSIBLE_STDOUT_CALLBACK='json',
           ANSIBLE_DEPRECATION_WARNINGS='False')


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


def run(here, *args):
    """The plays of ansible-playbook's json output for a copy of `here` (task files rewritten)."""
    with tempfile.TemporaryDirectory() as tmp:
        work = os.path.join(tmp, 'play')
        shutil.copytree(here, work, ignore=shutil.ignore_patterns('*.py', '*.json'))
        for root, _, files in os.walk(work):
            if os.path.basename(root) == 'vars':
                continue
            for name in files:
                if name.endswith('.yml'):
                    path = os.path.join(root, name)
                    with open(path) as f:
                        data = yaml.safe_load(f)
                    with open(path, 'w') as f:
                        json.dump(as_debug(data), f)
        out = subprocess.run(['ansible-playbook', '-i', 'inventory.ini', '-c', 'local', *args, 'playbook.yml'],
                             capture_output=True, text=True, env=ENV, cwd=work, check=True).stdout
    return json.loads(out)['plays']


def sequence(plays):
    """Per host, what its tasks showed in the order they ran: "task name: text" (a loop's
    items one after another), "task name: (skipped)" for a task skipped by its condition.
    A role's task is named without its "role : " prefix."""
    shown = {}
    for play in plays:
        for t in play['tasks']:
            name = t['task']['name'].split(' : ', 1)[-1]
            for host, r in t['hosts'].items():
                lines = shown.setdefault(host, [])
                if r.get('skipped'):
                    lines.append('%s: (skipped)' % name)
                elif 'results' in r:
                    lines.extend('%s: %s' % (name, x['msg']) for x in r['results'] if 'msg' in x)
                elif 'msg' in r:
                    lines.append('%s: %s' % (name, r['msg']))
    return shown


def write(here, data):
    with open(os.path.join(here, 'expected.json'), 'w') as f:
        json.dump(data, f, indent=1)
        f.write('\n')
