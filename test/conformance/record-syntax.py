#!/usr/bin/python3
# Records what ansible-core 2.14 makes of each case in syntax/cases.yml, into
# syntax/expected.json, for test/unit/syntax-conformance.test.ts to compare with tend.
#   python3 test/conformance/record-syntax.py        (run where ansible-core is installed)
# Case kinds:
#   kv:    a k=v string through parse_kv (check_raw: true for free-form modules)
#   split: a string through split_args
#   task:  a task's YAML through Ansible's YAML loader and Task.load (ModuleArgsParser,
#          cmd -> _raw_params, attribute validation); `collections:` as the play's list
#   yaml:  a document through Ansible's YAML loader (PyYAML, YAML 1.1)
# Values are written with their Python types: int and str as JSON, float as
# {"float": repr}, dates as {"date": iso}, mappings with non-text keys as {"$map": [[k, v], ...]}.
import base64
import datetime
import json
import math
import os
import sys
import warnings

import yaml as pyyaml

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, '/usr/lib/python3/dist-packages')
warnings.simplefilter('ignore')

from ansible import constants as C  # noqa: E402
from ansible import __version__ as ansible_version  # noqa: E402
from ansible.errors import AnsibleError  # noqa: E402
from ansible.parsing.dataloader import DataLoader  # noqa: E402
from ansible.parsing.splitter import parse_kv, split_args  # noqa: E402
from ansible.parsing.yaml.loader import AnsibleLoader  # noqa: E402
from ansible.playbook.task import Task  # noqa: E402
from ansible.plugins.loader import action_loader, module_loader  # noqa: E402
from ansible.utils.collection_loader._collection_finder import _AnsibleCollectionFinder  # noqa: E402
from ansible.utils.display import Display  # noqa: E402

Display().verbosity = -1
_AnsibleCollectionFinder(paths=C.COLLECTIONS_PATHS)._install()


def encode(v):
    if isinstance(v, bool) or v is None:
        return v
    if isinstance(v, int):
        return v if abs(v) < 2 ** 53 else {'int': str(v)}
    if isinstance(v, float):
        if math.isnan(v) or math.isinf(v) or v == int(v):
            return {'float': repr(v)}
        return {'float': repr(v)}
    if isinstance(v, str):
        return str(v)
    if isinstance(v, bytes):
        return {'bytes': base64.b64encode(v).decode()}
    if isinstance(v, datetime.datetime):
        return {'datetime': v.isoformat()}
    if isinstance(v, datetime.date):
        return {'date': v.isoformat()}
    if isinstance(v, (list, tuple)):
        return [encode(x) for x in v]
    if isinstance(v, dict):
        if all(isinstance(k, str) for k in v):
            return {str(k): encode(x) for k, x in v.items()}
        return {'$map': [[encode(k), encode(x)] for k, x in v.items()]}
    if isinstance(v, set):
        return {'$set': sorted(encode(x) for x in v)}
    return {'repr': repr(v)}


def error(e):
    message = str(getattr(e, 'message', None) or e).split('\n')[0]
    return {'error': type(e).__name__, 'message': message}


def resolves(name, collections):
    ctx = action_loader.find_plugin_with_context(name, collection_list=collections)
    if not ctx.resolved:
        ctx = module_loader.find_plugin_with_context(name, collection_list=collections)
    return ctx.resolved_fqcn if ctx.resolved and ctx.redirect_list else None


ATTRS = set(Task.fattributes) | {'local_action', 'static'}


def record_task(case):
    loader = DataLoader()
    try:
        ds = loader.load(case['task'])
    except Exception as e:  # noqa: BLE001
        return error(e)
    if not isinstance(ds, dict):
        return {'error': 'NotAMapping', 'message': type(ds).__name__}
    collections = case.get('collections')
    if collections is not None:
        ds['collections'] = list(collections)
    # Which keys name a plugin, as ModuleArgsParser asks (the list Task.load passes it).
    search = list(collections) if collections else None
    if search and 'ansible.builtin' not in search and 'ansible.legacy' not in search:
        search.append('ansible.legacy')
    keys = {str(k): resolves(str(k), search) for k in ds if str(k) not in ATTRS and not str(k).startswith('with_')}
    try:
        task = Task.load(ds, loader=loader)
    except (AnsibleError, Exception) as e:  # noqa: BLE001
        return dict(error(e), resolves=keys)
    out = {'action': task.action, 'args': encode(task.args), 'resolves': keys}
    if task.delegate_to is not None:
        out['delegate_to'] = encode(task.delegate_to)
    return out


def record(case):
    if 'kv' in case:
        try:
            return {'value': encode(parse_kv(case['kv'], check_raw=case.get('check_raw', False)))}
        except Exception as e:  # noqa: BLE001
            return error(e)
    if 'split' in case:
        try:
            return {'value': split_args(case['split'])}
        except Exception as e:  # noqa: BLE001
            return error(e)
    if 'yaml' in case:
        try:
            return {'value': encode(AnsibleLoader(case['yaml']).get_single_data())}
        except Exception as e:  # noqa: BLE001
            return error(e)
    if 'task' in case:
        return record_task(case)
    raise SystemExit('case %s has no kv, split, yaml or task' % case.get('id'))


def main():
    with open(os.path.join(HERE, 'syntax', 'cases.yml'), encoding='utf-8') as f:
        cases = pyyaml.safe_load(f)
    ids = [c['id'] for c in cases]
    dupes = {i for i in ids if ids.count(i) > 1}
    if dupes:
        raise SystemExit('duplicate case ids: %s' % ', '.join(sorted(dupes)))
    out = {'ansible_core': ansible_version, 'cases': {c['id']: record(c) for c in cases}}
    with open(os.path.join(HERE, 'syntax', 'expected.json'), 'w', encoding='utf-8') as f:
        json.dump(out, f, indent=1, ensure_ascii=False, sort_keys=False)
        f.write('\n')
    print('%d cases recorded with ansible-core %s' % (len(cases), ansible_version))


main()
