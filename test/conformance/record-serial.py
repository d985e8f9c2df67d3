#!/usr/bin/env python3
"""Records how Ansible splits a play's hosts into `serial:` waves, and where a failing wave
stops the rollout, as the expectations test/unit/rollout.test.ts compares tend against.

Needs ansible-core (Debian: apt-get install ansible-core). Run from the repository:
    python3 test/conformance/record-serial.py
For each case in serial-cases.json it runs a local-connection play over hosts h01…hNN
whose first task prints `ansible_play_batch` once per wave, and whose second task fails
on the case's failing hosts; it writes expected/serial.json: the waves Ansible ran.
"""
import json
import os
import re
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ENV = dict(os.environ, ANSIBLE_NOCOLOR='1', ANSIBLE_LOCALHOST_WARNING='False', ANSIBLE_DEPRECATION_WARNINGS='False',
           ANSIBLE_PYTHON_INTERPRETER='/usr/bin/python3', ANSIBLE_RETRY_FILES_ENABLED='False')


def waves(case):
    with tempfile.TemporaryDirectory() as tmp:
        hosts = [f'h{i:02d}' for i in range(1, case['hosts'] + 1)]
        with open(os.path.join(tmp, 'hosts.ini'), 'w') as f:
            f.write('\n'.join(f'{h} ansible_connection=local' for h in hosts) + '\n')
        play = {'hosts': 'all', 'gather_facts': False, 'serial': case['serial'], 'tasks': [
            {'debug': {'msg': "WAVE {{ ansible_play_batch | join(',') }}"}, 'run_once': True},
            {'fail': {'msg': 'boom'}, 'when': 'inventory_hostname in failing'},
        ]}
        if 'max_fail_percentage' in case:
            play['max_fail_percentage'] = case['max_fail_percentage']
        with open(os.path.join(tmp, 'play.yml'), 'w') as f:
            json.dump([play], f)
        out = subprocess.run(['ansible-playbook', '-i', 'hosts.ini', 'play.yml', '-e', json.dumps({'failing': case.get('failing', [])})],
                             capture_output=True, text=True, env=ENV, cwd=tmp).stdout
        return [line.split(',') for line in re.findall(r'"msg": "WAVE ([^"]*)"', out)]


def main():
    with open(os.path.join(HERE, 'serial-cases.json')) as f:
        cases = json.load(f)
    version = subprocess.run(['ansible', '--version'], capture_output=True, text=True).stdout.splitlines()[0].strip()
    expected = {'recorded_with': version, 'cases': [dict(case, waves=waves(case)) for case in cases]}
    with open(os.path.join(HERE, 'expected', 'serial.json'), 'w') as f:
        json.dump(expected, f, indent=1)
        f.write('\n')


if __name__ == '__main__':
    main()
