// The seed's acceptance: playbooks/postfix-sasl-tls.yml on five fresh fleet hosts (5–9),
// one of them with postfix already installed from other answers. SMTP, STARTTLS and
// saslauthd are checked from outside, as a mail client would. npm test starts hosts 8
// and 9 on Debian 13 (trixie) and the others on Debian 12 (bookworm): one run converges
// both releases, and what differs between them (the TLS parameters, libdb5.3 being
// virtual on trixie) is checked per host, from the release the fleet gave it.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { before, describe, it } from 'node:test';
import { connect as tlsConnect } from 'node:tls';
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { jsonReport } from '../../src/report/json.ts';
import { fleet, fleetIp, inventoryOf, KNOWN_HOSTS, linesOf, onHost, recapLine, tend, writeTemp } from './helpers.ts';

const PLAYBOOK = 'playbooks/postfix-sasl-tls.yml';
const HOSTS = [5, 6, 7, 8, 9];
const PREINSTALLED = 9;
/** Each host's release, as the fleet started it (`fleet.sh release I`). */
const RELEASE = new Map(HOSTS.map((i) => [i, fleet('release', String(i)).trim()]));
const MAJOR: Record<string, string> = { bookworm: '12', trixie: '13' };

/** A line-oriented SMTP conversation: send a command, read until the final reply line. */
class Smtp {
  private buffer = '';
  private waiting?: () => void;
  private constructor(private socket: Socket) {
    socket.on('data', (d) => this.take(d.toString()));
  }
  private take(text: string) {
    this.buffer += text;
    this.waiting?.();
  }
  static async open(ip: string, port: number): Promise<{ smtp: Smtp; greeting: string }> {
    const socket = connect(port, ip);
    socket.setTimeout(10_000, () => socket.destroy(new Error('SMTP timeout')));
    const smtp = new Smtp(socket);
    return { smtp, greeting: await smtp.reply() };
  }
  reply(): Promise<string> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const m = /^(?:\d{3}-.*\r?\n)*\d{3} .*\r?\n/m.exec(this.buffer);
        if (!m) return;
        this.buffer = this.buffer.slice(m.index + m[0].length);
        this.waiting = undefined;
        resolve(m[0]);
      };
      this.waiting = check;
      this.socket.once('error', reject);
      check();
    });
  }
  async command(line: string): Promise<string> {
    this.socket.write(`${line}\r\n`);
    return this.reply();
  }
  async startTls(servername: string): Promise<X509Certificate> {
    const answer = await this.command('STARTTLS');
    assert.match(answer, /^220 /);
    this.socket.removeAllListeners('data');
    const secure = tlsConnect({ socket: this.socket, servername, rejectUnauthorized: false });
    await new Promise<void>((resolve, reject) => {
      secure.once('secureConnect', resolve);
      secure.once('error', reject);
    });
    const cert = secure.getPeerX509Certificate();
    assert.ok(cert, 'no certificate presented');
    secure.end();
    return cert;
  }
  close() {
    this.socket.end('QUIT\r\n');
  }
}

const changedCount = (output: string, host: string) => Number(/(?:changed|would-change)=(\d+)/.exec(recapLine(output, host))![1]);
const pidOf = (i: number, file: string) => onHost(i, `cat ${file} 2>/dev/null || true`).trim();
const postfixPid = (i: number) => pidOf(i, '/var/spool/postfix/pid/master.pid');
const saslauthdPid = (i: number) => pidOf(i, '/var/spool/postfix/var/run/saslauthd/saslauthd.pid');

