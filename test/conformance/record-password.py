#!/usr/bin/python3
"""Records what ansible-core 2.14's password lookup does, as the expectations
test/unit/template-password-lookup.test.ts compares src/template/lookup-password.ts against.

Needs Debian 12's ansible-core (apt-get install ansible-core, with python3-passlib); run
with Debian's Python, from the repository:
    /usr/bin/python3 test/conformance/record-password.py
Writes test/conformance/password-lookup.json: the cases below and, per case, what each of
its steps gave and what was left in its directory.

A case runs its steps (expressions calling the lookup) one after another in a fresh
directory, the loader's base directory (where relative paths are), after writing its
`files` there (mode 0644, so a rewrite shows as 0600). The umask is 022; $TEND_PW_SUB
is 'sub'.
  value:  the value exactly (a str, or a list for query), when the case is deterministic;
  shape:  for a `random` case: {length, chars} of a password (its distinct characters,
          sorted), or {form} of a hash, its salt and checksum replaced by <salt:N> and <N>;
  same_as_before: whether the value equals the previous step's;
  error:  {class, message}: what Templar let out (its first line).
Then `tree`: every path left under the directory: {mode} and, for a file, its `content`
(deterministic cases) or `parsed` (random ones: the stored password's and salt's shapes,
its ident, whether it ends with a newline, and `value_from_file`: whether the last
step's value is the stored password, or the stored password hashed with the stored salt).
Ansible's lock file is never left behind, so it never shows.
"""
import json
import os
import stat
import sys
import tempfile

from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar
from ansible.template.vars import AnsibleJ2Vars
from ansible.utils.encrypt import do_encrypt
import ansible
import passlib
import jinja2

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'password-lookup.json')

