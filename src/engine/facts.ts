// Facts: what a host is (its OS, kernel, size, addresses), read only when a play uses
// them and inside the first probe script of the host, so a converged host still costs
// one round trip. `facts.*` is tend's name; the Ansible names people already write
// (ansible_distribution, ansible_os_family, ansible_default_ipv4.address,
// ansible_facts['…'], …) are aliases of the same values.
import { conditionReferences, referencedNames } from '../playbook/template.ts';
import type { Play, TaskSpec } from '../playbook/plays.ts';
import { ShellText } from '../shell.ts';

export interface Facts {
  /**
   * `version` is the point release where the host says it (Debian's /etc/debian_version:
   * 13.8), else os-release's VERSION_ID; `version_id` is VERSION_ID itself (13), and
   * `minor` the number after the major one (8).
   */
  os: { id: string; name: string; version: string; version_id: string; major: string; minor: string; codename: string; family: string };
  kernel: string;
  arch: string;
  hostname: string;
  fqdn: string;
  cpus: number;
  memory_mb: number;
  default_ipv4: { address: string; interface: string; gateway: string } | null;
  default_ipv6: { address: string; interface: string; gateway: string } | null;
  init: string;
  python: boolean;
}

/**
 * One snippet, shell builtins where they serve (os-release is sourced in the subshell
 * the probe already runs in), a handful of small programs where they do not.
 */
export const FACTS_SNIPPET = new ShellText(`if [ -r /etc/os-release ]; then . /etc/os-release; fi
printf 'os_id=%s\\nos_name=%s\\nos_version=%s\\nos_codename=%s\\nos_like=%s\\n' "\${ID:-}" "\${NAME:-}" "\${VERSION_ID:-}" "\${VERSION_CODENAME:-}" "\${ID_LIKE:-}"
if [ -r /etc/debian_version ]; then read -r dv < /etc/debian_version; printf 'debian_version=%s\\n' "$dv"; fi
printf 'kernel=%s\\narch=%s\\nhostname=%s\\n' "$(uname -r)" "$(uname -m)" "$(uname -n)"
printf 'fqdn=%s\\n' "$(hostname -f 2>/dev/null || uname -n)"
n=0; while read -r k _; do [ "$k" = processor ] && n=$((n+1)); done < /proc/cpuinfo; printf 'cpus=%s\\n' "$n"
while read -r k v _; do [ "$k" = MemTotal: ] && printf 'memory_kb=%s\\n' "$v"; done < /proc/meminfo
if [ -d /run/systemd/system ]; then echo init=systemd; else echo init=sysvinit; fi
if command -v python3 >/dev/null 2>&1; then echo python=yes; else echo python=no; fi
for v in 4 6; do
  r=$(ip -$v route show default 2>/dev/null) || continue
  set -- $r
  gw=; dev=
  while [ $# -gt 0 ]; do case $1 in via) gw=$2; shift ;; dev) dev=$2; shift ;; esac; shift; done
  [ -n "$dev" ] || continue
  a=$(ip -$v -o addr show dev "$dev" scope global 2>/dev/null) || continue
  set -- $a
  printf 'ipv%s=%s %s %s\\n' "$v" "\${4%%/*}" "$dev" "$gw"
done
true`);

const FAMILY: Record<string, string> = {
  debian: 'Debian', ubuntu: 'Debian', raspbian: 'Debian', linuxmint: 'Debian', devuan: 'Debian', kali: 'Debian',
  rhel: 'RedHat', centos: 'RedHat', fedora: 'RedHat', rocky: 'RedHat', almalinux: 'RedHat', ol: 'RedHat', amzn: 'RedHat',
  alpine: 'Alpine', arch: 'Archlinux', opensuse: 'Suse', 'opensuse-leap': 'Suse', sles: 'Suse', gentoo: 'Gentoo',
};
const DISTRIBUTION: Record<string, string> = {
  debian: 'Debian', ubuntu: 'Ubuntu', centos: 'CentOS', rhel: 'RedHat', fedora: 'Fedora', rocky: 'Rocky', almalinux: 'AlmaLinux',
  alpine: 'Alpine', arch: 'Archlinux', amzn: 'Amazon', ol: 'OracleLinux', sles: 'SLES', 'opensuse-leap': 'openSUSE Leap',
};

