#!/usr/bin/env python3
"""Records what Ansible makes of the conformance corpus, as the expectations npm test
compares tend against (test/unit/inventory-conformance.test.ts).

Needs ansible-core (Debian: apt-get install ansible-core). Run from the repository:
    python3 test/conformance/record.py
For each inventory in inventories/ it writes expected/NAME.json with:
  list        ansible-inventory --list (groups, hosts, merged variables), or
  error       the first line of ansible-inventory's error
  connection  per host, what Ansible's ssh plugin would connect to: address, port, user,
              key — read from the ssh command line Ansible runs, with a stand-in ssh
              that records it and fails
And expected/patterns.json: for each [inventory, pattern] in patterns.json, the hosts
`ansible -i INVENTORY --list-hosts PATTERN` lists (or `--limit` with `@file`).
"""
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
INVENTORIES = os.path.join(HERE, 'inventories')
EXPECTED = os.path.join(HERE, 'expected')
ENV = dict(os.environ, ANSIBLE_HOST_KEY_CHECKING='False', ANSIBLE_NOCOLOR='1', ANSIBLE_LOCALHOST_WARNING='False',
           ANSIBLE_INVENTORY_UNPARSED_WARNING='False', ANSIBLE_DEPRECATION_WARNINGS='False', ANSIBLE_PYTHON_INTERPRETER='/usr/bin/python3')


def run(args, env=ENV):
    return subprocess.run(args, capture_output=True, text=True, env=env, cwd=INVENTORIES)


def ansible_version():
    out = run(['ansible', '--version']).stdout.splitlines()[0]
    return out.strip()


def connections(path, hosts):
    """Address, port, user and key per host, as the ssh plugin would use them."""
    fake = tempfile.NamedTemporaryFile('w', delete=False, suffix='-ssh')
    fake.write('#!/bin/sh\nexit 255\n')
    fake.close()
    os.chmod(fake.name, 0o755)
    env = dict(ENV, ANSIBLE_SSH_EXECUTABLE=fake.name, ANSIBLE_TIMEOUT='1', ANSIBLE_SSH_RETRIES='0')
    result = {}
    for host in hosts:
        out = run(['ansible', host, '-i', path, '-m', 'ping', '-vvv', '--forks', '1'], env)
        text = out.stdout + out.stderr
        m = re.search(r'SSH: EXEC (.*)$', text, re.M)
        if not m:
            conn = 'local' if re.search(r'ESTABLISH LOCAL CONNECTION', text) else None
            result[host] = {'connection': conn}
            continue
        words = shlex.split(m.group(1))
        options = {}
        for i, w in enumerate(words):
            if w == '-o' and i + 1 < len(words) and '=' in words[i + 1]:
                k, v = words[i + 1].split('=', 1)
                options[k] = v.strip('"')
        result[host] = {
            'connection': 'ssh',
            'address': words[-2],
            'port': int(options['Port']) if 'Port' in options else None,
            'user': options.get('User'),
            'key': options.get('IdentityFile'),
        }
    os.unlink(fake.name)
    return result


def main():
    os.makedirs(EXPECTED, exist_ok=True)
    version = ansible_version()
    names = sorted(f for f in os.listdir(INVENTORIES) if not f.startswith('.') and not f.endswith('.limit'))
    for name in names:
        # A directory holds an inventory `hosts` with its group_vars/ and host_vars/.
        path = os.path.join(name, 'hosts') if os.path.isdir(os.path.join(INVENTORIES, name)) else name
        listed = run(['ansible-inventory', '-i', path, '--list'])
        record = {'ansible': version}
        if listed.returncode != 0 or 'Unable to parse' in listed.stderr:
            # The reason, with Ansible's line breaks and warning prefixes taken out.
            text = ' '.join(l.replace('[WARNING]:', '').strip() for l in listed.stderr.splitlines())
            record['error'] = re.sub(r'\s+', ' ', text).strip()
        else:
            data = json.loads(listed.stdout)
            record['list'] = data
            hosts = sorted(data.get('_meta', {}).get('hostvars', {}).keys() | {h for g in data.values() if isinstance(g, dict) for h in g.get('hosts', [])})
            if len(hosts) <= 12:
                record['connection'] = connections(path, hosts)
        with open(os.path.join(EXPECTED, name + '.json'), 'w') as f:
            json.dump(record, f, indent=2, sort_keys=True)
            f.write('\n')
        print(name, 'error' if 'error' in record else 'ok', file=sys.stderr)

    with open(os.path.join(HERE, 'patterns.json')) as f:
        patterns = json.load(f)
    results = []
    for inventory, pattern in patterns:
        if pattern.startswith('@'):
            out = run(['ansible', 'all', '-i', inventory, '--list-hosts', '--limit', pattern])
        else:
            out = run(['ansible', pattern, '-i', inventory, '--list-hosts'])
        entry = {'inventory': inventory, 'pattern': pattern}
        if out.returncode != 0:
            lines = [l for l in out.stderr.splitlines() if 'ERROR' in l]
            entry['error'] = lines[0] if lines else out.stderr.strip()
        else:
            entry['hosts'] = [l.strip() for l in out.stdout.splitlines()[1:] if l.strip()]
            warnings = [l for l in out.stderr.splitlines() if 'Could not match supplied host pattern' in l]
            if warnings:
                entry['warned'] = True
        results.append(entry)
    with open(os.path.join(EXPECTED, 'patterns.json'), 'w') as f:
        json.dump({'ansible': version, 'results': results}, f, indent=2)
        f.write('\n')
    print(len(names), 'inventories,', len(results), 'patterns', file=sys.stderr)


if __name__ == '__main__':
    main()
