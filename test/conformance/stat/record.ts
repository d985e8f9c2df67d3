// Records Ansible's stat module's answers next to what tend's stat probe prints for the
// same paths at the same moment, on this machine, as the fixtures test/unit/stat.test.ts
// compares: the `stat` dict tend computes from the recorded probe output must be
// Ansible's. Needs ansible-core (Debian: apt-get install ansible-core); run as root from
// the repository:
//   npx tsx test/conformance/stat/record.ts
// It builds a scratch tree (a file, links, a directory, a setuid program, a fifo), asks
// `ansible localhost -c local -m stat` about each case, and runs tend's probe snippets
// with `sh -c` before and after; a case whose two probe runs differ (a clock tick
// between them) is asked again. Writes expected.json here.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import stat from '../../../tasks/builtin/stat.ts';

// The probe runs under LC_ALL=C, as the engine runs probes; Ansible refuses anything but UTF-8.
const ENV = { ...process.env, LC_ALL: 'C' };
const ANSIBLE_ENV = { ...process.env, LC_ALL: 'C.UTF-8', ANSIBLE_NOCOLOR: '1', ANSIBLE_LOCALHOST_WARNING: 'False', ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3' };

const dir = mkdtempSync(join(tmpdir(), 'tend-stat-'));
writeFileSync(join(dir, 'file.txt'), 'hello\n');
chmodSync(join(dir, 'file.txt'), 0o640);
symlinkSync('file.txt', join(dir, 'link'));
symlinkSync('nowhere', join(dir, 'broken'));
mkdirSync(join(dir, 'sub'));
writeFileSync(join(dir, 'prog'), '#!/bin/sh\n');
chmodSync(join(dir, 'prog'), 0o4755);
execFileSync('mkfifo', [join(dir, 'fifo')]);

const cases: Record<string, unknown>[] = [
  { path: '/etc/passwd' },
  { path: join(dir, 'file.txt'), checksum_algorithm: 'sha256', get_md5: true },
  { path: join(dir, 'link') },
  { path: join(dir, 'link'), follow: true },
  { path: join(dir, 'broken') },
  { path: join(dir, 'broken'), follow: true },
  { path: join(dir, 'sub'), get_mime: false, get_attributes: false },
  { path: join(dir, 'prog'), get_checksum: false },
  { path: join(dir, 'fifo') },
  { path: '/dev/null' },
  { path: join(dir, 'missing') },
];

function probe(params: Record<string, unknown>): { code: number; sections: string[] } {
  const snippets = stat.probe(stat.params.parse(params)) as readonly { text: string }[];
  let code = 0;
  const sections = snippets.map((s) => {
    try {
      return execFileSync('sh', ['-c', s.text], { env: ENV, encoding: 'utf8' });
    } catch (e) {
      code ||= (e as { status: number }).status;
      return (e as { stdout: string }).stdout;
    }
  });
  return { code, sections };
}

function ansible(params: Record<string, unknown>): unknown {
  const out = execFileSync('ansible', ['localhost', '-c', 'local', '-o', '-m', 'stat', '-a', JSON.stringify(params)], { env: ANSIBLE_ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return (JSON.parse(out.slice(out.indexOf('=>') + 2)) as { stat: unknown }).stat;
}

const records = cases.map((params) => {
  for (let attempt = 0; ; attempt++) {
    const before = probe(params);
    const expected = ansible(params);
    const after = probe(params);
    if (JSON.stringify(before) === JSON.stringify(after)) return { params, probed: before, ansible: expected };
    if (attempt === 5) throw new Error(`the probe's answer keeps changing for ${JSON.stringify(params)}`);
  }
});
rmSync(dir, { recursive: true });
writeFileSync(new URL('./expected.json', import.meta.url), `${JSON.stringify(records, null, 2)}\n`);
console.log(`${records.length} cases recorded`);
