#!/usr/bin/env python3
"""Records what ansible-playbook 2.14 shows for playbook.yml (include_tasks: static,
templated file names, vars, loops, loop_var, conditions, nesting, a role's, the legacy
dynamic include), the expectations test/unit/include-tasks.test.ts compares tend against.
Run: /usr/bin/python3 test/conformance/include/record-include.py (see ../playlib.py);
writes expected.json: the sequence on h1, each line "task name: text".
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
import playlib  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
shown = playlib.sequence(playlib.run(HERE))
playlib.write(HERE, shown['h1'])
