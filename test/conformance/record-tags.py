#!/usr/bin/env python3
"""Records which tasks ansible-playbook selects for --tags/--skip-tags, as the
expectations test/unit/tags.test.ts compares tend against.

Needs ansible-core (Debian: apt-get install ansible-core). Run from the repository:
    python3 test/conformance/record-tags.py
Writes expected/tags.json: the tasks (by name) `ansible-playbook --list-tasks` lists for
each selection, over tasks tagged in every way that matters (none, a, b, always, never…).
"""
import json
import os
import re
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TASKS = {'untagged': [], 't_a': ['a'], 't_b': ['b'], 't_ab': ['a', 'b'], 't_always': ['always'], 't_never': ['never'],
         't_never_a': ['never', 'a'], 't_always_b': ['always', 'b']}
SELECTIONS = [([], []), (['a'], []), (['b'], []), (['a', 'b'], []), (['all'], []), (['tagged'], []), (['untagged'], []),
              (['never'], []), (['always'], []), ([], ['a']), ([], ['always']), ([], ['all']), ([], ['tagged']),
              ([], ['untagged']), (['a'], ['b']), (['all'], ['always']), (['never'], ['a']), (['untagged', 'b'], []),
              ([], ['all', 'always']), (['a'], ['never'])]
ENV = dict(os.environ, ANSIBLE_NOCOLOR='1', ANSIBLE_LOCALHOST_WARNING='False')


def main():
    with tempfile.TemporaryDirectory() as tmp:
        play = [{'hosts': 'localhost', 'gather_facts': False, 'tasks': [
            dict({'name': name, 'debug': {'msg': name}}, **({'tags': tags} if tags else {})) for name, tags in TASKS.items()]}]
        with open(os.path.join(tmp, 'play.yml'), 'w') as f:
            json.dump(play, f)
        cases = []
        for tags, skip in SELECTIONS:
            args = ['ansible-playbook', '-i', 'localhost,', 'play.yml', '--list-tasks']
            if tags:
                args += ['--tags', ','.join(tags)]
            if skip:
                args += ['--skip-tags', ','.join(skip)]
            out = subprocess.run(args, capture_output=True, text=True, env=ENV, cwd=tmp).stdout
            listed = [m for m in re.findall(r'^\s+(\S+)\s+TAGS:', out, re.M)]
            cases.append({'tags': tags, 'skipTags': skip, 'runs': listed})
    version = subprocess.run(['ansible', '--version'], capture_output=True, text=True).stdout.splitlines()[0].strip()
    with open(os.path.join(HERE, 'expected', 'tags.json'), 'w') as f:
        json.dump({'recorded_with': version, 'tasks': TASKS, 'cases': cases}, f, indent=1)
        f.write('\n')


if __name__ == '__main__':
    main()