describe(`the seed playbook on five fresh hosts (${HOSTS.map((i) => `${i}: ${RELEASE.get(i)}`).join(', ')})`, () => {
  let inventory: string;
  const args = () => ['-i', inventory, '--known-hosts', KNOWN_HOSTS];

  before(() => {
    inventory = inventoryOf(HOSTS);
    // The facts the playbook chooses by are the fleet's release on every host.
    for (const i of HOSTS) {
      const release = RELEASE.get(i)!;
      assert.ok(MAJOR[release], `tend-${i}: unknown release '${release}'`);
      assert.match(onHost(i, '. /etc/os-release && echo "$VERSION_ID $VERSION_CODENAME"'), new RegExp(`^${MAJOR[release]} ${release}$`, 'm'));
    }
    // One host already has postfix, installed with other answers than the playbook's.
    onHost(
      PREINSTALLED,
      `printf '%s\\n' 'postfix postfix/main_mailer_type select Local only' 'postfix postfix/mailname string other.example' \
        'postfix postfix/destinations string other.example, localhost' | debconf-set-selections &&
       DEBIAN_FRONTEND=noninteractive apt-get install -y -q postfix >/dev/null 2>&1 && postconf -h inet_interfaces`,
    );
  });

  it('one apply makes every host a working SMTP AUTH + TLS server', async () => {
    const r = await tend(['apply', PLAYBOOK, ...args()]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    for (const i of HOSTS) {
      const domain = `tend-${i}.localdomain`;
      const { smtp, greeting } = await Smtp.open(fleetIp(i), 25);
      assert.match(greeting, new RegExp(`^220 ${domain} ESMTP`));
      const ehlo = await smtp.command('EHLO client.example');
      assert.match(ehlo, /^250-STARTTLS\r?$/m, ehlo);
      assert.match(ehlo, /^250-AUTH PLAIN LOGIN\r?$/m, ehlo);
      const cert = await smtp.startTls(domain);
      assert.equal(cert.subject, `CN=${domain}`);
      const days = (Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / 86_400_000;
      assert.equal(Math.round(days), 3650);
      // The certificate served is the playbook's file, not Debian's snakeoil.
      const onDisk = new X509Certificate(onHost(i, 'cat /etc/postfix/ssl/smtpd.crt'));
      assert.equal(cert.fingerprint256, onDisk.fingerprint256);

      const submission = await Smtp.open(fleetIp(i), 587);
      assert.match(await submission.smtp.command('EHLO client.example'), /^250-AUTH PLAIN LOGIN\r?$/m);
      submission.smtp.close();

      assert.equal(onHost(i, 'stat -c %a /etc/postfix/ssl/smtpd.key /etc/postfix/ssl/cakey.pem'), '600\n600\n');
      assert.equal(onHost(i, 'readlink /run/saslauthd').trim(), '/var/spool/postfix/var/run/saslauthd');
      assert.match(onHost(i, 'id -nG postfix'), /\bsasl\b/);
      assert.equal(onHost(i, 'cat /etc/postfix/sasl/smtpd.conf'), 'pwcheck_method: saslauthd\nmech_list: plain login\n');
    }
    // Per release: the TLS switches by their names there, and no deprecation warning.
    for (const i of HOSTS) {
      const release = RELEASE.get(i)!;
      const set = onHost(i, 'postconf -n 2>&1');
      if (release === 'bookworm') {
        assert.match(set, /^smtpd_use_tls = yes$/m, `tend-${i} (${release})`);
        assert.match(set, /^smtp_use_tls = yes$/m, `tend-${i} (${release})`);
      } else {
        assert.match(set, /^smtpd_tls_security_level = may$/m, `tend-${i} (${release})`);
        assert.match(set, /^smtp_tls_security_level = may$/m, `tend-${i} (${release})`);
        assert.doesNotMatch(set, /use_tls|warning/, `tend-${i} (${release}): ${set}`);
        // libdb5.3 is virtual on trixie: its provider is what apt installed.
        assert.match(onHost(i, "dpkg-query -W -f='${db:Status-Abbrev} ${Provides}' libdb5.3t64"), /^ii .*\blibdb5\.3\b/);
      }
      // Each release skips the other's TLS task, saying why.
      const skipped = linesOf(r.stdout, `tend-${i}`).filter((l) => /: skipped /.test(l));
      assert.deepEqual(skipped, [
        release === 'bookworm'
          ? `tend-${i}: skipped (condition false: ansible_distribution_major_version | int >= 13): [6] TLS offered and used (Debian 13 and later) (postconf)`
          : `tend-${i}: skipped (condition false: ansible_distribution_major_version | int < 13): [7] TLS offered and used (Debian 12, the guide's names) (postconf)`,
      ]);
    }
    // The host that had other answers now has the playbook's.
    assert.equal(onHost(PREINSTALLED, 'postconf -h myhostname mydestination inet_interfaces'),
      'tend-9.localdomain\ntend-9.localdomain, localhost.tend-9.localdomain, localhost\nall\n');
  });

  it('saslauthd authenticates a user whose password the user module set, and the hash never shows', async () => {
    const hash = execFileSync('openssl', ['passwd', '-6', 'correct horse'], { encoding: 'utf8' }).trim();
    const playbook = 'test/fixtures/playbooks/mail-user.yml';
    const r = await tend(['apply', playbook, ...args(), '-e', `mail_password_hash=${hash}`]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.ok(!r.stdout.includes(hash) && !r.stderr.includes(hash), 'the password hash leaked into the output');
    assert.match(r.stdout, /mailuser password: \(secret\) → \(secret\)/);
    for (const i of HOSTS) {
      assert.equal(onHost(i, "testsaslauthd -u mailuser -p 'correct horse'").trim(), '0: OK "Success."');
      assert.match(onHost(i, "testsaslauthd -u mailuser -p wrong || true"), /NO "authentication failed"/);
    }
    const again = await tend(['apply', playbook, ...args(), '-e', `mail_password_hash=${hash}`]);
    for (const i of HOSTS) assert.equal(changedCount(again.stdout, `tend-${i}`), 0, again.stdout);
  });

  it('the second apply changes nothing and restarts nothing; check exits 0', async () => {
    const pids = HOSTS.map((i) => [postfixPid(i), saslauthdPid(i)]);
    const r = await tend(['apply', PLAYBOOK, ...args()]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    for (const i of HOSTS) assert.equal(changedCount(r.stdout, `tend-${i}`), 0, r.stdout);
    assert.deepEqual(HOSTS.map((i) => [postfixPid(i), saslauthdPid(i)]), pids);
    // --stats: a converged host costs one round trip, and says what reading it cost the host.
    const json = writeTemp('converged.json', '');
    const check = await tend(['check', PLAYBOOK, ...args(), '--stats', '--json', json]);
    assert.equal(check.code, 0, check.stdout);
    const report = JSON.parse(readFileSync(json, 'utf8'));
    for (const h of report.hosts) {
      assert.equal(h.stats.roundTrips, 1, `${h.name}: one round trip`);
      assert.ok(Number.isInteger(h.stats.remoteCpuMs), `${h.name}: host CPU measured`);
      // Per task, except the other release's TLS task: skipped, it ran nothing.
      const ran = h.tasks.filter((t: { status: string }) => t.status !== 'skipped');
      assert.equal(ran.length, h.tasks.length - 1, `${h.name}: one task skipped`);
      assert.ok(ran.every((t: { remoteCpuMs?: number }) => Number.isInteger(t.remoteCpuMs)), `${h.name}: per task`);
      const sum = ran.reduce((n: number, t: { remoteCpuMs: number }) => n + t.remoteCpuMs, 0);
      assert.ok(sum <= h.stats.remoteCpuMs, 'the tasks are part of the whole');
    }
    assert.match(check.stdout, /^tend-\d+ +round-trips=1 .* host-cpu=\d+ms$/m);
    assert.match(check.stdout, /\[1\] postfix installation answers: \d+ms \/ \d+ms {2}host-cpu \d+ms \/ \d+ms/);
  });

  it('drift, one kind per host: check names exactly it; apply repairs it and restarts only what was notified', async () => {
    const drift: Record<number, { how: string; task: string; difference: RegExp; restarts: 'postfix' | 'saslauthd' }> = {
      5: { how: "postconf -e 'smtpd_tls_loglevel = 0'", task: '[5] main.cf and master.cf (postconf)', difference: /smtpd_tls_loglevel: 0 → 1/, restarts: 'postfix' },
      6: { how: 'rm /run/saslauthd && mkdir /run/saslauthd', task: '[14] /run/saslauthd points into the chroot (file)', difference: /\/run\/saslauthd: directory → symlink to \/var\/spool\/postfix\/var\/run\/saslauthd/, restarts: 'saslauthd' },
      7: { how: `sed -i 's|^OPTIONS=.*|OPTIONS="-c -m /var/run/saslauthd"|' /etc/default/saslauthd`, task: '[15] saslauthd starts, with its socket in the chroot (OPTIONS="-c -m /var/spool/postfix/var/run/saslauthd")', difference: /^tend-7: {5}-OPTIONS="-c -m \/var\/run\/saslauthd"$/m, restarts: 'saslauthd' },
      8: { how: 'chmod 644 /etc/postfix/ssl/smtpd.key', task: '[10] server key, CSR and self-signed certificate (openssl)', difference: /\/etc\/postfix\/ssl\/smtpd\.key mode: 0644 → 0600/, restarts: 'postfix' },
      9: { how: 'gpasswd -d postfix sasl >/dev/null', task: '[4] postfix may talk to saslauthd (user)', difference: /\+ postfix in group sasl/, restarts: 'postfix' },
    };
    for (const [i, d] of Object.entries(drift)) onHost(Number(i), d.how);

    const check = await tend(['check', PLAYBOOK, ...args()]);
    assert.equal(check.code, 2, check.stdout + check.stderr);
    for (const [i, d] of Object.entries(drift)) {
      const host = `tend-${i}`;
      const lines = linesOf(check.stdout, host);
      const tasks = lines.filter((l) => /: would change.*: \[\d+\] (?!handler)/.test(l));
      assert.deepEqual(tasks, [`${host}: would change: ${d.task}`], lines.join('\n'));
      assert.match(lines.join('\n'), d.difference);
    }

    const before = Object.fromEntries(HOSTS.map((i) => [i, { postfix: postfixPid(i), saslauthd: saslauthdPid(i) }]));
    const apply = await tend(['apply', PLAYBOOK, ...args()]);
    assert.equal(apply.code, 0, apply.stdout + apply.stderr);
    for (const [i, d] of Object.entries(drift)) {
      const n = Number(i);
      const tasks = linesOf(apply.stdout, `tend-${n}`).filter((l) => /: changed: \[\d+\] (?!handler)/.test(l));
      assert.deepEqual(tasks, [`tend-${n}: changed: ${d.task}`]);
      const after = { postfix: postfixPid(n), saslauthd: saslauthdPid(n) };
      const other = d.restarts === 'postfix' ? 'saslauthd' : 'postfix';
      assert.notEqual(after[d.restarts], before[n]![d.restarts], `tend-${n}: ${d.restarts} should have restarted`);
      assert.equal(after[other], before[n]![other], `tend-${n}: ${other} should not have restarted`);
    }
    assert.equal(onHost(8, 'stat -c %a /etc/postfix/ssl/smtpd.key').trim(), '600');
    assert.equal(onHost(6, 'readlink /run/saslauthd').trim(), '/var/spool/postfix/var/run/saslauthd');
    assert.equal(onHost(5, "testsaslauthd -u mailuser -p 'correct horse'").trim(), '0: OK "Success."');
    const again = await tend(['check', PLAYBOOK, ...args()]);
    assert.equal(again.code, 0, again.stdout);
  });

  it('postfix killed behind its pid file is seen as stopped (pidfile:), and started again', async () => {
    // kill -9: the pid file stays, naming a process that is gone. Wait until `kill -0`
    // (what the service probe asks) says it is gone, for at most 10 s.
    onHost(
      8,
      `pid=$(cat /var/spool/postfix/pid/master.pid) && kill -9 "$pid" || exit 1
      deadline=$(($(date +%s) + 10))
      while kill -0 "$pid" 2>/dev/null; do
        [ "$(date +%s)" -lt "$deadline" ] || { echo "postfix master $pid still there 10 s after kill -9" >&2; exit 1; }
        sleep 0.05
      done`,
    );
    const check = await tend(['check', PLAYBOOK, ...args(), '--limit', 'tend-8']);
    assert.equal(check.code, 2, check.stdout + check.stderr);
    assert.match(check.stdout, /^tend-8: would change: \[17\] postfix runs \(service\)$/m);
    assert.match(check.stdout, /^tend-8: {5}postfix: stopped → running$/m);
    const apply = await tend(['apply', PLAYBOOK, ...args(), '--limit', 'tend-8']);
    assert.equal(apply.code, 0, apply.stdout + apply.stderr);
    assert.equal(onHost(8, 'kill -0 "$(cat /var/spool/postfix/pid/master.pid)" && echo alive').trim(), 'alive');
    const again = await tend(['check', PLAYBOOK, ...args(), '--limit', 'tend-8']);
    assert.equal(again.code, 0, again.stdout);
  });

  it('two of five hosts drift differently: check names exactly those, and the JSON report says the same', async () => {
    onHost(6, "postconf -e 'smtpd_tls_received_header = no'");
    onHost(8, "printf 'pwcheck_method: auxprop\\nmech_list: plain login\\n' > /etc/postfix/sasl/smtpd.conf");
    const reportFile = writeTemp('report.json', '');
    const r = await tend(['check', PLAYBOOK, ...args(), '--json', reportFile]);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    const drifted = new Set(r.stdout.split('\n').flatMap((l) => /^(tend-\d+): would change/.exec(l)?.[1] ?? []));
    assert.deepEqual([...drifted].sort(), ['tend-6', 'tend-8']);
    assert.match(r.stdout, /^tend-6: {5}smtpd_tls_received_header: no → yes$/m);
    assert.match(r.stdout, /^tend-8: {5}-pwcheck_method: auxprop$/m);

    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as ReturnType<typeof jsonReport>;
    const ajv = new Ajv({ strict: false });
    addFormats.default(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync('schema/report.schema.json', 'utf8')));
    assert.ok(validate(structuredClone(report)), JSON.stringify(validate.errors));
    assert.deepEqual(report.drifted, ['tend-6', 'tend-8']);
    assert.equal(report.mode, 'check');
    assert.deepEqual([report.totals.hosts, report.totals.inSync, report.totals.changed], [5, 3, 2]);
    const changesOf = (host: string) => report.hosts.find((h) => h.name === host)!.tasks.filter((t) => t.status === 'would-change' && !t.handler);
    assert.deepEqual(changesOf('tend-6').map((t) => t.number), [5]);
    assert.deepEqual(changesOf('tend-6')[0]!.changes, [{ subject: 'smtpd_tls_received_header', kind: 'set', before: 'no', after: 'yes' }]);
    assert.deepEqual(changesOf('tend-8').map((t) => t.number), [8]);
    assert.deepEqual(changesOf('tend-8')[0]!.changes[0], { subject: '/etc/postfix/sasl/smtpd.conf', kind: 'content', before: 'pwcheck_method: auxprop\nmech_list: plain login\n', after: 'pwcheck_method: saslauthd\nmech_list: plain login\n' });
    for (const h of report.hosts) assert.ok(h.stats.roundTrips >= 1 && h.stats.connectMs >= 0);

    const repaired = await tend(['apply', PLAYBOOK, ...args()]);
    assert.equal(repaired.code, 0, repaired.stdout);
  });

  it('tend run -- mailq on five hosts: one grouped answer, per-host exit codes', async () => {
    const r = await tend(['run', ...args(), '--', 'mailq']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^tend-5, tend-6, tend-7, tend-8, tend-9 \(5 hosts, exit 0\):\n {4}Mail queue is empty$/m);
    // One host's postfix stopped: the answer differs there, in output and exit status.
    // (`postfix status` itself says nothing on bookworm and names the master's PID on
    // trixie: its verdict is what is compared.)
    onHost(7, 'postfix stop >/dev/null 2>&1; true');
    const mixed = await tend(['run', ...args(), '--', 'postfix status >/dev/null 2>&1; s=$?; [ $s = 0 ] && echo running || echo "not running"; exit $s']);
    assert.equal(mixed.code, 1, mixed.stdout);
    assert.match(mixed.stdout, /^tend-5, tend-6, tend-8, tend-9 \(4 hosts, exit 0\):\n {4}running$/m);
    assert.match(mixed.stdout, /^tend-7 \(1 host, exit 1\):\n {4}not running$/m);
    onHost(7, 'postfix start >/dev/null 2>&1; true');
    const refused = await tend(['run', ...args(), '--', 'postsuper -d ALL']);
    assert.equal(refused.code, 8, refused.stdout + refused.stderr);
    const listed = await tend(['run', ...args(), '--list-hosts', '--limit', 'tend-5,tend-9', '--', 'postsuper -d ALL']);
    assert.equal(listed.code, 0);
    assert.match(listed.stdout, /^2 host\(s\):\n {2}tend-5 {2}root@[\d.]+:22\n {2}tend-9 /m);
  });
});
