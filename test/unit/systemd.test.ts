// systemd: plans and returns from `systemctl show` output (test/fixtures/systemd/, see
// its README: written by hand, no systemd host is at hand) and the probe's own lines.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { NO_CHANGE, ProbeFailed, probedFrom, type Probed } from '../../src/module.ts';
import systemd, { systemdService } from '../../tasks/builtin/systemd.ts';
import { parseSystemctlShow } from '../../tasks/lib/systemctl.ts';

const show = (name: string) => readFileSync(new URL(`../fixtures/systemd/${name}.show`, import.meta.url), 'utf8');
const ACTIVE = show('cron.active');
const INACTIVE = show('cron.inactive');
const MISSING = show('missing');
const ENABLED = 'is_enabled_rc=0\nis_enabled=enabled\n';
const DISABLED = 'is_enabled_rc=1\nis_enabled=disabled\n';
const MASKED = 'is_enabled_rc=1\nis_enabled=masked\n';

const plan = (params: unknown, ...sections: string[]) => systemd.plan(systemd.params.parse(params), probedFrom(sections));
const commands = (params: unknown, ...sections: string[]) => plan(params, ...sections).commands.map((c) => c.text);
const returns = (params: unknown, probed: Probed) =>
  (systemd.returns as (...args: unknown[]) => Record<string, unknown>)(systemd.params.parse(params), probed, NO_CHANGE, { check: false });
const failsWith = (params: unknown, probed: Probed, message: RegExp) =>
  assert.throws(() => systemd.plan(systemd.params.parse(params), probed), (e) => e instanceof ProbeFailed && message.test(e.message));

describe('systemd plan', () => {
  it('starts, stops, restarts and reloads as Ansible decides from ActiveState', () => {
    assert.deepEqual(plan({ name: 'cron', state: 'started' }, ACTIVE, ENABLED), NO_CHANGE);
    assert.deepEqual(commands({ name: 'cron', state: 'started' }, INACTIVE, ENABLED), ['systemctl  start -- cron']);
    assert.deepEqual(commands({ name: 'cron', state: 'stopped' }, ACTIVE, ENABLED), ['systemctl  stop -- cron']);
    assert.deepEqual(plan({ name: 'cron', state: 'stopped' }, INACTIVE, ENABLED), NO_CHANGE);
    assert.deepEqual(commands({ name: 'cron', state: 'stopped' }, INACTIVE.replace('ActiveState=inactive', 'ActiveState=deactivating'), ENABLED), ['systemctl  stop -- cron']);
    assert.deepEqual(commands({ name: 'cron', state: 'restarted' }, ACTIVE, ENABLED), ['systemctl  restart -- cron']);
    assert.deepEqual(commands({ name: 'cron', state: 'restarted' }, INACTIVE, ENABLED), ['systemctl  start -- cron']);
    assert.deepEqual(commands({ name: 'cron', state: 'reloaded' }, ACTIVE, ENABLED), ['systemctl  reload -- cron']);
    assert.deepEqual(plan({ name: 'cron', state: 'started' }, INACTIVE, ENABLED).changes, [{ subject: 'cron', kind: 'set', before: 'inactive', after: 'active' }]);
  });
  it('enables and masks from is-enabled, as Ansible reads it (indirect and alias are not enabled)', () => {
    assert.deepEqual(plan({ name: 'cron', enabled: true }, ACTIVE, ENABLED), NO_CHANGE);
    assert.deepEqual(commands({ name: 'cron', enabled: true }, ACTIVE, 'is_enabled_rc=0\nis_enabled=indirect\n'), ['systemctl  enable -- cron']);
    assert.deepEqual(commands({ name: 'cron', enabled: false }, ACTIVE, ENABLED), ['systemctl  disable -- cron']);
    assert.deepEqual(commands({ name: 'cron', enabled: true }, INACTIVE, DISABLED), ['systemctl  enable -- cron']);
    // An init script's start links count where systemd says neither enabled nor disabled.
    assert.deepEqual(plan({ name: 'cron', enabled: true }, INACTIVE, 'is_enabled_rc=1\nis_enabled=\ninitd=yes\nsysv_enabled=yes\n'), NO_CHANGE);
    assert.deepEqual(commands({ name: 'cron', masked: true }, ACTIVE, ENABLED), ['systemctl  mask -- cron']);
    assert.deepEqual(plan({ name: 'cron', masked: true }, INACTIVE, MASKED), NO_CHANGE);
    assert.deepEqual(commands({ name: 'cron', masked: false, enabled: true, state: 'started' }, INACTIVE, MASKED), ['systemctl  unmask -- cron', 'systemctl  enable -- cron', 'systemctl  start -- cron']);
  });
  it('reloads systemd when the unit file changed on disk, or always without a unit; re-executes it when asked', () => {
    assert.deepEqual(plan({ name: 'cron', daemon_reload: true, state: 'started' }, ACTIVE, ENABLED), NO_CHANGE);
    assert.deepEqual(commands({ name: 'cron', 'daemon-reload': true, state: 'restarted' }, ACTIVE.replace('NeedDaemonReload=no', 'NeedDaemonReload=yes'), ENABLED), [
      'systemctl  daemon-reload',
      'systemctl  restart -- cron',
    ]);
    assert.deepEqual(commands({ daemon_reload: true }, ''), ['systemctl  daemon-reload']);
    assert.deepEqual(commands({ daemon_reexec: true }, ''), ['systemctl  daemon-reexec']);
  });
  it('passes --no-block and --force on', () => {
    assert.deepEqual(commands({ name: 'cron', state: 'started', no_block: true, force: true }, INACTIVE, ENABLED), ['systemctl --no-block --force start -- cron']);
  });
  it("fails as Ansible does: a unit it cannot find, a unit file systemd could not load, a host without systemd", () => {
    failsWith({ name: 'nosuch', state: 'started' }, probedFrom([MISSING, 'is_enabled_rc=1\nis_enabled=\n']), /^Could not find the requested service nosuch: host$/);
    failsWith({ name: 'nosuch', enabled: true }, probedFrom([MISSING, 'is_enabled_rc=1\nis_enabled=\n']), /Could not find/);
    // Masking a unit systemd does not know is allowed (it links it to /dev/null).
    assert.deepEqual(commands({ name: 'nosuch', masked: true }, MISSING, 'is_enabled_rc=1\nis_enabled=\n'), ['systemctl  mask -- nosuch']);
    failsWith({ name: 'cron', state: 'started' }, probedFrom([`${ACTIVE}LoadError=org.freedesktop.systemd1.BadSetting "bad"\n`, ENABLED]), /^Error loading unit file 'cron': /);
    const noSystemd = probedFrom([''], 3, 'systemd is not running on this host (no /run/systemd/system); the service module manages services without it\n');
    failsWith({ name: 'cron', state: 'started' }, noSystemd, /systemd is not running on this host.*service module/);
    failsWith({ daemon_reload: true }, noSystemd, /systemd is not running on this host/);
  });
});

