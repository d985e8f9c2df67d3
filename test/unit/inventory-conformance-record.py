#!/usr/bin/python3
"""Records ansible-core's answers for the pieces of inventory reading that tend has its
own copies of, as test/unit/inventory-conformance-pieces.test.ts compares tend against.

Needs ansible-core (Debian: apt-get install ansible-core). Run from the repository:
    /usr/bin/python3 test/unit/inventory-conformance-record.py
It writes test/unit/inventory-conformance-pieces.json with, for each input below:
  addresses  ansible.parsing.utils.addresses.parse_address(TEXT, allow_ranges=True):
             host and port, or error
  entries    the INI reader's host entry (its _expand_hostpattern): names and port,
             or error
  shlex      shlex.split(LINE, comments=True), as the INI reader splits host lines,
             or error
  values     the INI reader's _parse_value(TEXT), as ansible-inventory --list prints it
  splits     split_host_pattern(PATTERN): the terms of a host pattern
  inventories  small INI and YAML inventories: ansible-inventory --list, or error
  patterns   InventoryManager.get_hosts(PATTERN) on an inventory of the conformance
             corpus (test/conformance/inventories/): host names, or error
"""
import json
import os
import shlex
import subprocess
import sys
import tempfile

from ansible.errors import AnsibleError
from ansible.inventory.manager import InventoryManager, split_host_pattern
from ansible.parsing.ajson import AnsibleJSONEncoder
from ansible.parsing.dataloader import DataLoader
from ansible.parsing.utils.addresses import parse_address
from ansible.plugins.inventory.ini import InventoryModule as IniInventory
from ansible.release import __version__

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, '..', 'conformance', 'inventories')

ADDRESSES = [
    # IPv4, plain and with ports and ranges
    '192.0.2.1', '192.0.2.1:22', '255.255.255.255', '256.1.1.1', '1.2.3', '1.2.3.4.5', '01.2.3.4', '0.0.0.0:0',
    '10.0.[1:3].1', '10.0.0.[1:3:2]', '[192.0.2.1]:2222', '192.0.2.1:65536', '1.2.3.04', '199.2.3.4', '249.1.1.1',
    # IPv6, one of each shape Ansible's expression lists
    '2001:db8:0:0:0:0:0:1', '2001:db8::', 'fe80::1', '2001:db8::1:2:3:4:5', '1:2::3:4:5:6:7', '1:2:3::4:5:6',
    '1:2:3:4::5:6', '1:2:3:4:5::6', '1:2:3:4:5:6::7', '::1', '::', '::2:3:4:5:6:7', '1::', '0:0:0:0:0:0:1.2.3.4',
    '::ffff:1.2.3.4', '::1.2.3.4', '0:0:0:0:0:ffff:1.2.3.4', '[2001:db8::1]:2222', '[::1]:22', '2001:db8::1:22',
    'fe80::1%eth0', '1:2:3:4:5:6:7:8:9', 'g::1', '12345::1', '[fe80::1]', 'FE80::AbCd', 'fe80::[a:f]', 'fe80::[1:3]:1',
    '::ffff:[1:3].2.3.4', '1:2:3:4:5:6:7', '1::2::3', '1:2:3:4:5:6:7::',
    # names
    'web', 'web.example.com', 'web-1.example.com', 'WEB_1', 'web-', '-web', 'web_', '_web', 'web..com', 'web.', '.web',
    'münchen.example', 'サーバ', 'a b', 'web:', 'web:22', 'web:abc', '[web]:22', '[web]', 'web[1:3]', 'web[01:10:3]',
    'web[a:c].example.com', 'db-[a:c]-[1:2]', 'web[1:3]:22', 'web[x]', 'web[1:]', 'web[:3]', 'web[A:C]', 'web[0x1:0x3]',
    'x[a:c]y', 'host]', 'h:o:s:t', 'web*', 'web?', '~web', '!web', '&web', 'web:2222:22', '[web]:22:22', 'web[1:3]-[a:b]',
    'web-[1:3]_', 'a.b.c.d', '1.2.3.a', '1a.2.3.4', '1-2.3.4.5', 'x_-y', 'localhost', '127.0.0.1', 'web.[1:3]',
    'web:22x', '1..2.3', '1.2..3.4', '1:::2', ':::', 'a..b', '[1:3]web', '[a:c]', 'FE80::[A:F]', '10.0.0.[1:3]:22',
]

