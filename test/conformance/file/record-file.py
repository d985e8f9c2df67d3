#!/usr/bin/env python3
"""Records what Ansible's file and copy modules do, for test/unit/file-conformance.test.ts.

Each case sets up a directory under /tmp, runs `ansible localhost -c local -m MODULE -a ARGS`
(in check mode, then for real on a fresh setup), and writes what came back (failed,
changed, msg, state) and what stands at the paths afterwards. The state before is written
in the shape of tend's file probe (stat -c '%F|%U|%G|%a|%h|%i|%u|%g|%s|%x|%y', the link's
target, whether a directory is empty), so the test feeds it to the plan as the host would.

  python3 test/conformance/file/record-file.py   # rewrites cases.json beside it (about a minute)
"""
import json
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = '/tmp/tend-conformance-file'

# (name, module, setup shell (in ROOT), args (ROOT as {R}), paths to describe after)
CASES = [
    ('bare path, nothing there', 'file', '', {'path': '{R}/x'}, ['x']),
    ('bare path, a file', 'file', 'echo a > x', {'path': '{R}/x'}, ['x']),
    ('bare path, a directory', 'file', 'mkdir x', {'path': '{R}/x'}, ['x']),
    ('bare path, a link', 'file', 'echo a > t; ln -s t x', {'path': '{R}/x'}, ['x']),
    ('bare path with recurse, nothing there', 'file', '', {'path': '{R}/x', 'recurse': True}, ['x']),
    ('bare path, a file, new mode', 'file', 'echo a > x; chmod 0644 x', {'path': '{R}/x', 'mode': '0600'}, ['x']),
    ('bare path with src, a file', 'file', 'echo a > x', {'path': '{R}/x', 'src': '{R}/y'}, ['x']),
    ('state file, nothing there', 'file', '', {'path': '{R}/x', 'state': 'file', 'mode': '0644'}, ['x']),
    ('state file, a link followed', 'file', 'echo a > t; chmod 0644 t; ln -s t x', {'path': '{R}/x', 'state': 'file', 'mode': '0600'}, ['x', 't']),
    ('state file, a link not followed', 'file', 'echo a > t; ln -s t x', {'path': '{R}/x', 'state': 'file', 'follow': False}, ['x']),
    ('state file, a hard link', 'file', 'echo a > t; ln t x', {'path': '{R}/x', 'state': 'file'}, ['x']),
    ('symbolic mode on a file', 'file', 'echo a > x; chmod 0664 x', {'path': '{R}/x', 'mode': 'u+x,g-w,o=r'}, ['x']),
    ('symbolic mode X on a file without x', 'file', 'echo a > x; chmod 0640 x', {'path': '{R}/x', 'mode': 'a+X'}, ['x']),
    ('symbolic mode X on a file with x', 'file', 'echo a > x; chmod 0740 x', {'path': '{R}/x', 'mode': 'a+X'}, ['x']),
    ('symbolic mode copying u', 'file', 'echo a > x; chmod 0700 x', {'path': '{R}/x', 'mode': 'g=u,o=g'}, ['x']),
    ('symbolic mode in sync', 'file', 'echo a > x; chmod 0750 x', {'path': '{R}/x', 'mode': 'u=rwx,g=rx,o='}, ['x']),
    ('directory, nothing there', 'file', '', {'path': '{R}/a/b', 'state': 'directory', 'mode': '0750'}, ['a', 'a/b']),
    ('directory, a file there', 'file', 'echo a > x', {'path': '{R}/x', 'state': 'directory'}, ['x']),
    ('directory, a link to a directory', 'file', 'mkdir t; ln -s t x', {'path': '{R}/x', 'state': 'directory', 'mode': '0700'}, ['x', 't']),
    ('directory in sync', 'file', 'mkdir x; chmod 0755 x', {'path': '{R}/x', 'state': 'directory', 'mode': '0755'}, ['x']),
    ('directory recurse, octal mode', 'file', 'mkdir -p x/d; echo a > x/f; chmod 0755 x x/d; chmod 0644 x/f', {'path': '{R}/x', 'state': 'directory', 'recurse': True, 'mode': '0750'}, ['x', 'x/d', 'x/f']),
    ('directory recurse, symbolic mode', 'file', 'mkdir -p x/d; echo a > x/f; echo b > x/e; chmod 0700 x x/d; chmod 0600 x/f; chmod 0700 x/e', {'path': '{R}/x', 'state': 'directory', 'recurse': True, 'mode': 'u=rwX,g=rX,o='}, ['x', 'x/d', 'x/f', 'x/e']),
    ('directory recurse, symbolic mode in sync', 'file', 'mkdir -p x/d; echo a > x/f; chmod 0750 x x/d; chmod 0640 x/f', {'path': '{R}/x', 'state': 'directory', 'recurse': True, 'mode': 'u=rwX,g=rX,o='}, ['x', 'x/d', 'x/f']),
    ('recurse with state file', 'file', 'echo a > x', {'path': '{R}/x', 'state': 'file', 'recurse': True}, ['x']),
    ('link, nothing there', 'file', 'echo a > t', {'src': '{R}/t', 'dest': '{R}/x', 'state': 'link'}, ['x']),
    ('link, relative src', 'file', 'echo a > t', {'src': 't', 'dest': '{R}/x', 'state': 'link'}, ['x']),
    ('link to a missing src', 'file', '', {'src': '{R}/t', 'dest': '{R}/x', 'state': 'link'}, ['x']),
    ('link to a missing src, forced', 'file', '', {'src': '{R}/t', 'dest': '{R}/x', 'state': 'link', 'force': True}, ['x']),
    ('link over a file', 'file', 'echo a > t; echo b > x', {'src': '{R}/t', 'dest': '{R}/x', 'state': 'link'}, ['x']),
    ('link over a file, forced', 'file', 'echo a > t; echo b > x', {'src': '{R}/t', 'dest': '{R}/x', 'state': 'link', 'force': True}, ['x']),
    ('link over an empty directory, forced', 'file', 'echo a > t; mkdir x', {'src': '{R}/t', 'dest': '{R}/x', 'state': 'link', 'force': True}, ['x']),
    ('link over a directory, not forced', 'file', 'echo a > t; mkdir x', {'src': '{R}/t', 'dest': '{R}/x', 'state': 'link'}, ['x']),
    ('link over a full directory, forced', 'file', 'echo a > t; mkdir x; echo c > x/c', {'src': '{R}/t', 'dest': '{R}/x', 'state': 'link', 'force': True}, ['x']),
    ('link in sync', 'file', 'echo a > t; ln -s {R}/t x', {'src': '{R}/t', 'dest': '{R}/x', 'state': 'link'}, ['x']),
    ('link elsewhere', 'file', 'echo a > t; echo b > u; ln -s {R}/u x', {'src': '{R}/t', 'dest': '{R}/x', 'state': 'link'}, ['x']),
    ('link without src, a link there', 'file', 'echo a > t; ln -s t x', {'dest': '{R}/x', 'state': 'link'}, ['x']),
    ('link without src, nothing there', 'file', '', {'dest': '{R}/x', 'state': 'link'}, ['x']),
    ('hard link, nothing there', 'file', 'echo a > t', {'src': '{R}/t', 'dest': '{R}/x', 'state': 'hard'}, ['x']),
    ('hard link over a file', 'file', 'echo a > t; echo b > x', {'src': '{R}/t', 'dest': '{R}/x', 'state': 'hard'}, ['x']),
    ('hard link over a file, forced', 'file', 'echo a > t; echo b > x', {'src': '{R}/t', 'dest': '{R}/x', 'state': 'hard', 'force': True}, ['x']),
    ('hard link in sync', 'file', 'echo a > t; ln t x', {'src': '{R}/t', 'dest': '{R}/x', 'state': 'hard'}, ['x']),
    ('hard link to a missing src', 'file', '', {'src': '{R}/t', 'dest': '{R}/x', 'state': 'hard'}, ['x']),
    ('touch, nothing there', 'file', '', {'path': '{R}/x', 'state': 'touch', 'mode': '0640'}, ['x']),
    ('touch, a file', 'file', 'echo a > x', {'path': '{R}/x', 'state': 'touch'}, ['x']),
    ('touch, preserving times', 'file', 'echo a > x', {'path': '{R}/x', 'state': 'touch', 'access_time': 'preserve', 'modification_time': 'preserve'}, ['x']),
    ('file with a modification time', 'file', 'echo a > x; touch -d "2020-01-02 03:04:05" x', {'path': '{R}/x', 'modification_time': '202101020304.05'}, ['x']),
    ('file with the modification time it has', 'file', 'echo a > x; touch -d "2021-01-02 03:04:05" x', {'path': '{R}/x', 'modification_time': '202101020304.05'}, ['x']),
    ('absent, a directory', 'file', 'mkdir -p x/y; echo a > x/y/z', {'path': '{R}/x', 'state': 'absent'}, ['x']),
    ('absent, nothing there', 'file', '', {'path': '{R}/x', 'state': 'absent'}, ['x']),
    ('absent, a link', 'file', 'echo a > t; ln -s t x', {'path': '{R}/x', 'state': 'absent'}, ['x', 't']),
    ('name alias', 'file', '', {'name': '{R}/x', 'state': 'directory'}, ['x']),
    ('copy a directory without a trailing slash', 'copy', 'mkdir -p s/in; echo a > s/a; echo b > s/in/b', {'src': '{R}/s', 'dest': '{R}/d'}, ['d', 'd/s', 'd/s/a', 'd/s/in/b', 'd/a']),
    ('copy a directory with a trailing slash', 'copy', 'mkdir -p s/in; echo a > s/a; echo b > s/in/b', {'src': '{R}/s/', 'dest': '{R}/d'}, ['d', 'd/s', 'd/a', 'd/in/b']),
    ('copy a file into a directory', 'copy', 'echo a > f; mkdir d', {'src': '{R}/f', 'dest': '{R}/d'}, ['d', 'd/f']),
    ('copy a file to a path ending in a slash', 'copy', 'echo a > f', {'src': '{R}/f', 'dest': '{R}/d/'}, ['d', 'd/f']),
    ('copy content to a directory', 'copy', 'mkdir d', {'content': 'a\n', 'dest': '{R}/d'}, ['d']),
    ('copy content, force false, a file there', 'copy', 'echo b > x', {'content': 'a\n', 'dest': '{R}/x', 'force': False}, ['x']),
    ('copy content in sync', 'copy', 'printf "a\\n" > x', {'content': 'a\n', 'dest': '{R}/x'}, ['x']),
]