describe('systemd returns and parameters', () => {
  it('returns name, state (started after restarted/reloaded), enabled, and status: every systemctl show property', () => {
    const r = returns({ name: 'cron', state: 'restarted', enabled: true }, probedFrom([ACTIVE, ENABLED]));
    assert.equal(r.name, 'cron');
    assert.equal(r.state, 'started');
    assert.equal(r.enabled, true);
    const status = r.status as Record<string, string>;
    assert.equal(status.ActiveState, 'active');
    assert.equal(status.UnitFileState, 'enabled');
    assert.equal(status.MainPID, '512');
    assert.equal(status.Description, 'Regular background program processing daemon');
    assert.equal(Object.keys(status).length, ACTIVE.trim().split('\n').length);
    assert.equal(returns({ name: 'cron', state: 'stopped' }, probedFrom([ACTIVE, ENABLED])).state, 'stopped');
    assert.deepEqual(returns({ daemon_reload: true }, probedFrom([''])), { name: null, status: {} });
  });
  it("reads an Exec value that runs over several lines as Ansible does, values trimmed", () => {
    const parsed = parseSystemctlShow('ExecStart={ path=/bin/sh ; argv[]=/bin/sh -c "a\nb" ; status=0/0 }\nDescription= x \nActiveState=active\n');
    assert.deepEqual({ ...parsed }, { ExecStart: '{ path=/bin/sh ; argv[]=/bin/sh -c "a\nb" ; status=0/0 }', Description: 'x', ActiveState: 'active' });
  });
  it("takes Ansible's aliases and refuses what it cannot do: user or global scope, globs, no action", () => {
    const p = systemd.params.parse({ unit: 'cron', 'daemon-reexec': true });
    assert.equal(p.name, 'cron');
    assert.equal(p.daemon_reexec, true);
    assert.equal(systemd.params.parse({ service: 'cron', state: 'started' }).name, 'cron');
    const scope = systemd.params.safeParse({ name: 'cron', state: 'started', scope: 'user' });
    assert.match(scope.error!.issues[0]!.message, /scope: only system/);
    assert.match(systemd.params.safeParse({ name: 'getty@*', state: 'started' }).error!.issues[0]!.message, /not a glob pattern/);
    assert.match(systemd.params.safeParse({ name: 'cron' }).error!.issues[0]!.message, /give one of state, enabled, masked/);
    assert.match(systemd.params.safeParse({ state: 'started' }).error!.issues[0]!.message, /need name/);
    assert.equal(systemd.params.safeParse({ name: 'cron', unit: 'cron', state: 'started' }).success, false);
    assert.equal(systemd.params.safeParse({ name: '-x', state: 'started' }).success, false);
  });
  it('systemd_service is the same module under its newer name; values reach the shell quoted', () => {
    assert.equal(systemdService.name, 'systemd_service');
    assert.equal(systemdService.plan, systemd.plan);
    const probe = (systemd.probe(systemd.params.parse({ name: 'getty@tty1', state: 'started' })) as { text: string }[]).map((s) => s.text).join('\n');
    assert.match(probe, /systemctl show -- getty@tty1/);
    assert.match(probe, /n=getty@tty1\n/);
  });
});
