#!/usr/bin/env python3
"""Records what Jinja2 (as Ansible evaluates conditions: StrictUndefined) makes of the
expressions in expressions.json, as the expectations test/unit/expression.test.ts
compares tend's expression language against.

Needs python3-jinja2 (it comes with ansible-core). Run from the repository:
    python3 test/conformance/record-expressions.py
Writes expected/expressions.json: per expression its value (JSON), or "error".
"""
import json
import os
import jinja2

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    with open(os.path.join(HERE, 'expressions.json')) as f:
        spec = json.load(f)
    env = jinja2.Environment(undefined=jinja2.StrictUndefined)
    env.filters['bool'] = lambda v: v if isinstance(v, bool) else str(v).lower() in ('yes', 'true', '1', 'on', 'y')
    results = []
    for expr in spec['expressions']:
        try:
            value = env.compile_expression(expr, undefined_to_none=False)(**spec['vars'])
            if isinstance(value, jinja2.Undefined):
                raise jinja2.UndefinedError('undefined')
            results.append({'expr': expr, 'value': value})
        except Exception:
            results.append({'expr': expr, 'error': True})
    with open(os.path.join(HERE, 'expected', 'expressions.json'), 'w') as f:
        json.dump({'recorded_with': f'jinja2 {jinja2.__version__}', 'vars': spec['vars'], 'results': results}, f, indent=1)
        f.write('\n')


if __name__ == '__main__':
    main()
