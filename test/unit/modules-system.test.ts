// group, sysctl and cron: their plans from probe output as the hosts print it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { withEntry } from '../../tasks/builtin/cron.ts';
import { withSetting } from '../../tasks/posix/sysctl.ts';
import { commandsText, fixture, out, plan, walked } from './fixtures.ts';

describe('group plan', () => {
  it('creates a missing group with its gid, changes a wrong gid, removes one that must not exist', () => {
    assert.match(commandsText(plan('group', { name: 'mailadm', gid: 2001 }, out(''))), /^groupadd --gid 2001 +-- mailadm$/);
    assert.deepEqual(plan('group', { name: 'mailadm', gid: 2001 }, out('mailadm:x:2001:\n')), { changes: [], commands: [] });
    const wrong = plan('group', { name: 'mailadm', gid: 2001 }, out('mailadm:x:1005:alice\n'));
    assert.deepEqual(wrong.changes, [{ subject: 'group mailadm gid', kind: 'set', before: '1005', after: '2001' }]);
    assert.equal(commandsText(plan('group', { name: 'old', state: 'absent' }, out('old:x:1006:\n'))), 'groupdel -- old');
    assert.deepEqual(plan('group', { name: 'old', state: 'absent' }, out('')), { changes: [], commands: [] });
  });
});

describe('sysctl plan', () => {
  it('in sync only when the drop-in and the running kernel both say the value', () => {
    const p = { name: 'vm.swappiness', value: 10 };
    assert.deepEqual(plan('sysctl', p, out('10\n', 'present\nvm.swappiness = 10\n')), { changes: [], commands: [] });
    const running = plan('sysctl', p, out('60\n', 'present\nvm.swappiness = 10\n'));
    assert.deepEqual(running.changes, [{ subject: 'vm.swappiness (running)', kind: 'set', before: '60', after: '10' }]);
    assert.equal(commandsText(running), 'sysctl -q -w vm.swappiness=10');
    const fresh = plan('sysctl', p, out('60\n', 'missing\n'));
    assert.equal(fresh.changes.length, 2);
    assert.match(commandsText(fresh), /\/etc\/sysctl\.d\/60-tend\.conf/);
  });
  it('compares multi-field values with whitespace folded, as the kernel prints them', () => {
    const p = { name: 'net.ipv4.ip_local_port_range', value: '32768  60999', file: 'net.conf' };
    assert.deepEqual(plan('sysctl', p, out('32768\t60999\n', 'present\nnet.ipv4.ip_local_port_range = 32768 60999\n')), { changes: [], commands: [] });
  });
  it('keeps the other lines of the drop-in, and refuses a parameter the kernel does not have', () => {
    assert.equal(withSetting('# mine\nvm.dirty_ratio = 5\n', 'vm.swappiness', '10'), '# mine\nvm.dirty_ratio = 5\nvm.swappiness = 10\n');
    assert.equal(withSetting('vm.swappiness=60\nx.y = 1\n', 'vm.swappiness', '10'), 'vm.swappiness = 10\nx.y = 1\n');
    assert.throws(() => plan('sysctl', { name: 'vm.nosuch', value: 1 }, out('(none)\n', 'missing\n')), /no such kernel parameter/);
  });
});

describe('cron plan', () => {
  const job = { name: 'queue report', job: '/usr/sbin/postqueue -p', hour: 6, minute: 0 };
  it('adds a named entry, changes it in place, removes it (and the file when it empties)', () => {
    const added = plan('cron', job, out('missing\n'));
    assert.deepEqual(added.changes, [{ subject: '/etc/cron.d/tend: queue report', kind: 'add', before: null, after: '0 6 * * * root /usr/sbin/postqueue -p' }]);
    const file = '#tend: queue report\n0 6 * * * root /usr/sbin/postqueue -p\n';
    assert.deepEqual(plan('cron', job, out(`present\n${file}`)), { changes: [], commands: [] });
    assert.equal(withEntry(`# keep\n${file}`, 'queue report', '@daily root true'), '# keep\n#tend: queue report\n@daily root true\n');
    assert.equal(withEntry(`#tend: a\n1 * * * * root a\n${file}`, 'queue report', undefined), '#tend: a\n1 * * * * root a\n');
    // Removed by name in /etc/cron.d, reached by the safe walk; already gone with its directory is fine.
    assert.equal(
      walked(commandsText(plan('cron', { name: 'queue report', state: 'absent' }, out(`present\n${file}`)))),
      `(\ntend_chase /etc/cron.d/tend 0 0 0 || { case $tend_why in missing:*) exit 0 ;; esac; printf 'tend: %s\\n' "\${tend_why#missing: }" >&2; exit 1; }\nrm -f -- "$tend_name"\n)`,
    );
  });
  it('refuses a file name cron would skip, and a present entry without a job', () => {
    assert.throws(() => plan('cron', { ...job, file: 'my.jobs' }, out('missing\n')), /cron skips names with dots/);
    assert.throws(() => plan('cron', { name: 'x' }, out('missing\n')), /needs job/);
  });
});

