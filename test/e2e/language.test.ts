// The playbook language on a real host (fleet host 24): a role with defaults, a template
// and a handler; a loop over users with a condition per item; tags; ignore_errors; a
// reading command; then a second run that changes nothing in one round trip.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fleetArgs, onHost, ROOT, tend, writeTemp } from './helpers.ts';

const HOST = 24;
const FILES: Record<string, string> = {
  'site.yml': `- name: language
  hosts: all
  vars:
    users:
      - { name: alice, shell: /bin/bash }
      - { name: bob, shell: /bin/sh }
      - { name: carol, shell: /bin/sh, absent: true }
  roles:
    - role: motd
      greeting: Bonjour
  tasks:
    - name: people
      user: { name: "{{ person.name }}", shell: "{{ person.shell }}" }
      loop: "{{ users }}"
      loop_control: { loop_var: person, label: "{{ person.name }}" }
      when: person.absent is not defined
    - name: only elsewhere
      copy: { dest: /etc/tend-lang-elsewhere, content: "x\\n" }
      when: inventory_hostname != 'tend-${HOST}'
    - name: slow thing
      copy: { dest: /etc/tend-lang-slow, content: "slow\\n" }
      tags: slow
    - name: may fail
      command: { cmd: "false" }
      ignore_errors: true
    - name: read the kernel
      shell: { cmd: "uname -r > /dev/null" }
      changed_when: false
    - name: as nobody
      shell: { cmd: "id -un > /tmp/tend-lang-who", creates: /tmp/tend-lang-who }
      become: true
      become_user: nobody
    - name: with an environment
      shell: { cmd: 'printf "%s" "$GREETING" > /etc/tend-lang-env', creates: /etc/tend-lang-env }
      environment: { GREETING: "hello {{ inventory_hostname }}" }
`,
  'roles/motd/defaults/main.yml': 'greeting: Hello\n',
  'roles/motd/templates/motd.j2': '{{ greeting }} from {{ inventory_hostname }}\n',
  'roles/motd/tasks/main.yml': '- name: motd\n  template: { src: motd.j2, dest: /etc/tend-lang-motd }\n  notify: motd changed\n',
  'roles/motd/handlers/main.yml': '- name: motd changed\n  shell: { cmd: "date > /etc/tend-lang-handled" }\n',
};

