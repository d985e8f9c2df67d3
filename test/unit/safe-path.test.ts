// The safe walk (tasks/lib/safe-path.ts) run in a real /bin/sh, as root, on real trees
// of directories and links with other owners: named cases from the trust review, then a
// property test over random trees. Root is needed to own files as other users.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, lchownSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ShellText } from '../../src/shell.ts';
import { atomicWriteScript } from '../../tasks/lib/atomic.ts';
import { enterDirectory, MAX_LINKS } from '../../tasks/lib/safe-path.ts';

const ALICE = 1001;
const BOB = 1002;
const asRoot = process.getuid?.() === 0;

function sh(script: ShellText | string): { code: number; stdout: string; stderr: string } {
  const r = spawnSync('/bin/sh', ['-c', typeof script === 'string' ? script : script.text], { encoding: 'utf8' });
  return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

function dir(path: string, owner: number, mode = 0o755): string {
  mkdirSync(path);
  lchownSync(path, owner, owner);
  chmodSync(path, mode);
  return path;
}

function link(path: string, target: string, owner: number): string {
  symlinkSync(target, path);
  lchownSync(path, owner, owner);
  return path;
}

/** Writes `content` to `path` the way the file module does (staged, renamed into place). */
function write(path: string, content: string, follow = false) {
  return sh(atomicWriteScript({ path, content, want: {}, exists: false, follow }));
}

describe('the safe walk, on real trees as root', { skip: asRoot ? false : 'needs root (files owned by other users)' }, () => {
  const base = mkdtempSync(join(tmpdir(), 'tend-walk-'));

  it("a user's link to root's directory is refused: nothing is written there (issue 18, finding 1)", () => {
    const rootSsh = dir(join(base, 'root-ssh'), 0, 0o700);
    writeFileSync(join(rootSsh, 'authorized_keys'), 'root key\n');
    const home = dir(join(base, 'alice'), ALICE);
    link(join(home, '.ssh'), rootSsh, ALICE);
    const r = write(join(home, '.ssh/authorized_keys'), 'attacker key\n');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^tend: unsafe path: .* is owned by root \(uid 0\) but was reached through .*\/alice\/\.ssh, owned by uid 1001/);
    assert.equal(readFileSync(join(rootSsh, 'authorized_keys'), 'utf8'), 'root key\n');
    assert.deepEqual(readdirSync(rootSsh), ['authorized_keys']);
    // A relative link to the same place, and a real directory of root's inside alice's home, alike.
    link(join(home, 'rel'), relative(home, rootSsh), ALICE);
    assert.equal(write(join(home, 'rel/authorized_keys'), 'x').code, 1);
    dir(join(home, 'rootowned'), 0);
    assert.match(write(join(home, 'rootowned/f'), 'x').stderr, /unsafe path: .*\/alice\/rootowned is owned by root/);
    assert.deepEqual(readdirSync(join(home, 'rootowned')), []);
  });

  it("root's own links are followed (/var/run → /run), and a user's links within the user's files", () => {
    const run = dir(join(base, 'run'), 0);
    link(join(base, 'var-run'), run, 0);
    assert.equal(write(join(base, 'var-run/pid'), '1\n').code, 0);
    assert.equal(readFileSync(join(run, 'pid'), 'utf8'), '1\n');
    const home = dir(join(base, 'bob'), BOB);
    const real = dir(join(home, 'real'), BOB);
    link(join(home, 'here'), 'real', BOB);
    assert.equal(write(join(home, 'here/authorized_keys'), 'k\n').code, 0);
    assert.equal(readFileSync(join(real, 'authorized_keys'), 'utf8'), 'k\n');
    // The written file keeps being root's own, at the place the walk reached.
    assert.equal(lstatSync(join(real, 'authorized_keys')).uid, 0);
  });

  it('a missing directory is named as missing; a path ending in .. names no file; a link loop ends', () => {
    const r = write(join(base, 'nowhere/cron.d/job'), 'x');
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `tend: the directory ${base}/nowhere does not exist\n`);
    assert.match(write(`${base}/run/..`, 'x').stderr, /ends in \.\.: it names a directory/);
    link(join(base, 'loop-a'), 'loop-b', 0);
    link(join(base, 'loop-b'), 'loop-a', 0);
    assert.match(write(join(base, 'loop-a/f'), 'x').stderr, new RegExp(`more than ${MAX_LINKS} symbolic links`));
  });

  it('a link at the path itself is replaced, not followed, unless follow: then it obeys the same rule', () => {
    const home = dir(join(base, 'carol'), ALICE);
    const target = join(base, 'carol-target');
    writeFileSync(target, 'root file\n');
    link(join(home, 'f'), target, ALICE);
    // follow: alice's link to root's file is an unsafe step.
    assert.match(write(join(home, 'f'), 'x', true).stderr, /unsafe path/);
    assert.equal(readFileSync(target, 'utf8'), 'root file\n');
    // Without follow the link itself is replaced by the file.
    assert.equal(write(join(home, 'f'), 'mine\n').code, 0);
    assert.equal(lstatSync(join(home, 'f')).isFile(), true);
    assert.equal(readFileSync(target, 'utf8'), 'root file\n');
  });

  it('entering a directory (the directory module) makes what is missing and checks every step', () => {
    const made = join(base, 'made/a/b');
    const r = sh(new ShellText(`(\n${enterDirectory(made, { create: true }).text}\npwd -P\n)`));
    assert.equal(r.stdout, `${made}\n`);
    const home = dir(join(base, 'dave'), ALICE);
    link(join(home, 'etc'), dir(join(base, 'dave-etc'), 0), ALICE);
    const refused = sh(new ShellText(`(\n${enterDirectory(join(home, 'etc')).text}\nchmod 0777 .\n)`));
    assert.equal(refused.code, 1);
    assert.equal(lstatSync(join(base, 'dave-etc')).mode & 0o777, 0o755);
  });

  // Random trees: directories and links (absolute, relative, through ..) owned by root,
  // alice or bob, and a random path through them. A model of the rule (written from
  // systemd's chase(), walking what is really on disk) says where a write may land; the
  // shell must write exactly there, or refuse exactly when the model does, and nothing
  // else in the tree may change.
  it('property: on random trees, a write lands only where the owner-consistent walk leads', () => {
    let refusedUnsafe = 0;
    let written = 0;
    const owners = fc.constantFrom(0, ALICE, BOB);
    const tree = fc.record({
      dirs: fc.array(fc.record({ parent: fc.nat(), owner: owners }), { minLength: 1, maxLength: 7 }),
      links: fc.array(fc.record({ parent: fc.nat(), owner: owners, target: fc.nat(), form: fc.constantFrom('absolute', 'relative', 'up', 'missing') }), { maxLength: 5 }),
      route: fc.array(fc.oneof(fc.nat(), fc.constant(-1)), { minLength: 1, maxLength: 4 }),
    });
    fc.assert(
      fc.property(tree, ({ dirs, links, route }) => {
        // Deep enough that no route climbs out of base (4 route steps and 5 links of '..').
        const top = mkdtempSync(join(base, 'tree-'));
        const root = join(top, ...'abcdefghij'.split(''));
        mkdirSync(root, { recursive: true });
        const dirPaths = [root];
        dirs.forEach((d, i) => dirPaths.push(dir(join(dirPaths[d.parent % dirPaths.length]!, `d${i}`), d.owner)));
        const names = dirPaths.slice(1).map((p) => p.split('/').at(-1)!);
        links.forEach((l, i) => {
          const at = dirPaths[l.parent % dirPaths.length]!;
          const to = dirPaths[l.target % dirPaths.length]!;
          const target = l.form === 'absolute' ? to : l.form === 'relative' ? relative(at, to) || '.' : l.form === 'up' ? '..' : '/nonexistent-tend-walk';
          link(join(at, `l${i}`), target, l.owner);
          names.push(`l${i}`);
        });
        const components = route.map((r) => (r < 0 ? '..' : names[r % names.length]!));
        const path = [root, ...components, 'written'].join('/');
        // Routes may climb out of the tree (..): the whole base directory is watched.
        const before = snapshot(base);
        const expected = model(path);
        const r = write(path, 'content\n');
        const after = snapshot(base);
        if (expected.kind === 'refused') {
          assert.notEqual(r.code, 0, `${path}: the model refuses (${expected.why}), the shell wrote`);
          assert.deepEqual(after, before, `${path}: refused, yet the tree changed`);
          if (expected.why === 'unsafe') {
            refusedUnsafe++;
            assert.match(r.stderr, /unsafe path/);
          }
        } else {
          assert.equal(r.code, 0, `${path}: the model writes in ${expected.dir}, the shell said ${r.stderr}`);
          const landed = join(expected.dir, 'written');
          assert.deepEqual(after, [...before, landed].sort(), `${path}: expected only ${landed} to appear`);
          rmSync(landed);
          written++;
        }
        rmSync(top, { recursive: true, force: true });
      }),
      { numRuns: 150, seed: 18 },
    );
    // The trees must exercise both outcomes, or the property says little.
    assert.ok(refusedUnsafe >= 10, `only ${refusedUnsafe} unsafe walks were refused`);
    assert.ok(written >= 20, `only ${written} walks wrote`);
  });
});