STAT = "%F|%U|%G|%a|%h|%i|%u|%g|%s|%x|%y"


def sh(cmd):
    return subprocess.run(['sh', '-c', cmd], cwd=ROOT, capture_output=True, text=True).stdout


def standing(path, follow):
    """What tend's probe prints for path (see tasks/builtin/file.ts standingProbe)."""
    full = os.path.join(ROOT, path)
    p = os.path.realpath(full) if follow else full
    name = os.path.basename(p)
    at = f'at {os.path.dirname(p)}/{name}\n'
    if not os.path.lexists(p):
        return 'missing\n' + at
    out = sh(f"stat -c '{STAT}' -- '{p}'")
    if os.path.islink(p):
        out += f'target {os.readlink(p)}\n'
    elif os.path.isdir(p):
        out += 'empty\n' if not os.listdir(p) else 'nonempty\n'
    return out + at


def source(args, target):
    """What tend's probe prints about a link's src: exists/missing, or a hard link's inode."""
    src = args.get('src')
    if src is None or args.get('state') not in ('link', 'hard'):
        return ''
    src = src.replace('{R}', ROOT)
    if args['state'] == 'hard':
        return '%d\n' % os.stat(src).st_ino if os.path.exists(src) else 'missing\n'
    full = src if src.startswith('/') else os.path.join(os.path.dirname(os.path.join(ROOT, target)), src)
    return 'exists\n' if os.path.exists(full) else 'missing\n'