describe('the playbook language on a real host', () => {
  const args = fleetArgs([HOST]);
  let site: string;
  before(() => {
    const root = dirname(writeTemp('marker', ''));
    for (const [path, text] of Object.entries(FILES)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    site = join(root, 'site.yml');
    onHost(HOST, 'userdel -r alice 2>/dev/null; userdel -r bob 2>/dev/null; rm -f /etc/tend-lang-* /tmp/tend-lang-*; true');
  });

  it('applies: role first, a loop per item, conditions, tags skipped, an ignored failure, a quiet command, become_user, environment', async () => {
    const json = writeTemp('lang.json', '');
    const r = await tend(['apply', site, ...args(), '--skip-tags', 'slow', '--json', json]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^tend-24: changed: \[2\] people \(alice\)$/m);
    assert.match(r.stdout, /^tend-24: skipped \(condition false: person\.absent is not defined\): \[2\] people \(carol\)$/m);
    assert.match(r.stdout, /^tend-24: failed \(ignored\): \[5\] may fail \(command\)$/m);
    assert.match(r.stdout, /^tend-24 +ok=1 +changed=6 +failed=0 +unreachable=0 +skipped=2 +ignored=1$/m);
    assert.equal(onHost(HOST, 'cat /tmp/tend-lang-who'), 'nobody\n', 'become_user');
    assert.equal(onHost(HOST, 'stat -c %U /tmp/tend-lang-who').trim(), 'nobody');
    assert.equal(onHost(HOST, 'cat /etc/tend-lang-env'), 'hello tend-24', 'environment');
    assert.doesNotMatch(r.stdout, /slow thing/, 'a skipped tag does not run nor show');
    assert.equal(onHost(HOST, 'cat /etc/tend-lang-motd'), 'Bonjour from tend-24\n');
    assert.match(onHost(HOST, 'getent passwd alice bob'), /^alice:.*:\/bin\/bash\nbob:.*:\/bin\/sh\n$/);
    assert.equal(onHost(HOST, 'id carol >/dev/null 2>&1 && echo yes || echo no').trim(), 'no');
    assert.equal(onHost(HOST, 'test -e /etc/tend-lang-handled && test ! -e /etc/tend-lang-slow && test ! -e /etc/tend-lang-elsewhere && echo ok').trim(), 'ok');
    const report = JSON.parse(readFileSync(json, 'utf8'));
    const people = report.hosts[0].tasks.filter((t: { number: number }) => t.number === 2);
    assert.deepEqual(people.map((t: { item: string; status: string }) => `${t.item}:${t.status}`), ['alice:changed', 'bob:changed', 'carol:skipped']);
  });

  it('a second run changes nothing; every loop item is read in the first round trip', async () => {
    const json = writeTemp('lang2.json', '');
    const r = await tend(['apply', site, ...args(), '--skip-tags', 'slow', '--json', json, '--detailed-exitcode']);
    assert.equal(r.code, 0, r.stdout);
    const report = JSON.parse(readFileSync(json, 'utf8'));
    // One round trip reads every task and item; the two commands without a condition (the
    // ignored failure, the quiet read) run again, one round trip each.
    assert.equal(report.hosts[0].stats.roundTrips, 3);
    assert.deepEqual(report.hosts[0].tasks.filter((t: { status: string }) => t.status === 'changed'), []);
    const check = await tend(['check', site, ...args(), '--skip-tags', 'slow,always', '--tags', 'never-matches,untagged']);
    assert.equal(check.code, 2, 'the failing command would run again');
    const onlySlow = await tend(['check', site, ...args(), '--tags', 'slow']);
    assert.match(onlySlow.stdout, /would change: \[4\] slow thing/);
    assert.doesNotMatch(onlySlow.stdout, /\[2\] people/);
  });
});

describe('with_* loops on a real host', () => {
  const args = fleetArgs([HOST]);
  const site = `- hosts: all
  vars:
    names: [a, b]
    modes: { c: "0600", d: "0640" }
  tasks:
    - name: items
      copy: { dest: "/etc/tend-with-{{ item }}", content: "{{ item }}\\n" }
      with_items: ["{{ names }}", [x]]
    - name: dict
      copy: { dest: "/etc/tend-with-{{ item.key }}", content: "dict\\n", mode: "{{ item.value }}" }
      with_dict: "{{ modes }}"
    - name: sequence
      copy: { dest: "/etc/tend-with-n{{ item }}", content: "n\\n" }
      with_sequence: start=1 end=3 format=%02d
`;

  it('makes the items as Ansible does, applies them, and a second check is converged', async () => {
    onHost(HOST, 'rm -f /etc/tend-with-*');
    const playbook = writeTemp('with.yml', site);
    const validate = await tend(['validate', playbook, '-i', args()[1]!]);
    assert.equal(validate.code, 0, validate.stdout + validate.stderr);
    const r = await tend(['apply', playbook, ...args()]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^tend-24 +ok=0 +changed=8 /m);
    assert.equal(onHost(HOST, 'cd /etc && for f in tend-with-*; do printf "%s %s %s\\n" "$f" "$(stat -c %a "$f")" "$(cat "$f")"; done'), [
      'tend-with-a 644 a', 'tend-with-b 644 b', 'tend-with-c 600 dict', 'tend-with-d 640 dict',
      'tend-with-n01 644 n', 'tend-with-n02 644 n', 'tend-with-n03 644 n', 'tend-with-x 644 x', '',
    ].join('\n'));
    const again = await tend(['check', playbook, ...args()]);
    assert.equal(again.code, 0, again.stdout + again.stderr);
  });
});

describe('include_tasks on a real host', () => {
  const args = fleetArgs([HOST]);

  it('includes a file named by a fact, and one per loop item; a converged check reads included tasks ahead', async () => {
    onHost(HOST, 'rm -f /etc/tend-inc-*');
    const site = writeTemp('site.yml', `- hosts: all
  tasks:
    - name: per distribution
      include_tasks: "setup-{{ ansible_distribution | lower }}.yml"
    - name: per user
      include_tasks: user.yml
      loop: [ann, bob]
      loop_control: { loop_var: who }
`);
    const dir = dirname(site);
    writeFileSync(join(dir, 'setup-debian.yml'), '- name: debian only\n  copy: { dest: /etc/tend-inc-os, content: "{{ ansible_distribution_release }}\\n" }\n');
    writeFileSync(join(dir, 'user.yml'), '- name: a file per user\n  copy: { dest: "/etc/tend-inc-{{ who }}", content: "{{ who }}\\n" }\n');
    const r = await tend(['apply', site, ...args()]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(onHost(HOST, 'cat /etc/tend-inc-os'), /^(bookworm|trixie)\n$/);
    assert.equal(onHost(HOST, 'cat /etc/tend-inc-ann /etc/tend-inc-bob'), 'ann\nbob\n');
    // Converged: the tasks of an include are read ahead with the rest, except where the
    // file's name needs the facts, which come back with the first round trip.
    const roundTrips = async (playbook: string) => {
      const json = writeTemp('inc.json', '');
      const r = await tend(['check', playbook, ...args(), '--json', json]);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      return JSON.parse(readFileSync(json, 'utf8')).hosts[0].stats.roundTrips;
    };
    assert.equal(await roundTrips(site), 2);
    const looped = join(dir, 'looped.yml');
    writeFileSync(looped, readFileSync(site, 'utf8').replace(/ {4}- name: per distribution\n.*\n/, ''));
    assert.equal(await roundTrips(looped), 1);
  });
});

describe('facts, read with the first probes', () => {
  const args = fleetArgs([HOST]);

  it('tend facts says what the host says of itself', async () => {
    const r = await tend(['facts', ...args(), '--json']);
    assert.equal(r.code, 0, r.stderr);
    const f = JSON.parse(r.stdout)[`tend-${HOST}`];
    const own = (cmd: string) => onHost(HOST, cmd).trim();
    assert.equal(f.os.id, own('. /etc/os-release; echo $ID'));
    assert.equal(f.os.codename, own('. /etc/os-release; echo $VERSION_CODENAME'));
    assert.equal(f.os.version, own('cat /etc/debian_version'));
    assert.equal(f.os.family, 'Debian');
    assert.equal(f.hostname, own('uname -n'));
    assert.equal(f.kernel, own('uname -r'));
    assert.equal(f.cpus, Number(own('nproc --all')));
    assert.equal(f.memory_mb, Math.floor(Number(own("awk '/^MemTotal:/ {print $2}' /proc/meminfo")) / 1024));
    assert.equal(f.init, 'sysvinit');
    const plain = await tend(['facts', ...args()]);
    assert.match(plain.stdout, new RegExp(`^tend-${HOST}: Debian GNU/Linux 12[.0-9]* \\(bookworm\\), family Debian; `, 'm'));
  });

  it('a play that uses facts in conditions and values converges, and a converged host costs one round trip', async () => {
    const playbook = writeTemp(
      'facts.yml',
      `- hosts: all
  tasks:
    - name: release file
      copy: { dest: /etc/tend-lang-release, content: "{{ facts.os.codename }} on {{ ansible_architecture }}\\n" }
      when: ansible_os_family == 'Debian' and facts.os.major | int >= 12
    - name: never on Debian
      copy: { dest: /etc/tend-lang-ubuntu, content: "x\\n" }
      when: ansible_distribution == 'Ubuntu'
`,
    );
    const first = await tend(['apply', playbook, ...args()]);
    assert.equal(first.code, 0, first.stdout + first.stderr);
    assert.match(first.stdout, /skipped \(condition false: ansible_distribution == 'Ubuntu'\)/);
    assert.match(onHost(HOST, 'cat /etc/tend-lang-release'), /^bookworm on x86_64\n$|^bookworm on \S+\n$/);
    const json = writeTemp('facts.json', '');
    const again = await tend(['check', playbook, ...args(), '--json', json]);
    assert.equal(again.code, 0, again.stdout);
    assert.equal(JSON.parse(readFileSync(json, 'utf8')).hosts[0].stats.roundTrips, 1, 'facts and probes in one script');
  });
});

describe('group, sysctl and cron on a real host', () => {
  const args = fleetArgs([HOST]);
  const playbook = () =>
    writeTemp(
      'system.yml',
      `- hosts: all
  tasks:
    - group: { name: tendops, gid: 2345 }
    - sysctl: { name: net.ipv4.ip_default_ttl, value: 61, file: 60-tend-test.conf }
    - cron: { name: queue report, job: "/usr/sbin/postqueue -p >/dev/null 2>&1", hour: 6, minute: 0, file: tend-test }
`,
    );
  before(() => onHost(HOST, 'groupdel tendops 2>/dev/null; rm -f /etc/sysctl.d/60-tend-test.conf /etc/cron.d/tend-test; sysctl -q -w net.ipv4.ip_default_ttl=64'));

  it('applies, then changes nothing; a hand edit is drift that check names', async () => {
    const file = playbook();
    const r = await tend(['apply', file, ...args()]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(onHost(HOST, 'getent group tendops'), /^tendops:x:2345:/);
    assert.equal(onHost(HOST, 'cat /proc/sys/net/ipv4/ip_default_ttl').trim(), '61');
    assert.equal(onHost(HOST, 'cat /etc/sysctl.d/60-tend-test.conf'), 'net.ipv4.ip_default_ttl = 61\n');
    assert.equal(onHost(HOST, 'cat /etc/cron.d/tend-test'), '#tend: queue report\n0 6 * * * root /usr/sbin/postqueue -p >/dev/null 2>&1\n');
    assert.equal(onHost(HOST, 'stat -c %a:%U /etc/cron.d/tend-test').trim(), '644:root');
    const again = await tend(['apply', file, ...args(), '--detailed-exitcode']);
    assert.equal(again.code, 0, again.stdout);
    onHost(HOST, "sed -i 's/^0 6/30 7/' /etc/cron.d/tend-test; sysctl -q -w net.ipv4.ip_default_ttl=64");
    const check = await tend(['check', file, ...args()]);
    assert.equal(check.code, 2);
    assert.match(check.stdout, /\/etc\/cron\.d\/tend-test: queue report: 30 7 \* \* \* root .* → 0 6 \* \* \* root/);
    assert.match(check.stdout, /net\.ipv4\.ip_default_ttl \(running\): 64 → 61/);
  });
});

describe('apt_repository on a real host', () => {
  const args = fleetArgs([HOST]);
  // apt runs this before every `apt-get update`: a line per refresh of the lists.
  before(() =>
    onHost(
      HOST,
      "rm -f /etc/apt/sources.list.d/tend-local.sources /tmp/tend-apt-updates && " +
        "echo 'APT::Update::Pre-Invoke { \"echo update >> /tmp/tend-apt-updates\"; };' > /etc/apt/apt.conf.d/99tend-test",
    ),
  );
  after(() => onHost(HOST, 'rm -f /etc/apt/apt.conf.d/99tend-test /etc/apt/sources.list.d/tend-local.sources'));

  it('adds a deb822 source and refreshes the lists once; a second run refreshes nothing', async () => {
    // The fleet's own offline repository, under a second name (trusted: it is unsigned).
    const file = writeTemp('repo.yml', '- hosts: all\n  tasks:\n    - apt_repository: { name: tend-local, uris: ["file:/srv/repo"], suites: [./], trusted: true }\n');
    const updates = () => onHost(HOST, 'cat /tmp/tend-apt-updates 2>/dev/null | wc -l').trim();
    const r = await tend(['apply', file, ...args()]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(onHost(HOST, 'cat /etc/apt/sources.list.d/tend-local.sources'), 'Types: deb\nURIs: file:/srv/repo\nSuites: ./\nTrusted: yes\n');
    assert.equal(updates(), '1', 'the lists were refreshed with the change');
    const again = await tend(['apply', file, ...args(), '--detailed-exitcode']);
    assert.equal(again.code, 0, again.stdout);
    assert.equal(updates(), '1', 'no refresh when nothing changed');
  });
});

describe('file src: a controller file, streamed', () => {
  const args = fleetArgs([HOST]);

  /** Peak memory (kB) of one tend run, by GNU time. */
  async function peakKb(playbook: string): Promise<{ code: number; kb: number; stdout: string }> {
    const out = writeTemp('time.txt', '');
    const { execFile } = await import('node:child_process');
    return new Promise((resolve) => {
      execFile('/usr/bin/time', ['-f', '%M', '-o', out, process.execPath, join(ROOT, 'bin/tend.js'), 'apply', playbook, ...args()], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } }, (error, stdout) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, kb: Number(readFileSync(out, 'utf8').trim().split('\n').pop()), stdout });
      });
    });
  }

  it('copies bytes exactly, compares by SHA-256, and memory does not grow with the file: 50 MB, 150 MB', async () => {
    onHost(HOST, 'rm -f /srv/tend-small.bin /srv/tend-big.bin /srv/tend-bigger.bin');
    const dir = dirname(writeTemp('x', ''));
    const small = join(dir, 'small.bin');
    writeFileSync(small, Buffer.from([0, 1, 2, 255, 10, 0, 13]));
    const big = join(dir, 'big.bin');
    writeFileSync(big, randomBytes(50 * 1024 * 1024));
    const bigger = join(dir, 'bigger.bin');
    writeFileSync(bigger, Buffer.concat([randomBytes(100 * 1024 * 1024), readFileSync(big)]));
    const playbook = (src: string, dest: string) => writeTemp('src.yml', `- hosts: all\n  tasks:\n    - copy: { dest: ${dest}, src: ${src}, mode: "0600" }\n`);
    const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

    const a = await peakKb(playbook(small, '/srv/tend-small.bin'));
    assert.equal(a.code, 0, a.stdout);
    const b = await peakKb(playbook(big, '/srv/tend-big.bin'));
    assert.equal(b.code, 0, b.stdout);
    const c = await peakKb(playbook(bigger, '/srv/tend-bigger.bin'));
    assert.equal(c.code, 0, c.stdout);
    assert.equal(onHost(HOST, 'sha256sum /srv/tend-small.bin').split(' ')[0], sha(small));
    assert.equal(onHost(HOST, 'sha256sum /srv/tend-big.bin').split(' ')[0], sha(big));
    assert.equal(onHost(HOST, 'sha256sum /srv/tend-bigger.bin').split(' ')[0], sha(bigger));
    assert.equal(onHost(HOST, 'stat -c %a /srv/tend-big.bin').trim(), '600');
    // Streaming costs a fixed amount (buffers the garbage collector frees in its own
    // time); holding the file would cost at least its size.
    const kb = `${a.kb} kB for 7 bytes, ${b.kb} kB for 50 MB, ${c.kb} kB for 150 MB`;
    assert.ok(b.kb - a.kb < 50 * 1024, kb);
    assert.ok(c.kb - b.kb < 16 * 1024, kb);
    onHost(HOST, 'rm -f /srv/tend-bigger.bin');

    const again = await tend(['apply', playbook(big, '/srv/tend-big.bin'), ...args(), '--detailed-exitcode']);
    assert.equal(again.code, 0, again.stdout);
    onHost(HOST, "printf 'x' >> /srv/tend-small.bin");
    const check = await tend(['check', playbook(small, '/srv/tend-small.bin'), ...args()]);
    assert.equal(check.code, 2);
    assert.match(check.stdout, /\/srv\/tend-small\.bin: sha256 [0-9a-f]{12}… → sha256 [0-9a-f]{12}… \(7 bytes from .*small\.bin\) \(content differs\)/);
  });
});
