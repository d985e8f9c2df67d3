// No parameter value can change what a module's command means. Random values, hostile
// ones mixed in (leading dashes, quotes, $( ), newlines, globs), go through each
// module's schema; whatever the schema accepts is turned into the module's probe and
// plan scripts, which must pass `sh -n` and then run in a real /bin/sh whose PATH holds
// only recorders: every tool the scripts call writes down its argv (and, for tools that
// read it, its stdin) instead of acting. The recorded calls must equal the intended
// ones, word for word.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { probedFrom, type Probed } from '../../src/module.ts';
import { ShellText } from '../../src/shell.ts';
import { modules } from '../../tasks/index.ts';

const TOOLS = [
  'postconf', 'getent', 'id', 'useradd', 'usermod', 'userdel', 'chpasswd', 'debconf-communicate', 'debconf-set-selections',
  'dpkg-query', 'apt-cache', 'apt-get', 'service', 'systemctl', 'update-rc.d', 'chown', 'chgrp', 'chmod', 'mkdir', 'rm',
  'ln', 'mv', 'openssl', 'stat', 'readlink', 'find', 'head', 'cat', 'base64', 'ls', 'dirname', 'date', 'sh', 'cd',
];

// The recorder, as shell functions: __tend_rec TOOL ARGS… writes the call's words (and,
// for the tools that read it, its stdin) as a numbered record. The staging directory
// check asks stat, id and ls about the directory it entered; they answer as a fresh
// private one would. Calls are numbered by counting the records so far with a glob (a
// builtin, in a function so that the tool's own arguments stay). Its variables carry a
// prefix no script uses.
const RECORD_FUNCTIONS = `__tend_count() { if [ -e "$1" ]; then __tend_n=$#; else __tend_n=0; fi; }
__tend_rec() {
  __tend_tool=$1; shift
  __tend_count "$REC_DIR"/*.argv
  __tend_f="$REC_DIR/$((1000000 + __tend_n))"
  printf '%s\\0' "$__tend_tool" "$@" > "$__tend_f.argv"
  case $__tend_tool in
    chpasswd|debconf-set-selections|debconf-communicate|base64) /bin/cat > "$__tend_f.stdin" ;;
    stat) [ "$*" = "-c %u %a ." ] && echo "0 700" ;;
    id) [ "$*" = "-u" ] && echo 0 ;;
  esac
  return 0
}`;

// The executable every tool name points at: the same record, one process per call.
const RECORDER = `#!/bin/sh
${RECORD_FUNCTIONS}
__tend_rec "\${0##*/}" "$@"
exit 0
`;

// The recorders as shell functions too, which a script's plain `tool args` calls without
// starting a process (the test's time went into those processes). Tools whose names are
// not shell function names (apt-get, update-rc.d, …), and calls that bypass functions
// (exec, command, env, another program), still reach the executable recorder above,
// which writes the same records.
const FUNCTION_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const IN_SHELL_RECORDERS = [RECORD_FUNCTIONS, ...TOOLS.filter((t) => FUNCTION_NAME.test(t)).map((t) => `${t}() { __tend_rec ${t} "$@"; }`)].join('\n');

const sandbox = mkdtempSync(join(tmpdir(), 'tend-injection-'));
const bin = join(sandbox, 'bin');
mkdirSync(bin);
writeFileSync(join(bin, '.recorder'), RECORDER);
chmodSync(join(bin, '.recorder'), 0o755);
for (const tool of TOOLS) symlinkSync('.recorder', join(bin, tool));
const work = join(sandbox, 'work');
mkdirSync(work);
const APT_LOG = join(work, 'apt.log');

interface Call {
  argv: string[];
  stdin?: string;
}

/**
 * Runs each script (as its own subshell, one after another) in the sandbox; returns the
 * calls they made, in order. One /bin/sh per call of this function: each script's
 * syntax is checked first (`sh -n`), and a syntax error throws.
 */