P = "lookup('password', "
CASES = [
    # The file exists: its password is read back (trailing whitespace stripped, its salt= part split off).
    {'name': 'read-existing', 'files': {'pw': 's3cret\n'}, 'steps': [P + "'pw')", "query('password', 'pw')"]},
    {'name': 'read-whitespace', 'files': {'pw': '  pass word \t\n\n'}, 'steps': [P + "'pw')"]},
    {'name': 'read-no-newline', 'files': {'pw': 'abc'}, 'steps': [P + "'pw')"]},
    {'name': 'read-empty', 'files': {'pw': ''}, 'steps': [P + "'pw')", "query('password', 'pw')"]},
    {'name': 'read-salt', 'files': {'pw': 'hunter2 salt=abcdefgh\n'}, 'steps': [P + "'pw')"]},
    {'name': 'read-salt-ident', 'files': {'pw': 'hunter2 salt=abc ident=2b\n'}, 'steps': [P + "'pw')"]},
    {'name': 'read-two-salts', 'files': {'pw': 'a salt=b salt=c\n'}, 'steps': [P + "'pw')"]},
    {'name': 'read-empty-salt', 'files': {'pw': 'a salt=\n'}, 'steps': [P + "'pw')"]},
    {'name': 'read-unicode', 'files': {'pw': 'pässwörd€😀\n'}, 'steps': [P + "'pw')"]},
    {'name': 'read-ignores-params', 'files': {'pw': 'short\n'}, 'steps': [P + "'pw length=50 chars=digits seed=x')", P + "'pw', length=3)"]},
    {'name': 'read-in-subdir', 'files': {'creds/web1/mysql': 'x1\n'}, 'steps': [P + "'creds/' + inventory_hostname + '/mysql')"]},
    {'name': 'read-two-terms', 'files': {'a': 'A\n', 'b': 'B\n'}, 'steps': [P + "'a', 'b')", "query('password', 'a', 'b')"]},
    {'name': 'read-fqcn', 'files': {'pw': 'q\n'}, 'steps': ["lookup('ansible.builtin.password', 'pw')"]},
    {'name': 'read-quoted-path', 'files': {'q.txt': 'quoted\n'}, 'steps': [P + "'\"q.txt\" length=5')"]},
    {'name': 'env-var-path', 'steps': [P + "'$TEND_PW_SUB/pw seed=s length=5')", P + "'${TEND_PW_SUB}x/pw seed=t length=5')", P + "'$TEND_PW_UNSET/pw seed=u length=5')"]},
    {'name': 'read-path-with-space', 'files': {'my pw': 'spaced\n'}, 'steps': [P + "'my pw length=5')", P + "'my pw')"]},
    # encrypt with a stored salt: the hash is deterministic; the file is written again.
    {'name': 'encrypt-sha512-stored-salt', 'files': {'pw': 'hunter2 salt=abcdefghijklmnop\n'}, 'steps': [P + "'pw', encrypt='sha512_crypt')"]},
    {'name': 'encrypt-sha256-stored-salt', 'files': {'pw': 'hunter2 salt=abcdefghijklmnop'}, 'steps': [P + "'pw encrypt=sha256_crypt')"]},
    {'name': 'encrypt-md5-stored-salt', 'files': {'pw': 'hunter2 salt=abcdefgh'}, 'steps': [P + "'pw', encrypt='md5_crypt')"]},
    # (md5_crypt where the scheme does not matter: tend's SHA-crypt takes seconds at passlib's rounds.)
    {'name': 'encrypt-short-salt', 'files': {'pw': 'x salt=ab'}, 'steps': [P + "'pw', encrypt='md5_crypt')"]},
    {'name': 'encrypt-stored-ident-dropped', 'files': {'pw': 'hunter2 salt=abcdefgh ident=2b\n'}, 'steps': [P + "'pw', encrypt='md5_crypt')"]},
    {'name': 'encrypt-ident-given', 'files': {'pw': 'hunter2 salt=abcdefgh'}, 'steps': [P + "'pw encrypt=md5_crypt ident=foo')"]},
    {'name': 'encrypt-salt-too-long', 'files': {'pw': 'x salt=abcdefghijklmnopq\n'}, 'steps': [P + "'pw', encrypt='sha512_crypt')"]},
    {'name': 'encrypt-md5-salt-too-long', 'files': {'pw': 'x salt=abcdefghi\n'}, 'steps': [P + "'pw', encrypt='md5_crypt')"]},
    {'name': 'encrypt-salt-bad-chars', 'files': {'pw': 'x salt=ab$d\n'}, 'steps': [P + "'pw', encrypt='sha512_crypt')"]},
    {'name': 'no-encrypt-keeps-file', 'files': {'pw': 'hunter2'}, 'steps': [P + "'pw')"]},
    # seed: Python's random.Random(seed), reproducible.
    {'name': 'seed-default', 'steps': [P + "'/dev/null', seed='web1')", P + "'/dev/null', seed=inventory_hostname)", P + "'/dev/null seed=web1')"]},
    {'name': 'seed-values', 'steps': [P + "'/dev/null', seed=42)", P + "'/dev/null', seed='')", P + "'/dev/null seed=')", P + "'/dev/null', seed='x' * 300)", P + "'/dev/null', seed='héllo😀')", P + "'/dev/null', seed=True)", P + "'/dev/null', seed=1.5)"]},
    {'name': 'seed-length', 'steps': [P + "'/dev/null seed=a length=5')", P + "'/dev/null', seed='a', length=64)", P + "'/dev/null', seed='a', length=0)", P + "'/dev/null', seed='a', length=-3)", P + "'/dev/null', seed='a', length='7')", P + "'/dev/null', seed='a', length=5.9)", P + "'/dev/null seed=a length=+6')"]},
    {'name': 'seed-file', 'steps': [P + "'seeded/pw', seed='web1')", P + "'seeded/pw', seed='other', length=3)"]},
    {'name': 'seed-deep-dirs', 'steps': [P + "'a/b/c/pw seed=s length=12')"]},
    {'name': 'seed-path-with-space', 'steps': [P + "'new pw seed=s length=6')"]},
    {'name': 'seed-two-terms', 'steps': [P + "'/dev/null seed=1', '/dev/null seed=2')", "query('password', '/dev/null seed=1', '/dev/null seed=2', length=4)"]},
    # chars, drawn with a seed so the alphabet's order shows.
    {'name': 'chars-term-list', 'steps': [P + "'/dev/null seed=s length=40 chars=ascii_letters,digits')", P + "'/dev/null seed=s length=40 chars=digits,,')", P + "'/dev/null seed=s length=40 chars=,,abc')", P + "'/dev/null seed=s length=40 chars=a,,b')", P + "'/dev/null seed=s length=40 chars=digits,,,')"]},
    {'name': 'chars-names', 'steps': [P + "'/dev/null seed=s length=60 chars=" + n + "')" for n in ['ascii_letters', 'ascii_lowercase', 'ascii_uppercase', 'digits', 'hexdigits', 'octdigits', 'punctuation', 'printable', 'whitespace']]},
    {'name': 'chars-literal', 'steps': [P + "'/dev/null seed=s length=30 chars=xyz')", P + "'/dev/null seed=s length=30 chars=digits,xyz,hello')", P + "'/dev/null', seed='s', length=30, chars=['äöü€😀'])", P + "'/dev/null', seed='s', length=30, chars=['ab\"c\\'d'])"]},
    {'name': 'chars-keyword', 'steps': [P + "'/dev/null', seed='s', length=40, chars=['ascii_lowercase', 'digits'])", P + "'/dev/null', seed='s', length=40, chars='digits, punctuation')", P + "'/dev/null', seed='s', length=40, chars='digits,,')", P + "'/dev/null', seed='s', length=40, chars=['octdigits', 'xyz'])", P + "'/dev/null', seed='s', length=40, chars=[1, 2])", P + "'/dev/null', seed='s', length=40, chars=\"'digits'\")"]},
    {'name': 'chars-term-over-keyword', 'steps': [P + "'/dev/null seed=s length=10 chars=digits', chars=['ascii_lowercase'], length=30)"]},
    {'name': 'chars-empty-no-length', 'steps': [P + "'/dev/null chars=', length=0)", "query('password', '/dev/null', chars=[], length=0)"]},
    # Errors.
    {'name': 'error-unknown-param', 'steps': [P + "'/dev/null foo=1')"]},
    {'name': 'error-unknown-params', 'steps': [P + "'/dev/null length=3 foo=1')"]},
    {'name': 'error-value-after-params', 'steps': [P + "'/dev/null length=5 extra')"]},
    {'name': 'error-chars-space', 'steps': [P + "'/dev/null seed=s chars=digits, punctuation')"]},
    {'name': 'error-length-term', 'steps': [P + "'/dev/null length=abc')"]},
    {'name': 'error-length-term-float', 'steps': [P + "'/dev/null length=5.0')"]},
    {'name': 'error-length-keyword', 'steps': [P + "'/dev/null', length='abc')"]},
    {'name': 'error-length-keyword-list', 'steps': [P + "'/dev/null', length=[1])"]},
    {'name': 'error-empty-chars-term', 'steps': [P + "'/dev/null chars=')"]},
    {'name': 'error-empty-chars-keyword', 'steps': [P + "'/dev/null', chars=[])"]},
    {'name': 'error-empty-chars-quotes', 'steps': [P + "'/dev/null', chars=['\"'])"]},
    {'name': 'error-seed-list', 'steps': [P + "'/dev/null', seed=[1])"]},
    {'name': 'error-path-is-directory', 'files': {'d/x': 'x\n'}, 'steps': [P + "'d')"]},
    {'name': 'error-term-not-string', 'steps': [P + "['/dev/null'])"]},
    {'name': 'unknown-keyword-ignored', 'steps': [P + "'/dev/null', seed='k', salt='abc', foo=1)"]},
    # Random: lengths and alphabets.
    {'name': 'alphabet-default', 'random': True, 'steps': [P + "'/dev/null', length=4000)"]},
    {'name': 'alphabet-punctuation', 'random': True, 'steps': [P + "'/dev/null', length=4000, chars=['punctuation'])"]},
    {'name': 'alphabet-digits-comma', 'random': True, 'steps': [P + "'/dev/null length=2000 chars=digits,,')"]},
    {'name': 'random-default', 'random': True, 'alphabet': 'alphabet-default', 'steps': [P + "'/dev/null')", P + "'/dev/null')"]},
    {'name': 'random-digits', 'random': True, 'steps': [P + "'/dev/null', chars=['digits'], length=500)"]},
    {'name': 'random-new-file', 'random': True, 'alphabet': 'alphabet-default', 'steps': [P + "'creds/pw')", P + "'creds/pw')", P + "'creds/pw', length=5)"]},
    {'name': 'random-new-file-length', 'random': True, 'steps': [P + "'pw length=300 chars=digits,,')", P + "'pw')"]},
    {'name': 'random-encrypt-new-file', 'random': True, 'alphabet': 'alphabet-default', 'steps': [P + "'enc/pw', encrypt='md5_crypt')", P + "'enc/pw', encrypt='md5_crypt')", P + "'enc/pw')"]},
    {'name': 'random-encrypt-sha512-new-file', 'random': True, 'alphabet': 'alphabet-default', 'steps': [P + "'pw encrypt=sha512_crypt')"]},
    {'name': 'random-encrypt-md5-new-file', 'random': True, 'alphabet': 'alphabet-default', 'steps': [P + "'pw', encrypt='md5_crypt')", P + "'pw', encrypt='md5_crypt')"]},
    {'name': 'random-encrypt-existing-no-salt', 'random': True, 'files': {'pw': 'hunter2\n'}, 'steps': [P + "'pw', encrypt='md5_crypt')", P + "'pw', encrypt='md5_crypt')", P + "'pw')"]},
    {'name': 'random-encrypt-empty-salt', 'random': True, 'files': {'pw': 'hunter2 salt=\n'}, 'steps': [P + "'pw', encrypt='md5_crypt')"]},
    {'name': 'random-encrypt-seeded-file', 'random': True, 'steps': [P + "'pw', encrypt='md5_crypt', seed='web1')"]},
    {'name': 'random-encrypt-dev-null', 'random': True, 'alphabet': 'alphabet-default', 'steps': [P + "'/dev/null', encrypt='md5_crypt')", P + "'/dev/null', encrypt='md5_crypt', seed='x')", P + "'/dev/null', encrypt='md5_crypt', seed='x')"]},
    # Where tend differs on purpose (the test says why): recorded to show what Ansible does.
    {'name': 'encrypt-bcrypt', 'random': True, 'steps': [P + "'pw', encrypt='bcrypt')"]},
    {'name': 'encrypt-unknown-scheme', 'random': True, 'steps': [P + "'pw', encrypt='nope')"]},
    {'name': 'chars-string-function', 'steps': [P + "'/dev/null', chars=['capwords'], length=5)"]},
    {'name': 'dangling-symlink', 'symlinks': {'pw': 'target'}, 'steps': [P + "'pw', seed='s')"]},
    {'name': 'symlink-to-file', 'files': {'real': 'via link\n'}, 'symlinks': {'pw': 'real'}, 'steps': [P + "'pw')"]},
]

