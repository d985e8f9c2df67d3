#!/usr/bin/python3
"""Records what ansible-core 2.14's own Templar makes of the template conformance cases,
as the expectations test/unit/template-conformance.test.ts compares src/template against.

Needs Debian 12's ansible-core (apt-get install ansible-core); run with Debian's Python,
from the repository:
    /usr/bin/python3 test/conformance/record-templates.py          # every cases/*.yml
    /usr/bin/python3 test/conformance/record-templates.py filters  # only cases/filters.yml

Each case file under templates/cases/ is a YAML list of cases:
    - name: unique-in-file
      template: "text"           # rendered as the template module renders a file, or
      expr: "a | b"              # evaluated as one expression: its Python repr is recorded, or
      arg: "{{ a }}"             # a task argument (any YAML) templated: its Python repr, or
      when: "a is defined"       # a conditional evaluated (True/False recorded), or
      role: geerlingguy+ansible-role-nginx   # with src: a template of a fetched role
      src: templates/nginx.conf.j2           #   (roles/<role>/, its defaults/main.yml as vars)
      role_vars: [vars/Debian.yml]           #   and vars files its tasks would include
      vars: {...}                # on top of facts-debian12.yml (and the role's defaults)
      files: {name: text}        # templates include/import/extends find (a search path)
Writes templates/expected/<file>.json: per case {"output": text} or {"repr": text} or
{"error": {"class": name, "message": first line}}.

The Templar is set up as lib/ansible/plugins/action/template.py sets it: AnsibleEnvironment,
trim_blocks on, lstrip_blocks off, newline_sequence "\\n", search path the role's
templates/ then the role (or the case's files), do_template with preserve_trailing_newlines
and no backslash escaping. The template_* variables are fixed (the real ones name this
machine and today's date).
"""
import json
import os
import sys
import tempfile

import yaml

from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar, AnsibleEnvironment
from ansible.template.vars import AnsibleJ2Vars
from ansible.playbook.conditional import Conditional
import ansible
import jinja2

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'templates')

FIXED_TEMPLATE_VARS = {
    'ansible_managed': 'Ansible managed',
    'template_host': 'controller',
    'template_uid': 'root',
    'template_path': 'template.j2',
    'template_fullpath': '/etc/ansible/templates/template.j2',
    'template_destpath': '/etc/example.conf',
}


def load_yaml(path):
    with open(path) as f:
        return yaml.safe_load(f)


def error(e):
    message = str(e).split('\n')[0]
    out = {'class': type(e).__name__, 'message': message}
    # Jinja2's syntax errors know their line; Ansible wraps them (orig_exc).
    inner = getattr(e, 'orig_exc', None) or e
    if isinstance(inner, jinja2.TemplateSyntaxError) and inner.lineno:
        out['line'] = inner.lineno
    return {'error': out}


def templar_for(variables, searchpath, basedir):
    loader = DataLoader()
    loader.set_basedir(basedir)  # where file-like lookups look (files/, templates/, itself)
    base = Templar(loader=loader, variables=variables)
    return base.copy_with_new_env(environment_class=AnsibleEnvironment, searchpath=searchpath,
                                  newline_sequence='\n', trim_blocks=True, lstrip_blocks=False,
                                  available_variables=variables)


def record_case(case, facts):
    variables = dict(facts)
    variables.update(FIXED_TEMPLATE_VARS)
    with tempfile.TemporaryDirectory() as tmp:
        searchpath = [tmp]
        text = case.get('template')
        if 'role' in case:
            role = os.path.join(HERE, 'roles', case['role'])
            defaults = os.path.join(role, 'defaults', 'main.yml')
            if os.path.exists(defaults):
                variables.update(load_yaml(defaults) or {})
            for extra in case.get('role_vars') or []:  # vars/ files the role's tasks include
                variables.update(load_yaml(os.path.join(role, extra)) or {})
            searchpath = [os.path.join(role, 'templates'), role]
            with open(os.path.join(role, case['src']), encoding='utf-8') as f:
                text = f.read()
        variables.update(case.get('vars') or {})
        for name, content in (case.get('files') or {}).items():
            path = os.path.join(tmp, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, 'w') as f:
                f.write(content)
        templar = templar_for(variables, searchpath, tmp)
        try:
            if 'when' in case:  # a conditional, as Conditional.evaluate_conditional checks one
                c = case['when']
                if c is None or c == '' or isinstance(c, bool):
                    return {'repr': repr(True if c is None or c == '' else c)}
                return {'repr': repr(bool(Conditional(loader=templar._loader)._check_conditional(c, templar, variables)))}
            if 'arg' in case:  # a task argument: Templar.template, as the task executor calls it
                return {'repr': repr(templar.template(case['arg']))}
            if 'expr' in case:
                env = templar.environment
                fn = env.compile_expression(case['expr'], undefined_to_none=False)
                value = fn(AnsibleJ2Vars(templar, {}))
                if isinstance(value, jinja2.Undefined):
                    value._fail_with_undefined_error()
                return {'repr': repr(value)}
            return {'output': templar.do_template(text, preserve_trailing_newlines=True, escape_backslashes=False)}
        except Exception as e:  # what Ansible refuses is recorded too
            return error(e)


def main():
    os.environ['TEND_TEMPLATE_TEST'] = 'from the environment'  # what lookup('env') cases read
    facts = load_yaml(os.path.join(HERE, 'facts-debian12.yml'))
    only = set(sys.argv[1:])
    cases_dir = os.path.join(HERE, 'cases')
    for file in sorted(os.listdir(cases_dir)):
        stem, ext = os.path.splitext(file)
        if ext not in ('.yml', '.yaml') or (only and stem not in only):
            continue
        cases = load_yaml(os.path.join(cases_dir, file)) or []
        results = {}
        for case in cases:
            if case['name'] in results:
                sys.exit(f'{file}: case {case["name"]} twice')
            results[case['name']] = record_case(case, facts)
        out = {'recorded_with': f'ansible-core {ansible.__version__}, jinja2 {jinja2.__version__}', 'results': results}
        with open(os.path.join(HERE, 'expected', stem + '.json'), 'w') as f:
            json.dump(out, f, indent=1, ensure_ascii=False)
            f.write('\n')
        print(f'{file}: {len(results)} cases')


if __name__ == '__main__':
    main()