ENTRIES = [
    'web', 'web:2222', 'web[1:3]', 'web[01:10:3]', 'web[08:11]', 'web[1:10:4]', 'web[3:1]', 'web[a:c]', 'web[c:a]',
    'web[a:e:2]', 'web[A:C]', 'web[a:C]', 'web[1:3]-[a:b]', 'db-[a:b]-[1:2].example.com', 'web[1:3]:2222', '[web]:2222',
    '10.0.0.[1:3]', '10.0.[1:2].[7:8]:22', 'web[:3]', 'web[1:]', 'web[1:2:3:4]', 'web[1]', 'web[x:y:0]', 'web[1:3:0]',
    'web[1:3:-1]', 'web[01:3]', 'web[1:03]', 'web[001:100:33]', 'web[1:3', 'web1:3]', 'web[aa:bb]', 'web[1:b]',
    '[1:3]x', '[a:b]', '[1:2]:22', 'x[1:2][3:4]',
    '[2001:db8::1]:22', 'fe80::[1:3]', 'a b', 'web:x', 'web*', 'web[0:0]', 'w[1:2]x[3:4]y', 'web[9:11]',
]

SHLEX = [
    'h a=1 b=2', "h a='x y' b=\"p q\"", 'h a="x\\"y" b="x\\\\y" c="x\\ny"', "h a='x\\y'", 'h a=x\\ y', 'h a=b#c d=e',
    'h # comment', '#all comment', "h a='#x' b=\"#y\"", 'h\ta=1\t\tb=2', '  h  ', '', 'h a="unclosed', "h a='unclosed",
    'h a=\\', 'h a=""', "h a=''", 'h a=x"y z"w', "h a=x'y z'w", 'h "a b"c', 'h \\#x', 'h a=1\r', 'h a="\\$x"',
    'h a="x\\\\"', 'h a=\\\\', "h 'a'\"b\"c", 'h a="#"#c', 'h a=é b=ü',
]

VALUES = [
    '42', '-7', '+7', '3.5', '1e3', '1E-2', '.5', '5.', '0x1F', '0o17', '0b101', '010', '1_000', '0_1', '1__0', '_1',
    'True', 'False', 'None', 'true', 'yes', 'no', 'null', "'x'", '"x"', "'03#pa33w0rd'", "'a' 'b'", '"a" "b"',
    "'a\\nb'", "'a\\tb'", "r'a\\nb'", "b'x'", "u'x'", "'\\x41'", "'\\u00e9'", "'\\101'", "'\\''", '"\\""',
    '[1, 2]', '[1, [2, 3]]', '[]', '[1,]', '(1, 2)', '()', '(1,)', '(1)', '{1, 2}', "{'a': 1, 'b': [2]}", '{}',
    "{'a': 1,}", '[1, 2', '{1: 2, 1: 3}', '-0', '- 5', '--5', '-True', '1 + 2', '1j', 'x', 'a b', '[a]', "['a',]",
    "'a' # c", '1 # comment', ' 42 ', "'unterminated", '0.1e+2', '1e', '1.2.3', '00', '0', '000', '0.0', '-0.0',
    "{'a': {'b': None}}", '(1, (2,))', '"""x"""', "'''y'''", "'a' \"b\" 'c'", '[True, False, None]', "{'a'}",
    '12345678901234567890', '1e400', '-1e400', '0x', '0b2', '0o8', '1_', '3.14_15', '1_000.5', '.', '+', '-',
    # escapes, raw and prefixed strings, joined strings
    "'\\a\\b\\f\\v\\0\\r'", "'a\\\nb'", "'\\U0001F600'", "'\\x4'", "'\\u12'", "'\\U1234'", "'\\q'", "'\\N{BULLET}'",
    "r'\\''", "R'a\\b'", "rb'x'", "Br'x'", "U'x'", "f'x'", "ur'x'", "'a'\t'b'", "'a' u'b'", "'''a\nb'''", "'a\nb'",
    '"it\'s"', "'\\\\'", "'a", "'a'b", "'a' 'b' # c", "\t42", "\f42",
    # tuples, lists, dicts and sets at their edges
    '1, 2', '1,', '1, 2,', ', 1', '(1, 2,)', '((1))', '[1 2]', '(1 2)', '[,]', '[1,,2]', "{'a' 1}", "{'a': 1 'b': 2}",
    "{'a': 1, 'b'}", "{'a': }", "{(1, 2): 3}", "{[1]: 2}", "{1: 2, 3}", "{1, 2,}", '{1 2}', "{'a': 1, 'a': 2}",
    "{None: 1, True: 2, 1.5: 3}", "{'k': (1,)}", "[{'a': [1, {'b': ()}]}]", '-[1]', '+True', "-'a'", '- -1', '+-1',
    # numbers
    '1_000_000', '0X1f', '0O7', '0B1', '0x_1', '0b_1_0', '1e5j', '.e1', '1.e1', '1_e1', '1e_1', '0_0', '00.5', '0e0',
    '1.5e-3', '1E+3', '007', '0.', '1__000', '0x1g', 'nan', 'inf', 'Infinity', 'True False', '1 2', 'None # x',
]