/** The snippet's `key=value` lines as facts. */
export function parseFacts(stdout: string): Facts {
  const f = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) f.set(line.slice(0, at), line.slice(at + 1));
  }
  const get = (k: string) => f.get(k) ?? '';
  const id = get('os_id');
  // Debian says its point release in /etc/debian_version (13.8), where Ansible reads
  // its minor version; Ansible's distribution_version is os-release's VERSION_ID (13).
  const debian = get('debian_version');
  const versionId = get('os_version');
  const version = id === 'debian' && /^\d+(\.\d+)*$/.test(debian) ? debian : versionId;
  const like = get('os_like').split(/\s+/).filter(Boolean);
  const family = FAMILY[id] ?? like.map((l) => FAMILY[l]).find(Boolean) ?? (id ? id.charAt(0).toUpperCase() + id.slice(1) : '');
  const address = (v: string) => {
    const [addr = '', dev = '', gateway = ''] = get(v).split(' ');
    return addr ? { address: addr, interface: dev, gateway } : null;
  };
  return {
    os: { id, name: get('os_name'), version, version_id: versionId, major: version.split('.')[0] ?? '', minor: /^\d+\.(\d+)/.exec(version)?.[1] ?? '', codename: get('os_codename'), family },
    kernel: get('kernel'),
    arch: get('arch'),
    hostname: get('hostname').split('.')[0] ?? '',
    fqdn: get('fqdn'),
    cpus: Number(get('cpus')) || 0,
    memory_mb: Math.floor(Number(get('memory_kb')) / 1024) || 0,
    default_ipv4: address('ipv4'),
    default_ipv6: address('ipv6'),
    init: get('init'),
    python: get('python') === 'yes',
  };
}

/** Facts as variables: `facts`, and the Ansible names for the same values. */
export function factVariables(facts: Facts): Record<string, unknown> {
  const ansible: Record<string, unknown> = {
    distribution: DISTRIBUTION[facts.os.id] ?? (facts.os.id ? facts.os.id.charAt(0).toUpperCase() + facts.os.id.slice(1) : ''),
    distribution_version: facts.os.version_id || facts.os.version,
    distribution_major_version: facts.os.major,
    distribution_minor_version: facts.os.minor,
    distribution_release: facts.os.codename,
    os_family: facts.os.family,
    system: 'Linux',
    kernel: facts.kernel,
    architecture: facts.arch,
    machine: facts.arch,
    hostname: facts.hostname,
    nodename: facts.hostname,
    fqdn: facts.fqdn,
    processor_vcpus: facts.cpus,
    processor_nproc: facts.cpus,
    memtotal_mb: facts.memory_mb,
    default_ipv4: facts.default_ipv4 ?? {},
    default_ipv6: facts.default_ipv6 ?? {},
    service_mgr: facts.init,
  };
  return {
    facts,
    ansible_facts: ansible,
    ...Object.fromEntries(Object.entries(ansible).map(([k, v]) => [`ansible_${k}`, v])),
  };
}

/** Every variable name facts answer to. */
export const FACT_NAMES = new Set(Object.keys(factVariables(parseFacts(''))));

function textsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(textsOf);
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => [k, ...textsOf(v)]);
  return [];
}

/**
 * Whether a task reads facts anywhere: its parameters, conditions, loop, label, name,
 * vars, or the tasks it includes (an include whose file is known only on the host may).
 */
export function taskUsesFacts(task: TaskSpec): boolean {
  if (task.include && (!task.include.tasks || task.include.tasks.some(taskUsesFacts))) return true;
  const names = [
    ...textsOf([task.params, task.name, task.loop?.items ?? null, task.loop?.label ?? null, task.vars ?? null]).flatMap(referencedNames),
    ...task.when.flatMap((c) => conditionReferences(c.expr)),
  ];
  return names.some((n) => FACT_NAMES.has(n));
}

const playsUsingFacts = new WeakMap<Play, boolean>();

/**
 * Whether a play reads facts (its tasks, handlers, conditions or variables). Asked for
 * every host: the answer, the same for all of them, is worked out once per play.
 */
export function playUsesFacts(play: Play): boolean {
  let uses = playsUsingFacts.get(play);
  if (uses === undefined) {
    uses =
      play.when.some((c) => conditionReferences(c.expr).some((n) => FACT_NAMES.has(n))) ||
      textsOf(play.vars).flatMap(referencedNames).some((n) => FACT_NAMES.has(n)) ||
      [...play.tasks, ...play.handlers].some(taskUsesFacts);
    playsUsingFacts.set(play, uses);
  }
  return uses;
}
