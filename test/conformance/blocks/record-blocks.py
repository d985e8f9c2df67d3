#!/usr/bin/env python3
"""Records what ansible-playbook 2.14 shows for playbook.yml (blocks, task vars, import
vars, role params), the expectations test/unit/blocks.test.ts compares tend against.
Run: /usr/bin/python3 test/conformance/blocks/record-blocks.py (see ../playlib.py); runs
it with -e ev=extra and writes expected.json: per task name, what it showed on h1.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
import playlib  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
lines = playlib.sequence(playlib.run(HERE, '-e', 'ev=extra'))['h1']
playlib.write(HERE, dict(line.split(': ', 1) for line in lines))