PATTERNS = {
    '11-docs-children-vars.ini': [
        'host[!1]', 'host[!12]*', 'host[!]', 'host[]', 'host[1-2]', 'host[!1-2]', 'h?st1', 'h*', '*', '?', '*1', 'host[13]',
        '~host(1|3)', '~.*2', '~ost', '~(?P<x>host)(?P=x)?1', '~host[', 'atlanta[0:0]', 'atlanta[1]', 'atlanta[2]',
        'atlanta[-2]', 'atlanta[-3]', 'atlanta[5:]', 'atlanta[0:5]', 'atlanta[1:0]', 'usa[0:]', 'usa[-1:]', 'usa[0-1]',
        'all[1]', 'all:!usa', 'all:&usa', '&usa', '!usa', 'usa:!atlanta:&raleigh', 'atlanta:raleigh:&southeast:!host1',
        'atlanta,raleigh,!host2', 'host3,host1,host2', 'host1:host1:host1', 'atl*', 'atlant?', 'south*:!raleigh',
        '*east', 'host1,nosuch,host3', 'nosuch:!host1', 'atlanta ,raleigh', ' atlanta', 'atlanta:raleigh:', ',atlanta',
        'localhost', '127.0.0.1', 'localhost,host1', 'all,localhost', 'ungrouped', 'all:!ungrouped', 'usa[0][1]',
        '~[', 'host[1:2]', 'a*t*a', '[!a]*', '[h]ost1', '*[!3]', 'host\\1', 'host.1', 'ho*st1',
    ],
    '05-docs-ranges.ini': ['www*', 'db-?', 'db-[a-c]*', 'db-[!a]*', 'databases[1:]', 'webservers[-2:]', '~www[0-9]+', '*:!*db*',
                           'webservers[10:12]', 'webservers[10]', 'webservers[-12]', 'webservers[12-14]', 'webservers[48:]',
                           'stride[10:]', '~(?P<prefix>www)(?P<tens>[1-2])1\\.', '~(?P<name>db)-(?P=name)?[ab]', 'www[]0]1*', 'www[]0]1*,none', 'www[!]0-4]*,none',
                           'www[\\0]1*', 'www[0-1][!0-8]*', '*.example.com:!www*'],
    '24-ipv6.ini': ['2001:db8::1', '[2001:db8::1]', 'fe80::*', '2001*', 'v6', 'v6:!2001:db8::1', '2001:db8::1,host'],
    '41-group-and-host-same-name.ini': ['web', 'web*', 'all:!web', '~web', 'web[0]'],
    '35-mixed-case-groups.yml': ['Web', 'web', 'WEB*', '~(?i)web', '*eb*'],
}