describe('apt_repository plan', () => {
  const key = '-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQINBGExample\n-----END PGP PUBLIC KEY BLOCK-----\n';
  const repo = { name: 'example', uris: ['https://deb.example.org/debian'], suites: ['bookworm'], components: ['main'], key };
  const sources = 'Types: deb\nURIs: https://deb.example.org/debian\nSuites: bookworm\nComponents: main\nSigned-By: /etc/apt/keyrings/example.asc\n';
  it('writes the key and the deb822 source, and refreshes the lists in the same step', () => {
    const p = plan('apt_repository', repo, out('missing\n', 'missing\n'));
    assert.deepEqual(p.changes.map((c) => `${c.kind} ${c.subject}`), ['add /etc/apt/keyrings/example.asc', 'content /etc/apt/sources.list.d/example.sources']);
    assert.equal(p.changes[1]!.after, sources);
    assert.match(commandsText(p), /apt-get update -q/);
  });
  it('converged: nothing at all, no refresh of the lists', () => {
    assert.deepEqual(plan('apt_repository', repo, out(`present\n${sources}`, `present\n${key}`)), { changes: [], commands: [] });
  });
  it('another key alone is a change (and a refresh); absent removes both files', () => {
    const p = plan('apt_repository', repo, out(`present\n${sources}`, 'present\nold key\n'));
    assert.deepEqual(p.changes.map((c) => c.reason), ['another key']);
    assert.match(commandsText(p), /apt-get update/);
    const removal = walked(commandsText(plan('apt_repository', { name: 'example', state: 'absent' }, out(`present\n${sources}`, `present\n${key}`))));
    assert.match(removal, /^tend_chase \/etc\/apt\/sources\.list\.d\/example\.sources 0 0 0 \|\| .*\nrm -f -- "\$tend_name"\n\)\n\(\ntend_chase \/etc\/apt\/keyrings\/example\.asc 0 0 0 \|\| .*\nrm -f -- "\$tend_name"\n\)\napt-get update/m);
  });
  it('refuses a source without a key unless it is a trusted local one', () => {
    assert.throws(() => plan('apt_repository', { ...repo, key: undefined }, out('missing\n', 'missing\n')), /give key/);
    assert.throws(() => plan('apt_repository', { ...repo, key: 'not a key' }, out('missing\n', 'missing\n')), /ASCII-armored/);
  });
});

describe('copy src plan', () => {
  it('hashes the controller file when read, compares by SHA-256, and streams it when it differs', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const { createHash } = await import('node:crypto');
    const { modules } = await import('../../tasks/index.ts');
    const dir = mkdtempSync(join(tmpdir(), 'tend-src-'));
    writeFileSync(join(dir, 'blob.bin'), Buffer.from([0, 255, 10]));
    const copy = modules.get('copy')!;
    const resolved = copy.resolve!({ dest: '/srv/blob', src: 'blob.bin' }, { baseDir: dir });
    const sha = createHash('sha256').update(Buffer.from([0, 255, 10])).digest('hex');
    assert.deepEqual([resolved.src, resolved.src_sha256, resolved.src_size], [join(dir, 'blob.bin'), sha, 3]);
    const stat = 'regular file|root|root|644\n';
    assert.deepEqual(plan('copy', resolved, out('plain\n', stat, `${sha}  /srv/blob\n`)), { changes: [], commands: [] });
    const differs = plan('copy', resolved, out('plain\n', stat, `${'0'.repeat(64)}  /srv/blob\n`));
    assert.equal(differs.changes[0]!.reason, 'content differs');
    assert.equal(differs.upload!.file, join(dir, 'blob.bin'));
    assert.match(differs.upload!.script.text, /cat > new/);
    assert.throws(() => copy.resolve!({ dest: '/srv/x', src: 'nope.bin' }, { baseDir: dir }), /no such file/);
    // Found in files/ beside the task file first, as Ansible looks.
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(dir, 'files'));
    writeFileSync(join(dir, 'files', 'blob.bin'), 'other');
    assert.equal(copy.resolve!({ dest: '/srv/blob', src: 'blob.bin' }, { baseDir: dir }).src, join(dir, 'files', 'blob.bin'));
    assert.throws(() => plan('copy', { dest: '/srv/x', src: 'a', content: 'b' }, out('missing\n', 'missing\n', '')), /give one of src or content/);
  });
});

