// apt: Debian packages present, absent or at the latest version. Installs never ask
// questions and keep existing configuration files.
import { z } from 'zod';
import { defineTask, ProbeFailed, type Change } from '../../src/module.ts';
import { sh, type ShellText } from '../../src/shell.ts';

const packageName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9+.-]+(:[a-z0-9]+)?$/, 'a Debian package name (lower case letters, digits, + - .)');

const params = z
  .object({
    name: z.union([packageName, z.array(packageName).min(1)]).describe('package or list of packages'),
    state: z.enum(['present', 'absent', 'latest']).default('present'),
    update_cache: z.boolean().default(false).describe('refresh the package lists before installing'),
    cache_valid_time: z
      .number()
      .int()
      .nonnegative()
      .default(0)
      .describe('seconds: a cache younger than this is not refreshed'),
    install_recommends: z.boolean().default(true),
    purge: z.boolean().default(false).describe('with state absent: remove configuration files too'),
    lock_timeout: z
      .number()
      .int()
      .nonnegative()
      .default(300)
      .describe('seconds to wait for the dpkg lock another apt (unattended-upgrades) holds'),
  })
  .strict();

type Params = z.output<typeof params>;

const STAMP = '/var/lib/apt/periodic/update-success-stamp';
const APT_ENV = sh`DEBIAN_FRONTEND=noninteractive NEEDRESTART_MODE=a`;
const KEEP_CONFIG = sh`-o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold`;
/** apt's and dpkg's output goes to this file, then is printed: see `detached`. */
const LOG = '/var/lib/tend/apt.log';

/**
 * Runs an apt or dpkg command so that a dropped connection cannot kill it halfway: its
 * output goes to a file on the host (a closed channel would otherwise end it with
 * SIGPIPE at its next line of progress) and it ignores SIGHUP. The file is printed
 * when it ends, and stays for the next run to read. An interrupt (SIGINT, SIGTERM)
 * still stops it: that is asked for.
 */
export function detached(command: ShellText): ShellText {
  return sh`mkdir -p -m 0700 /var/lib/tend && { ( trap '' HUP; ${command} ) > ${LOG} 2>&1; rc=$?; cat ${LOG}; (exit $rc); }`;
}

export interface AptState {
  /** package → installed version */
  installed: Map<string, string>;
  /**
   * A name no package of which is installed, provided by one that is (a virtual
   * package: trixie's `libdb5.3` is provided by `libdb5.3t64`) → that package and its
   * version.
   */
  provided: Map<string, { by: string; version: string }>;
  /** package → candidate version ('' when apt knows none) */
  candidate: Map<string, string>;
  /** seconds since the package lists were last refreshed (Infinity when never) */
  cacheAge: number;
  /** dpkg was interrupted (its journal is not empty). */
  interrupted: boolean;
  /** Packages left half-done: name → dpkg state (`half-configured`, `reinstreq` …). */
  halfDone: Map<string, string>;
}

/**
 * Reads dpkg's status file and prints `NAME\tprovided-by\tPACKAGE\tVERSION` for each
 * name in `want` (space-separated) that an installed package's `Provides:` lists
 * (`libdb5.3 (= 5.3.28+dfsg2-9)`, `foo:any`: the version and the architecture left off).
 */
export const PROVIDERS_AWK = `BEGIN { n = split(want, w, " "); for (i = 1; i <= n; i++) m[w[i]] = 1 }
function emit(  k, n, a, x) {
  if (p != "" && st == "installed" && pr != "") {
    n = split(pr, a, ",")
    for (k = 1; k <= n; k++) { x = a[k]; sub(/^[ \\t]+/, "", x); sub(/[ \\t(].*$/, "", x); sub(/:.*$/, "", x); if (x in m) printf "%s\\tprovided-by\\t%s\\t%s\\n", x, p, v }
  }
  p = ""; st = ""; v = ""; pr = ""
}
/^Package: / { emit(); p = $2 }
/^Status: / { st = $4 }
/^Version: / { v = $2 }
/^Provides: / { pr = substr($0, 11) }
/^$/ { emit() }
END { emit() }`;

export function names(p: Params): string[] {
  return Array.isArray(p.name) ? p.name : [p.name];
}