function record(...scripts: ShellText[]): Call[] {
  const rec = join(sandbox, 'rec');
  rmSync(rec, { recursive: true, force: true });
  mkdirSync(rec);
  // `cd` is a shell builtin: a function in front of it records instead of moving.
  const runner = [
    'for s in "$@"; do /bin/sh -n -c "$s" || { echo "tend-test: a script does not parse" >&2; exit 97; }; done',
    IN_SHELL_RECORDERS,
    'for s in "$@"; do ( eval "$s" ); done',
  ].join('\n');
  const run = spawnSync('/bin/sh', ['-c', runner, 'sh', ...scripts.map((t) => t.text)], { cwd: work, env: { PATH: bin, REC_DIR: rec }, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  // A failing script still made its calls; they are what is compared. A syntax error is not.
  if (run.status === 97 && run.stderr.includes('tend-test: a script does not parse')) throw new Error(`sh -n: ${run.stderr}`);
  return readdirSync(rec)
    .filter((f) => f.endsWith('.argv'))
    .sort()
    .map((f) => {
      const argv = readFileSync(join(rec, f), 'utf8').split('\0').slice(0, -1);
      const stdinFile = join(rec, f.replace(/\.argv$/, '.stdin'));
      let stdin: string | undefined;
      try {
        stdin = readFileSync(stdinFile, 'utf8');
      } catch {
        stdin = undefined;
      }
      return stdin === undefined ? { argv } : { argv, stdin };
    });
}

function probeScripts(name: string, params: unknown): ShellText[] {
  const probe = modules.get(name)!.probe(params);
  return probe instanceof ShellText ? [probe] : [...probe];
}

/**
 * The calls a module's plan makes. Fixed paths the module writes to (apt's log) are
 * moved into the sandbox first: they are constants, not parameters.
 */
function planCalls(name: string, params: unknown, probed: Probed): Call[] {
  const commands = modules
    .get(name)!
    .plan(params, probed)
    .commands.map((c) => new ShellText(c.text.replaceAll('/var/lib/tend/apt.log', APT_LOG)));
  return record(...commands);
}

/** Parses `raw` with the module's schema; undefined when the schema refuses it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each test reads the fields its module defines
function accepted(name: string, raw: unknown): any {
  const r = modules.get(name)!.params.safeParse(raw);
  return r.success ? r.data : undefined;
}

// Values: random text, or hostile pieces glued together.
const hostilePiece = fc.constantFrom('-X', '--', '-e', '-o', "a'b", 'a"b', '$(id)', '`id`', 'a b', ' ', '*', '?', '[a]', '~root', 'a;b', 'a|b', 'a\nb', 'x\\', '%s', '\t', '=', ':', '/', '..', 'é');
const hostile = fc.array(fc.oneof(hostilePiece, fc.string({ unit: 'binary', maxLength: 6 })), { minLength: 1, maxLength: 4 }).map((a) => a.join(''));
const nameLike = (re: RegExp) => fc.oneof(fc.stringMatching(re), hostile);
const path = fc.oneof(fc.constant('/srv/x'), hostile.map((s) => `/srv/${s}`), hostile);
const RUNS = { numRuns: 30, seed: 8 };

/**
 * Values a schema accepts that are still hostile to a careless command line: a first
 * character the schema allows, then pieces from its own alphabet that look like options,
 * parent directories or separators (`a--x`, `p-e`, `x..y`, `s@-`).
 */
const schemaHostile = (first: string[], pieces: string[]) =>
  fc.tuple(fc.constantFrom(...first), fc.array(fc.constantFrom(...pieces), { minLength: 1, maxLength: 4 })).map(([a, rest]) => a + rest.join(''));
/** An absolute path every path schema accepts, each piece of it read by a shell as more than text. */
const shellyPath = fc
  .array(fc.constantFrom("a'b", 'a"b', '$(id)', '`id`', 'a b', '*', '?', '[a]', '~root', 'a;b', 'a|b', 'x\\', '\t', '#x', '&', '<', '>', '!', '-rf'), { minLength: 1, maxLength: 3 })
  .map((a) => `/srv/${a.join('')}`);
/** A character a shell reads as more than itself (outside quotes). */
const SHELL_SPECIAL = /[\s'"$`\\*?[\]~;|&<>()#!{}]/;

/** Counts, across a property's runs, the values that were accepted and hostile. */
function tally() {
  let n = 0;
  return {
    count: (yes: boolean) => void (yes && n++),
    atLeast: (min: number, what: string) => assert.ok(n >= min, `only ${n} ${what} were accepted and checked (want ${min})`),
  };
}

/**
 * The calls of the safe walk (tasks/lib/safe-path.ts) to the directory holding `path`, or
 * into it (`enter`), in the sandbox: no links there, every directory ours, so each
 * component is one `cd`. Null when the walk refuses the path (it ends in . or ..).
 */
function walkCalls(path: string, enter = false): string[][] | null {
  const parts = path.split('/').filter((c) => c !== '');
  const last = enter ? undefined : parts.pop();
  if (last === '.' || last === '..' || (!enter && last === undefined)) return null;
  const calls: string[][] = [['cd', '/']];
  for (const c of parts) {
    if (c === '.') continue;
    calls.push(c === '..' ? ['cd', '-P', '..'] : ['cd', '-P', '--', c]);
  }
  return calls;
}

/** The staging directory a staged write made (random): read from its mkdir call. */
function stageOf(calls: Call[]): string {
  const mkdir = calls.find((c) => c.argv[0] === 'mkdir' && c.argv[1] === '-m');
  assert.ok(mkdir, 'no staging directory made');
  const stage = mkdir.argv[4]!;
  assert.match(stage, /^\.tend\.[0-9a-f]{24}$/);
  return stage;
}

/** The calls of a staged write of `name` in the walked directory, whose `produce` made `produced`. */
function staged(stage: string, name: string, metadata: string[][], produced: Call[]): Call[] {
  return [
    { argv: ['mkdir', '-m', '0700', '--', stage] },
    { argv: ['cd', '-P', '--', stage] },
    { argv: ['stat', '-c', '%u %a', '.'] },
    { argv: ['id', '-u'] },
    { argv: ['ls', '-A'] },
    ...metadata.map((argv) => ({ argv })),
    ...produced,
    { argv: ['mv', '-fT', '--', 'new', `../${name}`] },
    { argv: ['cd', '-P', '..'] },
    { argv: ['rm', '-rf', '--', stage] },
  ];
}

const lastOf = (p: string) => p.split('/').filter((c) => c !== '').at(-1) ?? '';


describe('parameters cannot change what a command means (recorded argv, word for word)', () => {
  it('postconf: names, values, services', () => {
    const arb = fc.record({
      settings: fc.dictionary(nameLike(/^[a-z_]{1,8}$/), fc.oneof(hostile, fc.constant(''))),
      services: fc.dictionary(
        nameLike(/^[a-z]{1,8}\/inet$/),
        fc.record({ entry: fc.oneof(fc.constant('n - y - - smtpd'), hostile.map((h) => `n - y - - ${h}`)), options: fc.dictionary(nameLike(/^[a-z_]{1,8}$/), hostile) }),
        { maxKeys: 2 },
      ),
      config_dir: path,
    });
    fc.assert(
      fc.property(arb, (raw) => {
        const p = accepted('postconf', raw);
        fc.pre(p !== undefined);
        const names = Object.keys(p.settings);
        const services = Object.keys(p.services);
        const probes = record(...probeScripts('postconf', p));
        assert.deepEqual(probes.map((c) => c.argv), [
          ...(names.length ? [['postconf', '-c', p.config_dir, '--', ...names]] : []),
          ...(services.length ? [['postconf', '-c', p.config_dir, '-M', '--', ...services], ['postconf', '-c', p.config_dir, '-P', '--', ...services]] : []),
        ]);
        const calls = planCalls('postconf', p, probedFrom(['', '', '']));
        const entries = Object.entries(p.services as Record<string, { entry: string; options: Record<string, string> }>);
        assert.deepEqual(calls.map((c) => c.argv), [
          ...(names.length ? [['postconf', '-c', p.config_dir, '-e', '--', ...names.map((n) => `${n} = ${p.settings[n]}`)]] : []),
          ...(entries.length ? [['postconf', '-c', p.config_dir, '-Me', '--', ...entries.map(([k, s]) => `${k}=${k.replace('/', ' ')} ${s.entry.trim().split(/\s+/).join(' ')}`)]] : []),
          ...(entries.some(([, s]) => Object.keys(s.options).length) ? [['postconf', '-c', p.config_dir, '-Pe', '--', ...entries.flatMap(([k, s]) => Object.entries(s.options).map(([o, v]) => `${k}/${o}=${v}`))]] : []),
        ]);
      }),
      RUNS,
    );
  });

  it('user: name, groups, shell, password (on stdin, one line)', () => {
    const arb = fc.record({
      name: nameLike(/^[a-z_][a-z0-9_-]{0,8}$/),
      groups: fc.array(nameLike(/^[a-z_][a-z0-9_-]{0,8}$/), { maxLength: 3 }),
      shell: path,
      password: fc.oneof(fc.constant('$6$salt$hash'), hostile),
    });
    fc.assert(
      fc.property(arb, (raw) => {
        const p = accepted('user', raw);
        fc.pre(p !== undefined);
        assert.deepEqual(record(...probeScripts('user', p)).map((c) => c.argv), [
          ['getent', 'passwd', p.name],
          ['getent', 'passwd', p.name],
          ['id', '-nG', '--', p.name],
          ['getent', 'shadow', p.name],
          ...p.groups.map((g: string) => ['getent', 'group', g]),
        ]);
        const calls = planCalls('user', p, probedFrom(['', '', '', p.groups.join('\n')]));
        assert.deepEqual(calls, [
          { argv: ['useradd', '--create-home', '--shell', p.shell, ...(p.groups.length ? ['--groups', p.groups.join(',')] : []), '--', p.name] },
          { argv: ['chpasswd', '--encrypted'], stdin: `${p.name}:${p.password}\n` },
        ]);
      }),
      RUNS,
    );
  });

  it('service: names reach service, update-rc.d and systemctl as one non-option word', () => {
    const tricky = tally();
    fc.assert(
      fc.property(fc.oneof(schemaHostile(['a', 'Z', '0', '@', '_'], ['-', '--', '-X', '-e', '.', '..', '@', '_', 'x', '@-']), nameLike(/^[a-z0-9@_][a-z0-9@_.-]{0,10}$/)), (name) => {
        const p = accepted('service', { name, state: 'started', enabled: true });
        fc.pre(p !== undefined);
        tricky.count(/-|\.\.|@/.test(name));
        assert.deepEqual(planCalls('service', p, probedFrom(['init=sysv\nexists=yes\nrunning=3\nenabled=no\n'])).map((c) => c.argv), [
          ['service', name, 'start'],
          ['update-rc.d', name, 'defaults'],
          ['update-rc.d', name, 'enable'],
        ]);
        assert.deepEqual(planCalls('service', p, probedFrom(['init=systemd\nexists=yes\nrunning=3\nenabled=no\n'])).map((c) => c.argv), [
          ['systemctl', 'start', '--', name],
          ['systemctl', 'enable', '--', name],
        ]);
      }),
      RUNS,
    );
    tricky.atLeast(10, 'service names with -, .. or @');
  });

  it('apt: package names', () => {
    const tricky = tally();
    const packageLike = fc.oneof(
      fc.tuple(schemaHostile(['a', '0', 'z'], ['-', '--', '-o', '-e', '.', '..', '+', '++', 'x', '9']), fc.constantFrom('', ':amd64')).map(([n, arch]) => n + arch),
      nameLike(/^[a-z0-9][a-z0-9+.-]{1,10}$/),
    );
    fc.assert(
      fc.property(fc.array(packageLike, { minLength: 1, maxLength: 3 }), (names) => {
        const p = accepted('apt', { name: names });
        fc.pre(p !== undefined);
        tricky.count(names.some((n) => /-|\.\.|\+|:/.test(n)));
        assert.deepEqual(probeScripts('apt', p)[0] && record(probeScripts('apt', p)[0]!).map((c) => c.argv), [
          ['dpkg-query', '-W', '-f=${Package}\\t${db:Status-Abbrev}\\t${Version}\\n', '--', ...names],
          ['apt-cache', 'policy', '--', ...names],
        ]);
        const calls = planCalls('apt', p, probedFrom(['', '']));
        const keep = ['-o', 'Dpkg::Options::=--force-confdef', '-o', 'Dpkg::Options::=--force-confold'];
        assert.deepEqual(calls.map((c) => c.argv), [
          ['mkdir', '-p', '-m', '0700', '/var/lib/tend'],
          ['apt-get', 'install', '-y', '-q', '-o', 'DPkg::Lock::Timeout=300', ...keep, ...names],
          ['cat', APT_LOG],
        ]);
      }),
      RUNS,
    );
    tricky.atLeast(10, 'package lists with -, .., + or :arch');
  });

  it('debconf: package, questions and answers (one selection line each, on stdin)', () => {
    const arb = fc.record({
      package: nameLike(/^[a-z0-9][a-z0-9+.-]{1,8}$/),
      answers: fc.dictionary(nameLike(/^[a-z]{1,6}\/[a-z_]{1,8}$/), fc.record({ type: fc.constantFrom('string', 'password', 'select'), value: hostile }), { minKeys: 1, maxKeys: 3 }),
    });
    fc.assert(
      fc.property(arb, (raw) => {
        const p = accepted('debconf', raw);
        fc.pre(p !== undefined);
        const questions = Object.keys(p.answers);
        assert.deepEqual(record(...probeScripts('debconf', p)), [
          { argv: ['debconf-communicate', '--', p.package], stdin: questions.map((q) => `GET ${q}\n`).join('') },
          { argv: ['cat', '--', `/var/lib/tend/debconf/${p.package}`] },
        ]);
        const calls = planCalls('debconf', p, probedFrom(['', '']));
        const entries = Object.entries(p.answers as Record<string, { type: string; value: string }>);
        assert.deepEqual(calls, [
          { argv: ['debconf-set-selections'], stdin: entries.map(([q, a]) => `${p.package} ${q} ${a.type} ${a.value}\n`).join('') },
          { argv: ['mkdir', '-p', '-m', '0700', '/var/lib/tend/debconf'] },
        ]);
      }),
      RUNS,
    );
  });

  it('file: path, owner, group, mode and content (the exact bytes reach base64 -d)', () => {
    const arb = fc.record({
      path,
      content: fc.oneof(hostile, fc.string({ unit: 'binary' })),
      owner: nameLike(/^[a-z_][a-z0-9_-]{0,8}$/),
      group: nameLike(/^[a-z_][a-z0-9_-]{0,8}$/),
      mode: fc.oneof(fc.constantFrom('0640', '600', '-1', '0644 x'), hostile),
    });
    fc.assert(
      fc.property(arb, (raw) => {
        const p = accepted('file', raw);
        fc.pre(p !== undefined && Buffer.from(p.content, 'utf8').toString('utf8') === p.content);
        const calls = planCalls('file', p, probedFrom(['plain\n', 'missing\n', '']));
        const walk = walkCalls(p.path);
        if (walk === null) {
          // A path ending in . or .. names no file: the walk refuses it and nothing else runs.
          assert.deepEqual(calls.map((c) => c.argv), [['cd', '/']]);
          return;
        }
        const produced = calls.find((c) => c.argv[0] === 'base64')!;
        assert.equal(Buffer.from(produced.stdin ?? '', 'base64').toString('utf8'), p.content);
        const stage = stageOf(calls);
        assert.deepEqual(calls, [
          ...walk.map((argv) => ({ argv })),
          ...staged(stage, lastOf(p.path), [['chown', '-h', '--', `${p.owner}:${p.group}`, 'new'], ['chmod', '--', p.mode, 'new']], [produced]),
        ]);
        assert.equal(produced.argv.join(' '), 'base64 -d');
      }),
      RUNS,
    );
  });

  it('directory and link: paths and targets', () => {
    const directories = tally();
    const links = tally();
    const owner = fc.oneof(fc.stringMatching(/^[a-z_][a-z0-9_-]{0,8}$/), schemaHostile(['a', '_'], ['-', '--', '-x', '_', '9']));
    fc.assert(
      fc.property(fc.oneof(shellyPath, path), owner, fc.oneof(shellyPath, hostile, path), (dir, owner, target) => {
        const d = accepted('file', { path: dir, state: 'directory', owner, mode: '0750' });
        directories.count(d !== undefined && SHELL_SPECIAL.test(dir));
        if (d !== undefined) {
          // Walked into (made as it goes, in the sandbox every cd succeeds), then changed from inside.
          assert.deepEqual(planCalls('file', d, probedFrom([`missing\nat ${dir}\n`, '', '', ''])).map((c) => c.argv), [
            ...walkCalls(dir, true)!,
            ['chown', '-h', '--', owner, '.'],
            ['chmod', '--', '0750', '.'],
          ]);
        }
        const l = accepted('file', { src: target, dest: dir, state: 'link' });
        links.count(l !== undefined && SHELL_SPECIAL.test(dir) && SHELL_SPECIAL.test(target));
        if (l !== undefined) {
          const calls = planCalls('file', l, probedFrom([`missing\nat ${dir}\n`, '', 'exists\n', '']));
          const walk = walkCalls(dir);
          if (walk === null) assert.deepEqual(calls.map((c) => c.argv), [['cd', '/']]);
          else {
            const made = calls[walk.length]!.argv[4]!;
            assert.match(made, /^\.tend\.[0-9a-f]{24}$/);
            assert.deepEqual(calls.map((c) => c.argv), [...walk, ['ln', '-s', '--', target, made], ['mv', '-Tf', '--', made, lastOf(dir)]]);
          }
        }
      }),
      RUNS,
    );
    // Paths and targets holding shell-special characters, which the schemas accept.
    directories.atLeast(8, 'directory paths with a shell-special character');
    links.atLeast(5, 'links whose path and target both hold a shell-special character');
  });

  it('openssl: paths and subject values', () => {
    const arb = fc.record({ key: path, csr: path, certificate: path, subject: fc.record({ CN: hostile, O: hostile }), days: fc.integer({ min: 1, max: 9999 }) });
    fc.assert(
      fc.property(arb, (raw) => {
        const p = accepted('openssl', raw);
        // (A path ending in . or .. is refused by the walk: the file test covers that.)
        fc.pre(p !== undefined && [p.key, p.csr, p.certificate].every((f: string) => walkCalls(f) !== null));
        const calls = planCalls('openssl', p, probedFrom(['missing\n', 'missing\n', 'missing\n']));
        const subj = `/CN=${p.subject.CN.replace(/([\\/])/g, '\\$1')}/O=${p.subject.O.replace(/([\\/])/g, '\\$1')}`;
        const openssl = calls.filter((c) => c.argv[0] === 'openssl').map((c) => c.argv);
        assert.deepEqual(openssl, [
          ['openssl', 'genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'new'],
          ['openssl', 'req', '-new', '-key', p.key, '-subj', subj, '-out', 'new'],
          ['openssl', 'x509', '-req', '-days', String(p.days), '-in', p.csr, '-signkey', p.key, '-out', 'new'],
        ]);
        // Each file is renamed into place by its last component, in the directory its walk reached.
        assert.deepEqual(calls.filter((c) => c.argv[0] === 'mv').map((c) => c.argv.at(-1)), [p.key, p.csr, p.certificate].map((f) => `../${lastOf(f)}`));
      }),
      RUNS,
    );
  });

  it('command: argv runs word for word, no shell; chdir and unless stay single words', () => {
    fc.assert(
      fc.property(fc.array(hostile, { minLength: 1, maxLength: 3 }), hostile, hostile, (words, chdir, unless) => {
        // A recorded program, then hostile words: each must reach it as one argument.
        const argv = ['sh', ...words];
        const p = accepted('command', { argv, chdir, unless });
        fc.pre(p !== undefined);
        assert.deepEqual(record(...probeScripts('command', p)).map((c) => c.argv), [['sh', '-c', unless]]);
        assert.deepEqual(planCalls('command', p, probedFrom([''])).map((c) => c.argv), [['cd', '--', chdir], argv]);
      }),
      RUNS,
    );
  });

  it('shell: cmd is one argument of sh -c; chdir and unless stay single words', () => {
    fc.assert(
      fc.property(hostile, hostile, hostile, (cmd, chdir, unless) => {
        const p = accepted('shell', { cmd, chdir, unless });
        fc.pre(p !== undefined);
        assert.deepEqual(record(...probeScripts('shell', p)).map((c) => c.argv), [['sh', '-c', unless]]);
        assert.deepEqual(planCalls('shell', p, probedFrom([''])).map((c) => c.argv), [
          ['cd', '--', chdir],
          ['sh', '-c', cmd],
        ]);
      }),
      RUNS,
    );
  });
});

describe('schemas refuse values that would change a command', () => {
  const refused = (module: string, raw: unknown) => assert.equal(modules.get(module)!.params.safeParse(raw).success, false, JSON.stringify(raw));
  it('a newline or colon in a password hash (a second chpasswd line)', () => {
    refused('user', { name: 'bob', password: '$6$x\nroot:$6$evil' });
    refused('user', { name: 'bob', password: 'a:b' });
  });
  it('option-like names: postconf -X, service names, packages', () => {
    refused('postconf', { settings: { '-X': 'x' } });
    refused('postconf', { services: { '-o/inet': { entry: 'n - y - - smtpd' } } });
    refused('service', { name: '-x', state: 'started' });
    refused('service', { name: '..', state: 'started' });
    refused('apt', { name: '-oAPT::x=1' });
    refused('debconf', { package: '-x', answers: {} });
  });
  it('newlines and NULs where a value is one line', () => {
    refused('postconf', { settings: { a: 'x\ny' } });
    refused('debconf', { package: 'p', answers: { 'p/q': { type: 'string', value: 'a\rb' } } });
    refused('file', { dest: '/x', src: 'a\nb', state: 'link' });
    refused('file', { path: '/x\n/y', state: 'touch' });
    refused('copy', { dest: '/x\n/y', content: '' });
    refused('openssl', { key: '/k', certificate: '/c', subject: { CN: 'a\nb' } });
  });
});
