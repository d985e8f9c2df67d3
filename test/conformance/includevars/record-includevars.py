#!/usr/bin/env python3
"""Records what ansible-playbook 2.14 shows for playbook.yml (include_vars: files found
where Ansible looks, name:, precedence, across plays), the expectations
test/unit/include-vars.test.ts compares tend against.
Run: /usr/bin/python3 test/conformance/includevars/record-includevars.py (see
../playlib.py); writes expected.json: the sequence on h1, each line "task name: text".
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
import playlib  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
shown = playlib.sequence(playlib.run(HERE))
playlib.write(HERE, shown['h1'])