SPLITS = [
    'a,b', 'a:b', 'a:b,c', ' a , b ', 'a:!b:&c', 'a,!b,&c', '2001:db8::1', '::1', 'fe80::1%eth0', '[2001:db8::1]:22',
    'web[1:3]', 'web[1:3]:db', 'db:web[1:3]:!web[2]', 'a:b:', ':a', '', ',', 'a,,b', 'a b', 'a\tb', 'a: b', '~web[0-9]:db',
    '~(a|b):c', 'host:22', 'web1.example.com:db', '10.0.0.1', '10.0.0.1:web', 'a[1]:b[2:]', 'a[', 'a]:b', '*:!x*', '@file',
]


INVENTORIES = [
    # INI: sections in every order, comments, values, ports, ranges, and what is refused
    ('ini', '[web]\nw1\n[web:vars]\nx=1\n'),
    ('ini', '[web:vars]\nx=1\n[web]\nw1\n'),
    ('ini', '[prod:children]\nweb\n[web]\nw1\n'),
    ('ini', '[prod:children]\nnosuch\n'),
    ('ini', '[nosuch:vars]\nx=1\n'),
    ('ini', '[web:foo]\nx\n'),
    ('ini', '[web\nw1\n'),
    ('ini', '[we b]\nw1\n'),
    ('ini', '; c\n# c\n[web] # c\nw1 # c\n'),
    ('ini', 'w1 a=1 b=True c="x y" d=[1,2] e=0x10 f=010 g=\'s\'\n'),
    ('ini', '---\nw1\n'),
    ('ini', 'w1 novalue\n'),
    ('ini', 'w1 =x\n'),
    ('ini', '[web]\nw1\n[web:vars]\na = 1\nb= x y \nc=\nd = [1, 2] # not a comment\n'),
    ('ini', '[web]\nw1\n[web:vars]\nnovalue\n'),
    ('ini', '[prod:children]\nweb # c\n[web]\nw1\n'),
    ('ini', '[web]\nw1\n[prod:children]\nweb db\n'),
    ('ini', 'w1\n[web]\nw1\n'),
    ('ini', '[web]\r\nw1 x=1\r\n'),
    ('ini', '[web]\nw1:2222\nw[1:2]:22 x=1\n[db]\n[2001:db8::1]:2200\n'),
    ('ini', '[a:children]\nb\n[b:children]\nc\n[c]\nh\n'),
    ('ini', '[x:children]\nc\n[y:children]\nc\n[c]\nh\n'),
    ('ini', '[all:vars]\nx=1\n[web]\nw1\n'),
    ('ini', 'w1 a=1 a=2\n'),
    ('ini', '[p:vars]\nx=1\n[p:children]\nweb\n[web]\nw1\n'),
    ('ini', '  [web]\n  w1\n'),
    ('ini', '[ungrouped]\nw1\n[web]\nw2\n'),
    ('ini', '[web]\nw1\n[web]\nw2\n[web:vars]\nx=1\n[web:vars]\nx=2\ny=3\n'),
    ('ini', '[web]\nw1 x="unclosed\n'),
    ('ini', '[web]\nw[1:3\n'),
    ('ini', '[web]\nw[3:1]\n'),
    ('ini', '[web]\nw1:\n'),
    ('ini', '[web:children]\n[db]\nd1\n'),
    ('ini', '[web]\nw1\n[web:children]\nweb\n'),
    ('ini', '[a:children]\nb\n[b:children]\na\n'),
    # YAML
    ('yml', 'all:\n  hosts:\n    w1:\n'),
    ('yml', 'web:\n  hosts: w1\n'),
    ('yml', 'all:\n  children:\n    web:\n      hosts:\n        w1:\n          x: 1\n      vars:\n        y: 2\n'),
    ('yml', 'web: [1]\n'),
    ('yml', 'all:\n  hosts: [w1]\n'),
    ('yml', 'all:\n  hosts:\n    w1: 5\n'),
    ('yml', ''),
    ('yml', '- a\n'),
    ('yml', 'web:\n  children: db\n'),
    ('yml', 'all:\n  hosts:\n    w1:2222:\n    "[2001:db8::1]:22":\n'),
    ('yml', 'all:\n  hosts:\n    w[1:3]:\n      x: 1\n'),
    ('yml', 'all:\n  vars:\n    a: yes\n    b: 0644\n    c: 1:30\n    d: on\n    e: 0x1f\n    f: 1e3\n    g: .inf\n'),
    ('yml', 'web:\n  hosts:\n    w1:\n  children:\n    db:\n      hosts:\n        d1:\n'),
    ('yml', 'web:\ndb:\n  children:\n    web:\n'),
    ('yml', 'web:\n  hosts:\n    1234:\n'),
    ('yml', 'web:\n  hosts:\n    w1: ~\n  vars: ~\n  children: ~\n'),
    ('yml', 'web:\n  vars: [1]\n'),
    ('yml', 'web:\n  children:\n    db: 5\n'),
    ('yml', 'web:\n  hosts:\n    w1:\n      x: 1\ndb:\n  hosts:\n    w1:\n      y: 2\n'),
    ('yml', '42\n'),
    ('yml', 'web:\n  children:\n    web:\n'),
]