def scan(target):
    """What tend's recurse scan prints: kinds, modes, owners and groups inside, counted."""
    return sh(f"cd '{os.path.join(ROOT, target)}' && find . -mindepth 1 -printf '%y %m %u %g\\n' | sort | uniq -c")


def describe(path):
    full = os.path.join(ROOT, path)
    if not os.path.lexists(full):
        return {'type': 'absent'}
    if os.path.islink(full):
        return {'type': 'link', 'target': os.readlink(full).replace(ROOT, '{R}')}
    st = os.lstat(full)
    kind = 'directory' if os.path.isdir(full) else 'file'
    return {'type': kind, 'mode': '%04o' % (st.st_mode & 0o7777), 'links': st.st_nlink}


def fresh(setup):
    shutil.rmtree(ROOT, ignore_errors=True)
    os.makedirs(ROOT)
    os.chmod(ROOT, 0o755)
    if setup:
        subprocess.run(['sh', '-c', 'umask 022; ' + setup.replace('{R}', ROOT)], cwd=ROOT, check=True)


def run(module, args, check):
    a = {k: (v.replace('{R}', ROOT) if isinstance(v, str) else v) for k, v in args.items()}
    cmd = ['ansible', 'localhost', '-c', 'local', '-m', module, '-a', json.dumps(a), '-o']
    if check:
        cmd.append('--check')
    env = dict(os.environ, ANSIBLE_LOCALHOST_WARNING='False', ANSIBLE_INVENTORY_UNPARSED_WARNING='False')
    out = subprocess.run(cmd, capture_output=True, text=True, env=env).stdout
    body = out[out.index('{'):] if '{' in out else '{}'
    r = json.loads(body)
    keep = {k: r[k] for k in ('changed', 'failed', 'msg', 'state', 'path', 'dest', 'mode') if k in r}
    keep['failed'] = bool(r.get('failed', False)) or 'FAILED!' in out.split('{')[0]
    keep['changed'] = bool(r.get('changed', False))
    if 'msg' in keep:
        keep['msg'] = keep['msg'].replace(ROOT, '{R}')
    for k in ('path', 'dest'):
        if k in keep:
            keep[k] = keep[k].replace(ROOT, '{R}')
    return keep


