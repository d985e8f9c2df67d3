#!/usr/bin/env python3
"""Records what ansible-playbook 2.14 shows for playbook.yml (register and the keywords that
read a result), the expectations test/unit/register.test.ts compares tend against.
Run: /usr/bin/python3 test/conformance/register/record-register.py (see ../playlib.py);
writes expected.json: per host, each "show …" task's text in the order they ran.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
import playlib  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
shown = playlib.sequence(playlib.run(HERE))
playlib.write(HERE, {host: [line for line in lines if line.startswith('show ')] for host, lines in shown.items()})
