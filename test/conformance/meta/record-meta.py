#!/usr/bin/env python3
"""Records what ansible-playbook 2.14 shows for playbook.yml (meta: flush_handlers, noop,
end_host, over two plays), the expectations test/unit/meta.test.ts compares tend against.
Run: /usr/bin/python3 test/conformance/meta/record-meta.py (see ../playlib.py); writes
expected.json: the sequence per host, each line "task name: text".
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
import playlib  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
shown = playlib.sequence(playlib.run(HERE))
playlib.write(HERE, shown)