// Three sections: dpkg status lines (tab-separated: `PACKAGE\tSTATUS\tVERSION`, and
// `NAME\tprovided-by\tPACKAGE\tVERSION` for a name only an installed package provides)
// followed by apt-cache policy; cache times; dpkg's health (an `interrupted` line, then
// `PACKAGE STATE` for packages left half-done).
export function parseAptProbe(sections: readonly string[]): AptState {
  const [packages = '', times = '', health = ''] = sections;
  const lines = packages.split('\n');
  const installed = new Map<string, string>();
  const provided = new Map<string, { by: string; version: string }>();
  for (const line of lines.filter((l) => l.includes('\t'))) {
    const [pkg, abbrev, version, providerVersion] = line.split('\t');
    if (pkg && abbrev?.startsWith('ii')) installed.set(pkg.split(':')[0]!, version ?? '');
    // The first provider dpkg lists stands for the name (as apt, any one satisfies it).
    else if (pkg && abbrev === 'provided-by' && version && !provided.has(pkg)) provided.set(pkg, { by: version.split(':')[0]!, version: providerVersion ?? '' });
  }
  const candidate = new Map<string, string>();
  let current: string | null = null;
  for (const line of lines.filter((l) => !l.includes('\t'))) {
    const head = /^(\S+):$/.exec(line);
    if (head) current = head[1]!.split(':')[0]!;
    const cand = /^\s+Candidate: (.+)$/.exec(line);
    if (current && cand) candidate.set(current, cand[1] === '(none)' ? '' : cand[1]!);
  }
  const [now, stamp] = times.trim().split(/\s+/).map(Number);
  const cacheAge = now && stamp ? now - stamp : Infinity;
  const lines2 = health.split('\n').filter(Boolean);
  const halfDone = new Map(lines2.filter((l) => l !== 'interrupted').map((l) => l.split(' ', 2) as [string, string]));
  return { installed, provided, candidate, cacheAge, interrupted: lines2.includes('interrupted'), halfDone };
}