def main():
    cases = []
    for name, module, setup, args, paths in CASES:
        fresh(setup)
        target = next((args[k] for k in ('path', 'dest', 'name') if k in args), '').replace('{R}/', '')
        before = {
            'standing': standing(target, False).replace(ROOT, '{R}'),
            'followed': standing(target, True).replace(ROOT, '{R}'),
            'src': source(args, target),
            'scan': scan(target) if args.get('recurse') else '',
            'paths': {p: describe(p) for p in paths},
        }
        check = run(module, args, True)
        fresh(setup)
        applied = run(module, args, False)
        after = {p: describe(p) for p in paths}
        cases.append({'name': name, 'module': module, 'setup': setup, 'args': args, 'before': before, 'check': check, 'apply': applied, 'after': after})
        print(f"{name}: changed={applied['changed']} failed={applied['failed']}", file=sys.stderr)
    shutil.rmtree(ROOT, ignore_errors=True)
    version = subprocess.run(['ansible', '--version'], capture_output=True, text=True).stdout.split('\n')[0]
    with open(os.path.join(HERE, 'cases.json'), 'w') as f:
        json.dump({'recorded_with': version, 'root': '{R}', 'cases': cases}, f, indent=1)
        f.write('\n')


if __name__ == '__main__':
    main()