/** Every path under `root` (lstat: links not followed), sorted: what a write may have added. */
function snapshot(root: string): string[] {
  const out: string[] = [];
  const visit = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      out.push(p);
      if (lstatSync(p).isDirectory()) visit(p);
    }
  };
  visit(root);
  return out.sort();
}

type Outcome = { kind: 'write'; dir: string } | { kind: 'refused'; why: 'unsafe' | 'missing' | 'other' };

/**
 * The rule, on what is on disk: from `/`, one component at a time; a step from something
 * owned by a user other than root to something owned by anyone else is refused; a link
 * is a step of its own, and an absolute one a step back to `/`. The last component is not
 * followed.
 */
function model(path: string): Outcome {
  const rest = path.split('/').filter((c) => c !== '');
  let cur = '/';
  let prev: number | null = null;
  let links = 0;
  const step = (uid: number) => {
    const n = uid === 0 ? null : uid;
    if (prev !== null && prev !== n) return false;
    prev = n;
    return true;
  };
  while (rest.length > 0) {
    const c = rest.shift()!;
    const last = rest.length === 0;
    if (c === '.' || c === '..') {
      if (last) return { kind: 'refused', why: 'other' };
      if (c === '..') {
        cur = dirname(cur);
        if (!step(lstatSync(cur).uid)) return { kind: 'refused', why: 'unsafe' };
      }
      continue;
    }
    const here = join(cur, c);
    let st;
    try {
      st = lstatSync(here);
    } catch {
      st = undefined;
    }
    if (st?.isSymbolicLink() && !last) {
      if (++links > MAX_LINKS) return { kind: 'refused', why: 'other' };
      if (!step(st.uid)) return { kind: 'refused', why: 'unsafe' };
      const target = readlinkSync(here);
      if (target.startsWith('/')) {
        cur = '/';
        if (!step(0)) return { kind: 'refused', why: 'unsafe' };
      }
      rest.unshift(...target.split('/').filter((t) => t !== ''));
      continue;
    }
    if (last) return { kind: 'write', dir: cur };
    if (st === undefined) return { kind: 'refused', why: 'missing' };
    if (!st.isDirectory()) return { kind: 'refused', why: 'other' };
    cur = here;
    if (!step(st.uid)) return { kind: 'refused', why: 'unsafe' };
  }
  return { kind: 'refused', why: 'other' };
}