describe('the new modules from probes captured on fleet hosts (test/fixtures/capture.ts)', () => {
  /** The contents a plan's staged writes put in place (carried as base64), in order. */
  const written = (text: string) => [...text.matchAll(/printf '%s' (\S+) \| base64 -d > new/g)].map((m) => Buffer.from(m[1]!, 'base64').toString('utf8'));
  // What a fresh host needs, exactly: the changes shown, the files written (byte for byte,
  // where each goes) and the other commands.
  const cronLine = '15 6 * * * root sysctl -a > /var/log/sysctl-report 2>/dev/null';
  const sources = 'Types: deb\nURIs: file:/srv/repo\nSuites: ./\nTrusted: yes\n';
  const wanted: Record<string, { changes: unknown[]; files: [string, string][]; other: RegExp[] }> = {
    group: { changes: [{ subject: 'group sysadmins', kind: 'add', before: null, after: 'new group' }], files: [], other: [/^groupadd +-- sysadmins$/] },
    sysctl: {
      // The running value is already 1: only the drop-in is written.
      changes: [{ subject: '/etc/sysctl.d/60-baseline.conf: net.ipv4.tcp_syncookies', kind: 'set', before: null, after: '1' }],
      files: [['/etc/sysctl.d/60-baseline.conf', 'net.ipv4.tcp_syncookies = 1\n']],
      other: [],
    },
    cron: {
      changes: [{ subject: '/etc/cron.d/baseline: kernel report', kind: 'add', before: null, after: cronLine }],
      files: [['/etc/cron.d/baseline', `#tend: kernel report\n${cronLine}\n`]],
      other: [],
    },
    apt_repository: {
      changes: [{ subject: '/etc/apt/sources.list.d/tend-local.sources', kind: 'content', before: null, after: sources }],
      files: [['/etc/apt/sources.list.d/tend-local.sources', sources]],
      other: [/^apt-get update -q -o DPkg::Lock::Timeout=120 >\/dev\/null$/],
    },
  };
  for (const name of ['group', 'sysctl', 'cron', 'apt_repository']) {
    it(`${name}: a converged host needs nothing; a fresh one needs exactly the change`, () => {
      const converged = fixture(name, 'converged');
      assert.deepEqual(plan(name, converged.params, converged.probed), { changes: [], commands: [] });
      const fresh = fixture(name, 'fresh');
      const p = plan(name, fresh.params, fresh.probed);
      const want = wanted[name]!;
      assert.deepEqual(p.changes, want.changes);
      assert.equal(p.commands.length, want.files.length + want.other.length, commandsText(p));
      const writes = p.commands.slice(0, want.files.length).map((c) => c.text);
      assert.deepEqual(writes.map((w) => written(w)), want.files.map(([, content]) => [content]));
      writes.forEach((w, i) => assert.ok(w.includes(want.files[i]![0]), `the write goes to ${want.files[i]![0]}`));
      p.commands.slice(want.files.length).forEach((c, i) => assert.match(c.text, want.other[i]!));
      // The file a fresh host gets is the one a converged host holds.
      if (name === 'cron' || name === 'apt_repository') assert.equal(`present\n${want.files[0]![1]}`, converged.probed.sections[0]);
    });
  }
});
