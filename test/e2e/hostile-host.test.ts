// A host that wants to rewrite its operator's terminal (fleet host tend-33): its
// os-release says VERSION_CODENAME is `bookworm`, a window title, a screen clear and a
// right-to-left override; a file it holds and the error a command prints carry the same
// bytes, DEL and a C1 CSI. A playbook names a task from the fact
// (`for {{ ansible_distribution_release }}`), shows the file's diff and fails on the
// command. No raw ESC, BEL, C1, DEL or bidi control reaches stdout or stderr — of the
// run, of `tend report merge`, of `tend report html` — while the JSON report keeps
// every byte exactly.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fleetArgs, onHost, tend, writeTemp } from './helpers.ts';

const HOST = 33;
const FACT = 'bookworm\x1b]0;pwned\x07\x1b[2J\u202e';
const FACT_SHOWN = 'bookworm\\e]0;pwned\\x07\\e[2J\\u202e';
const CONTENT = `line one\n${FACT}\x7f\u009b2J\u2066\n`;
const ERROR = `apt: ${FACT}\u2069`;

// eslint-disable-next-line no-control-regex -- what may not reach a terminal (tab and newline may)
const UNSAFE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/u;

/** Every raw control character in some output, as U+XXXX, with where it was. */
function rawControls(output: string): string[] {
  return [...output].flatMap((c, i) => (UNSAFE.test(c) ? [`U+${c.codePointAt(0)!.toString(16).padStart(4, '0')} at ${i}`] : []));
}

/** A printf command that writes exactly these bytes (every byte an octal escape of its format). */
function printfBytes(text: string): string {
  return `printf '${[...Buffer.from(text, 'utf8')].map((b) => `\\${b.toString(8).padStart(3, '0')}`).join('')}'`;
}

const PLAYBOOK = `- name: hostile host
  hosts: all
  tasks:
    - name: "for {{ ansible_distribution_release }}"
      copy: { dest: /etc/tend-hostile/motd, content: "managed by tend\\n" }
    - name: a command that fails
      shell: { cmd: "cat /etc/tend-hostile/error >&2; exit 3" }
`;

interface Report {
  hosts: { name: string; status: string; tasks: { name: string; status: string; error?: string; changes: { kind: string; before?: string | null }[] }[] }[];
}

describe('a host whose facts and files hold terminal escapes', () => {
  const args = fleetArgs([HOST]);

  before(() => {
    // os-release is a link to /usr/lib/os-release: replaced by a file with the hostile codename.
    onHost(
      HOST,
      [
        'set -e',
        "grep -v '^VERSION_CODENAME=' /usr/lib/os-release > /etc/os-release.tend-new",
        `codename="$(${printfBytes(FACT)})"`,
        `printf "VERSION_CODENAME='%s'\\n" "$codename" >> /etc/os-release.tend-new`,
        'mv -f /etc/os-release.tend-new /etc/os-release',
        'mkdir -p /etc/tend-hostile',
      ].join('\n'),
    );
  });
  after(() => {
    onHost(HOST, 'ln -sfn ../usr/lib/os-release /etc/os-release; rm -rf /etc/tend-hostile');
  });

  /** The file and the error text as the host holds them before each run. */
  function plant(): void {
    onHost(HOST, `${printfBytes(CONTENT)} > /etc/tend-hostile/motd; ${printfBytes(ERROR)} > /etc/tend-hostile/error`);
    assert.equal(onHost(HOST, 'cat /etc/tend-hostile/motd'), CONTENT, 'the host holds the hostile bytes');
  }

  it('the fact is what the host says, escapes and all', async () => {
    const r = await tend(['facts', ...args(), '--json']);
    assert.equal(r.code, 0, r.stderr);
    const facts = JSON.parse(r.stdout) as Record<string, { os: { codename: string } }>;
    assert.equal(Object.values(facts)[0]!.os.codename, FACT);
  });

  it('apply: task name from the fact, the diff, the error: shown escaped; the JSON report exact', async () => {
    plant();
    const reportFile = writeTemp('hostile.json', '');
    const r = await tend(['apply', writeTemp('hostile.yml', PLAYBOOK), ...args(), '--json', reportFile]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.deepEqual(rawControls(r.stdout), [], 'stdout');
    assert.deepEqual(rawControls(r.stderr), [], 'stderr');
    // What the operator reads instead: the same text, its controls visible.
    assert.match(r.stdout, /^tend-33: changed: \[1\] for bookworm\\e\]0;pwned\\x07\\e\[2J\\u202e \(copy\)$/m);
    assert.ok(r.stdout.includes(`-${FACT_SHOWN}\\x7f\\x9b2J\\u2066`), `the diff line\n${r.stdout}`);
    assert.ok(r.stdout.includes(`apt: ${FACT_SHOWN}\\u2069`), 'the error text');

    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as Report;
    const [named, failed] = report.hosts[0]!.tasks;
    assert.equal(named!.name, `for ${FACT}`, 'the JSON keeps the exact task name');
    assert.equal(named!.changes.find((c) => c.kind === 'content')!.before, CONTENT, 'and the exact content');
    assert.equal(failed!.status, 'failed');
    assert.ok(failed!.error!.includes(ERROR), failed!.error);

    // The saved report read back: report merge prints it, report html makes the page.
    const merged = await tend(['report', 'merge', reportFile]);
    assert.equal(merged.code, 1, merged.stdout + merged.stderr);
    assert.deepEqual(rawControls(merged.stdout), [], 'report merge stdout');
    assert.deepEqual(rawControls(merged.stderr), [], 'report merge stderr');
    assert.ok(merged.stdout.includes(`[1] for ${FACT_SHOWN}`), merged.stdout);
    const page = join(dirname(reportFile), 'hostile.html');
    const html = await tend(['report', 'html', reportFile, '-o', page]);
    assert.equal(html.code, 0, html.stderr);
    assert.deepEqual(rawControls(html.stdout + html.stderr), []);
    // In the page the data block holds the string exactly (JSON escapes), the markup none of it raw.
    const data = JSON.parse(/<script type="application\/json" id="tend-data">(.*?)<\/script>/s.exec(readFileSync(page, 'utf8'))![1]!) as { tasks: { name: string }[] };
    assert.equal(data.tasks[0]!.name, `for ${FACT}`);
  });

  it('check: the plain per-task lines and DIFFERENCES stay escaped too', async () => {
    plant();
    const r = await tend(['check', writeTemp('hostile.yml', PLAYBOOK), ...args()]);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.deepEqual(rawControls(r.stdout + r.stderr), []);
    assert.match(r.stdout, /^tend-33: would change: \[1\] for bookworm\\e\]0;pwned\\x07\\e\[2J\\u202e \(copy\)$/m);
  });
});