VARIABLES = {'inventory_hostname': 'web1'}


def error(e, tmp):
    # The case's directory is named <dir> (it is a new one on every run).
    return {'error': {'class': type(e).__name__, 'message': str(e).split('\n')[0].replace(tmp, '<dir>')}}


def pw_shape(s):
    return {'length': len(s), 'chars': ''.join(sorted(set(s)))}


def hash_form(h):
    parts = h.split('$')
    parts[-1] = '<%d>' % len(parts[-1])
    parts[-2] = '<salt:%d>' % len(parts[-2])
    return '$'.join(parts)


def shape(v):
    if isinstance(v, list):
        return [shape(x) for x in v]
    if v.startswith('$'):
        return {'form': hash_form(v)}
    return pw_shape(v)


def parse_stored(text):
    """The stored form as Ansible writes it: password[ salt=…[ ident=…]] and a newline."""
    newline = text.endswith('\n')
    body = text[:-1] if newline else text
    password, salt, ident = body, None, None
    if ' salt=' in body:
        password, rest = body.rsplit(' salt=', 1)
        salt = rest
        if ' ident=' in rest:
            salt, ident = rest.rsplit(' ident=', 1)
    return password, salt, ident, newline


def tree(root, random, last_value, last_expr):
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in sorted(dirnames) + sorted(filenames):
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, root)
            st = os.lstat(path)
            entry = {'mode': '%04o' % stat.S_IMODE(st.st_mode)}
            if stat.S_ISLNK(st.st_mode):
                entry = {'symlink': os.readlink(path)}
            elif stat.S_ISDIR(st.st_mode):
                entry['dir'] = True
            else:
                with open(path, encoding='utf-8') as f:
                    text = f.read()
                if not random:
                    entry['content'] = text
                else:
                    password, salt, ident, newline = parse_stored(text)
                    parsed = {'password': pw_shape(password), 'salt': None if salt is None else pw_shape(salt), 'ident': ident, 'newline': newline}
                    if isinstance(last_value, str):
                        if last_value.startswith('$') and salt is not None:
                            scheme = {'1': 'md5_crypt', '5': 'sha256_crypt', '6': 'sha512_crypt', '2b': 'bcrypt'}[last_value.split('$')[1]]
                            parsed['value_from_file'] = do_encrypt(password, scheme, salt=salt, ident=ident) == last_value
                        else:
                            parsed['value_from_file'] = password == last_value
                    entry['parsed'] = parsed
            out[rel] = entry
    return dict(sorted(out.items()))


