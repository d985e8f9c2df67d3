// service: a system service is started, stopped, restarted or reloaded, and enabled at
// boot or not. Uses systemctl where systemd runs, else `service` and update-rc.d (hosts
// without systemd, containers).
import { z } from 'zod';
import { defineTask, ProbeFailed, type Change } from '../../src/module.ts';
import { sh, type ShellText } from '../../src/shell.ts';
import { parseSystemctlShow } from '../lib/systemctl.ts';
import { absolutePath } from '../lib/words.ts';

const params = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9@_][A-Za-z0-9@_.-]*$/, 'a service name (letters, digits, @ _ . -; not starting with - or .)'),
    state: z.enum(['started', 'stopped', 'restarted', 'reloaded']).optional(),
    enabled: z.boolean().optional().describe('start at boot'),
    pidfile: absolutePath
      .optional()
      .describe("without systemd: whether it runs is read from this pid file (a live process with that pid), not by running the init script's status"),
  })
  .strict()
  .refine((p) => p.state !== undefined || p.enabled !== undefined, 'give state, enabled, or both');

type Params = z.output<typeof params>;

export interface ServiceState {
  init: 'systemd' | 'sysv';
  exists: boolean;
  running: boolean;
  enabled: boolean;
}

/** systemctl is-enabled's exit 0 states. */
const ENABLED_STATES = new Set(['enabled', 'enabled-runtime', 'alias', 'static', 'indirect', 'generated', 'transient']);

/** The probe's `key=value` lines: ours (init, exists, running, enabled), or `systemctl show`'s. */
export function parseServiceProbe(stdout: string): ServiceState {
  const f = parseSystemctlShow(stdout);
  if (f.init === 'systemd' && f.LoadState !== undefined) {
    return {
      init: 'systemd',
      exists: f.LoadState !== 'not-found',
      running: f.ActiveState === 'active' || f.ActiveState === 'reloading',
      enabled: ENABLED_STATES.has(f.UnitFileState ?? ''),
    };
  }
  return {
    init: f.init === 'systemd' ? 'systemd' : 'sysv',
    exists: f.exists === 'yes',
    running: f.running === '0',
    enabled: f.enabled === 'yes',
  };
}

function control(s: ServiceState, name: string, action: string): ShellText {
  return s.init === 'systemd' ? sh`systemctl ${action} -- ${name}` : sh`service ${name} ${action}`;
}

export default defineTask({
  name: 'service',
  summary: 'a service is started, stopped, restarted or reloaded, and enabled at boot or not',
  params,
  example: `service:\n  name: postfix\n  state: started\n  enabled: true`,
  // One systemctl call under systemd; without it, shell builtins only (and the init
  // script's status, unless a pid file says it more cheaply).
  probe: (p) => sh`n=${p.name}
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null; then
  echo init=systemd
  systemctl show -p LoadState -p ActiveState -p UnitFileState -- "$n.service"
else
  echo init=sysv
  if [ -x "/etc/init.d/$n" ]; then echo exists=yes; else echo exists=no; fi
  ${
    p.pidfile !== undefined
      ? sh`pid=; [ -r ${p.pidfile} ] && read -r pid < ${p.pidfile}
  case "$pid" in ''|*[!0-9]*) echo running=3 ;; *) if kill -0 "$pid" 2>/dev/null; then echo running=0; else echo running=1; fi ;; esac`
      : sh`if [ -x "/etc/init.d/$n" ]; then "/etc/init.d/$n" status >/dev/null 2>&1; echo running=$?; else echo running=3; fi`
  }
  echo enabled=no
  for f in /etc/rc[2345].d/S[0-9][0-9]"$n"; do [ -e "$f" ] && { echo enabled=yes; break; }; done
fi`,
  plan: (p: Params, probed) => {
    const s = parseServiceProbe(probed.stdout);
    if (!s.exists) throw new ProbeFailed(`service ${p.name} is not installed`);
    const changes: Change[] = [];
    const commands: ShellText[] = [];
    const status = s.running ? 'running' : 'stopped';
    if (p.state === 'started' && !s.running) {
      changes.push({ subject: p.name, kind: 'set', before: status, after: 'running' });
      commands.push(control(s, p.name, 'start'));
    } else if (p.state === 'stopped' && s.running) {
      changes.push({ subject: p.name, kind: 'set', before: status, after: 'stopped' });
      commands.push(control(s, p.name, 'stop'));
    } else if (p.state === 'restarted') {
      changes.push({ subject: p.name, kind: 'run', reason: s.running ? 'restart' : 'start (was stopped)' });
      commands.push(control(s, p.name, s.running ? 'restart' : 'start'));
    } else if (p.state === 'reloaded') {
      changes.push({ subject: p.name, kind: 'run', reason: s.running ? 'reload' : 'start (was stopped)' });
      commands.push(control(s, p.name, s.running ? 'reload' : 'start'));
    }
    if (p.enabled !== undefined && p.enabled !== s.enabled) {
      changes.push({ subject: `${p.name} at boot`, kind: 'set', before: s.enabled ? 'enabled' : 'disabled', after: p.enabled ? 'enabled' : 'disabled' });
      if (s.init === 'systemd') commands.push(sh`systemctl ${p.enabled ? 'enable' : 'disable'} -- ${p.name}`);
      else commands.push(p.enabled ? sh`update-rc.d ${p.name} defaults && update-rc.d ${p.name} enable` : sh`update-rc.d ${p.name} disable`);
    }
    return { changes, commands };
  },
});
