// systemd (and its newer name systemd_service): a unit started, stopped, restarted or
// reloaded, enabled at boot or not, masked or not, and systemd's own configuration
// reloaded, by systemctl, on hosts that run systemd. Hosts without it are refused: the
// service module manages their init scripts.
import { z } from 'zod';
import { defineTask, ProbeFailed, type Change, type Plan, type Probed, type TaskModule } from '../../src/module.ts';
import { sh, type ShellText } from '../../src/shell.ts';
import { showingShape, withAliases } from '../lib/param-aliases.ts';
import { isRunning, parseSystemctlShow } from '../lib/systemctl.ts';

const unitName = z
  .string()
  // Glob characters pass here, to be refused by name below.
  .regex(/^[A-Za-z0-9@_:\\*?[\]][A-Za-z0-9@_.:\\*?[\]-]*$/, 'a unit name (letters, digits, @ _ . : - \\; not starting with - or .)')
  .refine((v) => !/[*?[]/.test(v), 'a unit name, not a glob pattern (* ? [), which this module does not take');

const object = z
  .object({
    name: unitName.optional().describe('the unit (aliases service, unit); `cron` is cron.service'),
    service: unitName.optional().describe('alias of name'),
    unit: unitName.optional().describe('alias of name'),
    state: z.enum(['started', 'stopped', 'restarted', 'reloaded']).optional(),
    enabled: z.boolean().optional().describe('start at boot'),
    masked: z.boolean().optional().describe('masked: cannot be started at all'),
    force: z.boolean().optional().describe('systemctl --force (enable over conflicting links)'),
    daemon_reload: z.boolean().optional().describe("reload systemd's configuration first when it is out of date (alias daemon-reload; default false)"),
    'daemon-reload': z.boolean().optional().describe('alias of daemon_reload'),
    daemon_reexec: z.boolean().optional().describe('re-execute systemd first (alias daemon-reexec; default false)'),
    'daemon-reexec': z.boolean().optional().describe('alias of daemon_reexec'),
    scope: z
      .string()
      .default('system')
      .refine((v) => v === 'system', "scope: only system (tend connects as the host's users, not into their systemd sessions: user and global are not available)"),
    no_block: z.boolean().default(false).describe('systemctl --no-block: do not wait for the job to finish'),
  })
  .strict();

const params = showingShape(
  withAliases(object, { name: ['service', 'unit'], daemon_reload: ['daemon-reload'], daemon_reexec: ['daemon-reexec'] })
    .refine(
      (p) => p.state !== undefined || p.enabled !== undefined || p.masked !== undefined || p.daemon_reload === true || p.daemon_reexec === true,
      'give one of state, enabled, masked, daemon_reload, daemon_reexec',
    )
    .refine((p) => p.name !== undefined || (p.state === undefined && p.enabled === undefined && p.masked === undefined), 'state, enabled and masked need name'),
  object,
);

type Params = z.output<typeof params>;

/** What the probe read about the unit. */
export interface UnitState {
  /** `systemctl show`'s properties (Ansible's `status`). */
  status: Record<string, string>;
  /** systemd knows the unit (its LoadState is not `not-found`). */
  known: boolean;
  /** An init script of that name exists. */
  initScript: boolean;
  masked: boolean;
  enabled: boolean;
}

const NOT_SYSTEMD = 'systemd is not running on this host (no /run/systemd/system); the service module manages services without it';

// Sections: `systemctl show`; then ours: is-enabled's exit status and first line, the init
// script, its start links.
export function parseSystemdProbe(probed: Probed): UnitState {
  if (probed.code === 3 && probed.stderr.includes('systemd is not running')) throw new ProbeFailed(NOT_SYSTEMD);
  if (probed.code !== 0) throw new ProbeFailed(probed.stderr.trim() || `the probe exited ${probed.code}`);
  const [show = '', ours = ''] = probed.sections;
  const status = parseSystemctlShow(show);
  const f = parseSystemctlShow(ours);
  const isEnabled = f.is_enabled ?? '';
  const known = status.LoadState !== undefined && status.LoadState !== 'not-found';
  const initScript = f.initd === 'yes';
  let enabled = false;
  if (f.is_enabled_rc === '0') enabled = isEnabled !== 'indirect' && isEnabled !== 'alias';
  else if (f.is_enabled_rc === '1') enabled = initScript && !isEnabled.endsWith('disabled') && f.sysv_enabled === 'yes';
  return { status, known, initScript, masked: isEnabled === 'masked', enabled };
}

/** What Ansible's systemd returns besides the common keys, given the plan's outcome. */
function returned(p: Params, s: UnitState | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = { name: p.name ?? null, status: s?.status ?? {} };
  if (p.enabled !== undefined) out.enabled = p.enabled;
  if (p.state !== undefined) out.state = p.state === 'stopped' ? 'stopped' : 'started';
  return out;
}

function plan(p: Params, probed: Probed): Plan {
  const changes: Change[] = [];
  const commands: ShellText[] = [];
  const flags = [...(p.no_block ? ['--no-block'] : []), ...(p.force ? ['--force'] : [])];
  const systemctl = (action: string, unit?: string) => (unit === undefined ? sh`systemctl ${flags} ${action}` : sh`systemctl ${flags} ${action} -- ${unit}`);
  if (p.name === undefined) {
    // Without a unit there is nothing to tell whether systemd's configuration is stale.
    if (probed.code !== 0) throw new ProbeFailed(probed.code === 3 ? NOT_SYSTEMD : probed.stderr.trim());
    if (p.daemon_reload) {
      changes.push({ subject: 'systemd', kind: 'run', reason: 'daemon-reload' });
      commands.push(systemctl('daemon-reload'));
    }
    if (p.daemon_reexec) {
      changes.push({ subject: 'systemd', kind: 'run', reason: 'daemon-reexec' });
      commands.push(systemctl('daemon-reexec'));
    }
    return { changes, commands };
  }
  const name = p.name;
  const s = parseSystemdProbe(probed);
  if (p.daemon_reload && s.status.NeedDaemonReload === 'yes') {
    changes.push({ subject: 'systemd', kind: 'run', reason: `daemon-reload (${name}'s unit file changed on disk)` });
    commands.push(systemctl('daemon-reload'));
  }
  if (p.daemon_reexec) {
    changes.push({ subject: 'systemd', kind: 'run', reason: 'daemon-reexec' });
    commands.push(systemctl('daemon-reexec'));
  }
  if (s.known && !s.masked && s.status.LoadError !== undefined) throw new ProbeFailed(`Error loading unit file '${name}': ${s.status.LoadError}`);
  const found = s.known || s.initScript;
  if (!found && (p.enabled !== undefined || p.state !== undefined)) throw new ProbeFailed(`Could not find the requested service ${name}: host`);
  if (p.masked !== undefined && p.masked !== s.masked) {
    changes.push({ subject: `${name} masked`, kind: 'set', before: String(s.masked), after: String(p.masked) });
    commands.push(systemctl(p.masked ? 'mask' : 'unmask', name));
  }
  if (p.enabled !== undefined && p.enabled !== s.enabled) {
    changes.push({ subject: `${name} at boot`, kind: 'set', before: s.enabled ? 'enabled' : 'disabled', after: p.enabled ? 'enabled' : 'disabled' });
    commands.push(systemctl(p.enabled ? 'enable' : 'disable', name));
  }
  if (p.state !== undefined) {
    const active = s.status.ActiveState;
    if (active === undefined) throw new ProbeFailed(`Service is in unknown state: systemctl show printed no ActiveState for ${name}`);
    const running = isRunning(active);
    let action: string | undefined;
    if (p.state === 'started') action = running ? undefined : 'start';
    else if (p.state === 'stopped') action = running || active === 'deactivating' ? 'stop' : undefined;
    else action = running ? p.state.slice(0, -2) : 'start';
    if (action !== undefined) {
      const after = p.state === 'stopped' ? 'inactive' : 'active';
      changes.push(action === 'start' || action === 'stop' ? { subject: name, kind: 'set', before: active, after } : { subject: name, kind: 'run', reason: action });
      commands.push(systemctl(action, name));
    }
  }
  return { changes, commands };
}

function systemdModule(moduleName: 'systemd' | 'systemd_service'): TaskModule<Params> {
  return defineTask({
    name: moduleName,
    summary:
      moduleName === 'systemd'
        ? 'a systemd unit is started, stopped, restarted or reloaded, enabled, masked (systemctl)'
        : 'the systemd module under its newer name',
    params,
    example: `${moduleName}:\n  name: postfix\n  state: started\n  enabled: true\n  daemon_reload: true`,
    // Two snippets: `systemctl show` whole (Ansible's `status`), then is-enabled and the
    // init script's traces. Refused early where systemd is not the running init.
    probe: (p) => {
      const running = sh`[ -d /run/systemd/system ] && command -v systemctl >/dev/null || { echo ${NOT_SYSTEMD} >&2; exit 3; }`;
      if (p.name === undefined) return [running];
      return [
        sh`${running}
systemctl show -- ${p.name}`,
        sh`n=${p.name}
e=$(systemctl is-enabled -l -- "$n" 2>/dev/null); echo "is_enabled_rc=$?"
printf 'is_enabled=%s\\n' "$e" | head -n 1
[ -e "/etc/init.d/$n" ] && echo initd=yes
for f in /etc/rc?.d/S??"$n"; do [ -e "$f" ] && { echo sysv_enabled=yes; break; }; done
true`,
      ];
    },
    plan,
    returns: (p, probed) => returned(p, p.name === undefined ? undefined : parseSystemdProbe(probed)),
  });
}

export const systemdService = systemdModule('systemd_service');
export default systemdModule('systemd');