export default defineTask({
  name: 'apt',
  summary: 'Debian packages are present, absent or the latest version (apt-get, non-interactive)',
  params,
  example: `apt:\n  name: [postfix, sasl2-bin]\n  update_cache: true\n  cache_valid_time: 3600`,
  probe: (p) => {
    const pkgs = names(p);
    // apt-cache is slow (it reads every package list): asked only about packages that
    // are neither installed nor provided by an installed package, unless `latest` needs
    // every candidate (a provided name's: its provider's).
    const everyCandidate = p.state === 'latest' ? sh`need=" $* $(printf '%s\\n' "$prov" | cut -f3)"` : sh`need=`;
    return [
      // dpkg's lines (tab-separated, our format) and apt-cache's (never a tab) share a
      // snippet: which packages apt-cache is asked about depends on dpkg's answer.
      // A name dpkg has not installed may be virtual (trixie's libdb5.3, provided by
      // libdb5.3t64 since the 64-bit time_t rename): dpkg's status file says which
      // installed package provides it, one awk pass, only when a name is missing (the
      // file where dpkg-query reads it: DPKG_ADMINDIR is dpkg's own variable).
      sh`export LC_ALL=C
set -- ${pkgs}
st=$(dpkg-query -W -f='\${Package}\\t\${db:Status-Abbrev}\\t\${Version}\\n' -- "$@" 2>/dev/null)
printf '%s\\n' "$st"
command -v apt-cache >/dev/null || { echo 'apt-cache not found: this is not a Debian host' >&2; exit 3; }
miss=
for p in "$@"; do case "
$st" in *"
$p	ii "*) ;; *) miss="$miss $p" ;; esac; done
prov=
[ -z "$miss" ] || prov=$(awk -v want="$miss" ${PROVIDERS_AWK} "\${DPKG_ADMINDIR:-/var/lib/dpkg}/status" 2>/dev/null)
[ -z "$prov" ] || printf '%s\\n' "$prov"
${everyCandidate}
[ -n "$need" ] || for p in $miss; do case "
$prov" in *"
$p	provided-by	"*) ;; *) need="$need $p" ;; esac; done
[ -z "$need" ] || apt-cache policy -- $need 2>/dev/null
true`,
      sh`date +%s
stat -c %Y ${STAMP} 2>/dev/null || stat -c %Y /var/lib/apt/lists 2>/dev/null || echo 0
true`,
      // What apt would refuse to work with: dpkg's journal left by an interrupted run, and
      // packages half-installed or half-configured. One glob and one grep on a healthy host.
      sh`set -- /var/lib/dpkg/updates/*
[ -e "$1" ] && echo interrupted
awk '/^Package: /{p=$2} /^Status: /{if ($3=="reinstreq") print p, "reinstreq"; else if ($4 ~ /^(half-installed|half-configured|unpacked|triggers-awaited|triggers-pending)$/) print p, $4}' /var/lib/dpkg/status 2>/dev/null
true`,
    ];
  },
  plan: (p, probed) => {
    if (probed.code !== 0) throw new ProbeFailed(probed.stderr.trim() || `probe exited ${probed.code}`);
    const state = parseAptProbe(probed.sections);
    const changes: Change[] = [];
    const toInstall: string[] = [];
    const toRemove: string[] = [];
    for (const name of names(p)) {
      // A name provided by an installed package is that package (as Ansible's apt
      // resolves a virtual package to its installed provider) when it is to be present
      // or the latest; `absent` removes only a package of that very name.
      const provider = state.installed.has(name) || p.state === 'absent' ? undefined : state.provided.get(name);
      const pkg = provider?.by ?? name;
      const have = provider ? provider.version : state.installed.get(name);
      const want = state.candidate.get(pkg) ?? '';
      if (p.state === 'absent') {
        if (have !== undefined) {
          toRemove.push(pkg);
          changes.push({ subject: pkg, kind: 'remove', before: have, after: null });
        }
      } else if (have === undefined) {
        toInstall.push(pkg);
        changes.push({ subject: pkg, kind: 'add', before: null, after: want || 'install' });
      } else if (p.state === 'latest' && want && want !== have) {
        toInstall.push(pkg);
        changes.push({ subject: pkg, kind: 'set', before: have, after: want });
      }
    }
    const commands: ShellText[] = [];
    // Another apt (unattended-upgrades on a fresh machine) holding the lock is waited for.
    const lockWait = sh`-o DPkg::Lock::Timeout=${p.lock_timeout}`;
    if (state.interrupted || state.halfDone.size > 0) {
      // Repaired first, whatever the task asks: apt refuses to work until it is. Packages
      // whose unpacking was cut short need their files again (reinstall); the rest only
      // their configuration.
      const reinstall = [...state.halfDone].filter(([, s]) => s === 'reinstreq' || s === 'half-installed').map(([p]) => p);
      const what = state.interrupted ? 'dpkg was interrupted' : 'packages were left half-done';
      const listed = [...state.halfDone].map(([p, s]) => `${p} ${s}`).join(', ');
      const how = reinstall.length > 0 ? `dpkg --configure -a, reinstall ${reinstall.join(' ')}` : 'dpkg --configure -a';
      changes.unshift({ subject: 'dpkg', kind: 'run', reason: `${what}${listed ? ` (${listed})` : ''}: ${how}` });
      const configure = sh`${APT_ENV} dpkg --force-confdef --force-confold --configure -a`;
      if (reinstall.length === 0) commands.push(detached(configure));
      else {
        // dpkg cannot configure what depends on a package missing its files: the first
        // pass may fail, the reinstall mends it, the second pass must succeed.
        commands.push(detached(sh`{ ${configure}; true; } && ${APT_ENV} apt-get install --reinstall -y -q ${lockWait} ${KEEP_CONFIG} ${reinstall} && ${configure}`));
      }
    }
    const stale = state.cacheAge > p.cache_valid_time;
    // The cache is refreshed to serve an install (or to learn what `latest` is), never
    // on its own: a stale cache alone is not drift.
    if (p.update_cache && stale && (toInstall.length > 0 || p.state === 'latest')) {
      const age = Number.isFinite(state.cacheAge) ? `${state.cacheAge}s old` : 'never refreshed';
      if (toInstall.length === 0) changes.unshift({ subject: 'apt cache', kind: 'run', reason: `refresh (${age})` });
      commands.push(sh`apt-get update -q ${lockWait} && mkdir -p /var/lib/apt/periodic && touch ${STAMP}`);
    }
    if (toInstall.length > 0) {
      const recommends = p.install_recommends ? sh`` : sh`--no-install-recommends`;
      commands.push(detached(sh`${APT_ENV} apt-get install -y -q ${lockWait} ${KEEP_CONFIG} ${recommends} ${toInstall}`));
    }
    if (toRemove.length > 0) {
      const purge = p.purge ? sh`--purge` : sh``;
      commands.push(detached(sh`${APT_ENV} apt-get remove -y -q ${lockWait} ${purge} ${toRemove}`));
    }
    return { changes, commands };
  },
});