def record_case(case):
    with tempfile.TemporaryDirectory() as tmp:
        for name, content in (case.get('files') or {}).items():
            path = os.path.join(tmp, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, 'w', encoding='utf-8') as f:
                f.write(content)
            os.chmod(path, 0o644)
        for name, target in (case.get('symlinks') or {}).items():
            os.symlink(target, os.path.join(tmp, name))
        loader = DataLoader()
        loader.set_basedir(tmp)
        templar = Templar(loader=loader, variables=VARIABLES)
        steps = []
        previous = None
        last_value = None
        for expr in case['steps']:
            try:
                value = templar.environment.compile_expression(expr, undefined_to_none=False)(AnsibleJ2Vars(templar, templar.environment.globals))
                value = list(value) if isinstance(value, list) else str(value)
                step = {'shape': shape(value)} if case.get('random') else {'value': value}
                if previous is not None:
                    step['same_as_before'] = value == previous
                previous = value
                last_value = value
            except Exception as e:  # what Ansible refuses is recorded too
                step = error(e, tmp)
                previous = None
            steps.append(step)
        return {'steps': steps, 'tree': tree(tmp, case.get('random'), last_value, case['steps'][-1])}


def main():
    os.umask(0o022)
    os.environ['TEND_PW_SUB'] = 'sub'  # what env-var-path's paths expand
    os.environ.pop('TEND_PW_UNSET', None)
    results = {}
    for case in CASES:
        if case['name'] in results:
            sys.exit(f'case {case["name"]} twice')
        results[case['name']] = record_case(case)
    out = {
        'recorded_with': f'ansible-core {ansible.__version__}, jinja2 {jinja2.__version__}, passlib {passlib.__version__}',
        'cases': CASES,
        'results': results,
    }
    with open(OUT, 'w') as f:
        json.dump(out, f, indent=1, ensure_ascii=False)
        f.write('\n')
    print(f'{OUT}: {len(results)} cases')


if __name__ == '__main__':
    main()