def listed(kind, text):
    with tempfile.NamedTemporaryFile('w', suffix='.' + kind, delete=False) as f:
        f.write(text)
    try:
        out = subprocess.run(['ansible-inventory', '-i', f.name, '--list'], capture_output=True, text=True,
                             env=dict(os.environ, ANSIBLE_NOCOLOR='1', ANSIBLE_DEPRECATION_WARNINGS='False', ANSIBLE_LOCALHOST_WARNING='False',
                                      ANSIBLE_INVENTORY_UNPARSED_WARNING='False', ANSIBLE_INVENTORY_ENABLED='ini' if kind == 'ini' else 'yaml'))
    finally:
        os.unlink(f.name)
    if out.returncode != 0 or 'Unable to parse' in out.stderr or 'Failed to parse' in out.stderr:
        text_ = ' '.join(l.replace('[WARNING]:', '').strip() for l in out.stderr.splitlines())
        return {'kind': kind, 'text': text, 'error': ' '.join(text_.split()).replace(f.name, 'INVENTORY')}
    return {'kind': kind, 'text': text, 'list': json.loads(out.stdout)}


def attempt(f):
    try:
        return f()
    except (AnsibleError, ValueError) as e:
        return {'error': str(e).splitlines()[0]}


def address(text):
    def go():
        host, port = parse_address(text, allow_ranges=True)
        return {'host': host, 'port': port}
    return dict(text=text, **attempt(go))


def entry(text):
    def go():
        names, port = IniInventory()._expand_hostpattern(text)
        return {'names': names, 'port': port}
    return dict(text=text, **attempt(go))


def split(line):
    return dict(line=line, **attempt(lambda: {'words': shlex.split(line, comments=True)}))


def value(text):
    try:
        return {'text': text, 'value': json.loads(json.dumps(IniInventory._parse_value(text), cls=AnsibleJSONEncoder, allow_nan=False))}
    except (TypeError, ValueError) as e:
        # A set, a complex number, infinity: not JSON (ansible-inventory --list fails or prints Infinity).
        return {'text': text, 'unprintable': str(e)}


def patterns():
    out = []
    loader = DataLoader()
    for name, pats in PATTERNS.items():
        for p in pats:
            # A manager per pattern: an implicit localhost, once made, would answer for 127.0.0.1.
            manager = InventoryManager(loader=loader, sources=[os.path.join(CORPUS, name)])
            out.append(dict(inventory=name, pattern=p, **attempt(lambda: {'hosts': [h.name for h in manager.get_hosts(p)]})))
    return out


def main():
    record = {
        'ansible': 'ansible [core %s]' % __version__,
        'addresses': [address(a) for a in ADDRESSES],
        'entries': [entry(e) for e in ENTRIES],
        'shlex': [split(l) for l in SHLEX],
        'values': [value(v) for v in VALUES],
        'splits': [{'pattern': p, 'terms': split_host_pattern(p)} for p in SPLITS],
        'patterns': patterns(),
        'inventories': [listed(k, t) for k, t in INVENTORIES],
    }
    with open(os.path.join(HERE, 'inventory-conformance-pieces.json'), 'w') as f:
        json.dump(record, f, indent=1, ensure_ascii=False)
        f.write('\n')
    print({k: len(v) for k, v in record.items() if isinstance(v, list)}, file=sys.stderr)


if __name__ == '__main__':
    main()
