// Writes bench/roles/RESULTS.md (on stdout) from what validate.sh kept in results/ and from
// the roles themselves in corpus/. Run by validate.sh: npx tsx bench/roles/report.ts bench/roles
//
// Pass 1 is tend's own answer (results/NAME.{rc,out,notes}): each error line is put under a
// cause. tend stops at the first batch of errors of a role, so pass 2 reads every task file
// of every role (tasks/ and handlers/, with blocks, as YAML 1.1) and counts the tasks that
// use each feature tend lacks: a module it does not have, a keyword it does not take, a
// parameter its module of that name does not have.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { moduleParamsSchema } from '../../src/schema.ts';
import { TASK_ATTRIBUTES } from '../../src/playbook/syntax/action.ts';
import { LOOKUP_PLUGINS } from '../../src/template/lookups.ts';
import { modules } from '../../tasks/index.ts';

const HERE = process.argv[2] ?? new URL('.', import.meta.url).pathname;
const CORPUS = join(HERE, 'corpus');
const RESULTS = join(HERE, 'results');

// ---------------------------------------------------------------- what tend supports
// Task keywords tend runs (README, "Conditions, loops, tags, imports and roles"; the
// taskShape of src/playbook/load.ts). changed_when only as `false`, become only as a
// boolean, ignore_errors a boolean or one {{ expression }}.
const SUPPORTED_KEYWORDS = new Set([
  'name', 'notify', 'listen', 'timeout', 'when', 'loop', 'loop_control', 'tags', 'ignore_errors', 'changed_when',
  'become', 'become_user', 'no_log', 'environment', 'vars', 'args', 'action', 'collections', 'check_mode',
]);
const BLOCK_KEYWORDS = new Set(['block', 'name', 'when', 'tags', 'vars', 'become', 'become_user', 'environment', 'ignore_errors', 'no_log', 'check_mode']);
// meta: directives tend runs (src/playbook/meta.ts).
const META_DIRECTIVES = new Set(['flush_handlers', 'noop', 'end_host', 'end_play']);
const IMPORT_KEYWORDS = new Set(['name', 'tags', 'when', 'vars']);
const INCLUDES = new Set(['import_tasks', 'include_tasks', 'include']);
const TEND_MODULES = new Set(modules.keys());

type Json = { [k: string]: unknown };
/** Every parameter name a tend module's JSON Schema mentions (its variants included). */
function paramNames(schema: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) for (const s of schema) paramNames(s, into);
  else if (schema !== null && typeof schema === 'object') {
    const o = schema as Json;
    if (o.properties && typeof o.properties === 'object') for (const k of Object.keys(o.properties)) into.add(k);
    for (const k of ['anyOf', 'oneOf', 'allOf']) if (k in o) paramNames(o[k], into);
  }
  return into;
}
const PARAMS = new Map([...modules].map(([name, m]) => [name, paramNames(moduleParamsSchema(m))]));

/** A module's bare name: tend's own for a full name it has (ansible.posix.sysctl), else without ansible.builtin./ansible.legacy. */
const bare = (m: string) => modules.bareName(m) ?? m.replace(/^ansible\.(?:builtin|legacy)\./, '');
const isCollection = (m: string) => bare(m).includes('.');
/** Task files only a host other than Debian would run (setup-RedHat.yml, pam_rhel.yml, …). */
const OTHER_OS = /redhat|rhel|centos|fedora|rocky|amazon|suse|zypper|archlinux|pacman|freebsd|openbsd|bsd|solaris|darwin|macos|alpine|gentoo|yum|dnf|snap|windows/i;

// ---------------------------------------------------------------- pass 1: tend's errors
interface ErrorLine { file: string; line: number; col: number; message: string; cause: string }

/** The cause of one of tend's error sentences: what a role would need from tend. */
export function causeOf(message: string): string {
  let m: RegExpMatchArray | null;
  if ((m = message.match(/^unknown module '([^']+)'/))) {
    return isCollection(m[1]!) ? `module '${m[1]}' (collection)` : `module '${bare(m[1]!)}'`;
  }
  if ((m = message.match(/^(\S+): tend has no (\w+) module/))) return `module '${bare(m[1]!)}'`;
  if ((m = message.match(/^'(\w+)' is an Ansible (?:task )?keyword tend does not support yet/))) return `'${m[1]}'`;
  if ((m = message.match(/^block: '(\w+)' is not a block keyword/))) return `'${m[1]}' on a block`;
  if ((m = message.match(/^import_tasks takes .*; not '(\w+)'/))) return `'${m[1]}' on import_tasks`;
  if (/^\S*include_tasks: apply:/.test(message)) return 'include_tasks apply:';
  if ((m = message.match(/^'with_([^']+)': tend has no lookup plugin/))) return `lookup 'with_${m[1]}'${m[1]!.includes('.') ? ' (collection)' : ''}`;
  if (/^\w+: src .*must name a file when the playbook is read/.test(message)) return 'template src chosen by a variable ({{ }} in src)';
  if (/^changed_when: Invalid input: expected false/.test(message)) return 'changed_when: expression';
  if (/^failed_when/.test(message)) return "'failed_when'";
  if (/^changed_when: false is for command tasks/.test(message)) return 'changed_when: false on a module other than command';
  if (/^notify '.*': no handler of this play has that name/.test(message)) return 'notify: a handler tend refused, or one of another role (follows another error)';
  if (/^file: src \S+: no such file/.test(message)) return 'file: src on the host (Ansible file state=link/hard, copy remote_src)';
  if (/^file: state: Invalid option/.test(message)) return 'file: state directory/link/touch/hard (Ansible\'s file module)';
  if (/mode: a mode in octal digits/.test(message)) return 'symbolic mode (u+rwx, og-rwx)';
  if (/^file: path: an absolute path/.test(message)) return 'path starting with ~';
  if (/^apt: name: Invalid input/.test(message)) return 'apt: update_cache alone (no name)';
  if ((m = message.match(/^apt: unknown parameter '(\w+)'/))) return `apt: ${m[1]}`;
  if ((m = message.match(/^(\w+): (?:unknown parameter '\w+'|\w+: (?:expected|Invalid))/))) return `${m[1]}: Ansible's parameters (tend's ${m[1]} has other ones)`;
  if ((m = message.match(/Could not load "([^"]+)"/))) return `filter '${m[1]}' (collection)`;
  if (/^\S*include_tasks: \S+ does not exist/.test(message)) return 'include_tasks: file not found (path relative to the role)';
  return `other: ${message}`;
}

function readErrors(name: string): { rc: number | null; errors: ErrorLine[]; other: string[]; notes: string[] } {
  const read = (ext: string) => (existsSync(join(RESULTS, `${name}.${ext}`)) ? readFileSync(join(RESULTS, `${name}.${ext}`), 'utf8') : null);
  const rcText = read('rc');
  const errors: ErrorLine[] = [];
  const other: string[] = [];
  for (const line of (read('out') ?? '').split('\n')) {
    if (line.trim() === '') continue;
    const m = line.match(/^tend: (\S+?):(\d+):(\d+): (.*)$/);
    if (m) errors.push({ file: m[1]!, line: Number(m[2]), col: Number(m[3]), message: m[4]!, cause: causeOf(m[4]!) });
    else other.push(line.replace(/^tend: /, ''));
  }
  const notes = (read('notes') ?? '').split('\n').filter((l) => l.trim() !== '');
  return { rc: rcText === null ? null : Number(rcText.trim()), errors, other, notes };
}

// ---------------------------------------------------------------- pass 2: every task
interface Use { feature: string; file: string }
interface FeatureCount { tasks: number; debian: number; roles: Set<string> }

function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return yamlFiles(p);
    return /\.ya?ml$/.test(f) ? [p] : [];
  });
}

/** `k=v` words of a free-form argument, enough to know the parameter names. */
function kvNames(text: string): string[] {
  return [...text.matchAll(/(?:^|\s)([A-Za-z_][A-Za-z0-9_]*)=/g)].map((m) => m[1]!);
}

const isTemplated = (v: unknown) => typeof v === 'string' && v.includes('{{');

/** The features a leaf task uses that tend lacks (one entry per feature). */
function taskFeatures(task: Json): string[] {
  const out = new Set<string>();
  const keys = Object.keys(task);
  const moduleKeys = keys.filter((k) => !TASK_ATTRIBUTES.has(k) && !k.startsWith('with_'));
  let moduleName: string | undefined = moduleKeys[0];
  let args: unknown = moduleName === undefined ? undefined : task[moduleName];
  for (const a of ['action', 'local_action']) {
    if (a in task) {
      const v = task[a];
      if (typeof v === 'string') { moduleName = v.trim().split(/\s+/)[0]; args = v.trim().slice(moduleName!.length); }
      else if (v && typeof v === 'object') { moduleName = String((v as Json).module); args = v; }
    }
  }
  if ('local_action' in task) out.add("'delegate_to' / local_action");
  for (const k of keys) {
    if (k.startsWith('with_')) {
      const plugin = k.slice(5);
      if (!LOOKUP_PLUGINS.includes(plugin) || plugin === 'lines') out.add(`lookup 'with_${plugin}'${plugin.includes('.') ? ' (collection)' : ''}`);
      continue;
    }
    if (!TASK_ATTRIBUTES.has(k)) continue;
    if (k === 'changed_when') {
      if (task[k] !== false) out.add('changed_when: expression');
      else if (moduleName !== undefined && bare(moduleName) !== 'command' && TEND_MODULES.has(bare(moduleName))) out.add('changed_when: false on a module other than command');
      continue;
    }
    if (k === 'become') { if (typeof task[k] !== 'boolean') out.add(`${k}: expression`); continue; }
    if (k === 'ignore_errors') { if (typeof task[k] !== 'boolean' && !/^\s*\{\{.*\}\}\s*$/s.test(String(task[k]))) out.add(`${k}: expression`); continue; }
    if (k === 'until' || k === 'retries' || k === 'delay') { out.add("'until' / retries / delay"); continue; }
    if (k === 'async' || k === 'poll') { out.add("'async' / poll"); continue; }
    if (k === 'local_action') continue;
    if (!SUPPORTED_KEYWORDS.has(k)) out.add(`'${k}'`);
  }
  if (moduleName === undefined) return [...out];
  const short = bare(moduleName);
  if (INCLUDES.has(short)) {
    if (short !== 'include_tasks') for (const k of keys) if (k !== moduleName && !IMPORT_KEYWORDS.has(k) && SUPPORTED_KEYWORDS.has(k)) out.add(`'${k}' on import_tasks`);
    if (short === 'include_tasks' && args && typeof args === 'object' && 'apply' in (args as Json)) out.add('include_tasks apply:');
    return [...out];
  }
  if (short === 'include_vars') {
    // tend's include_vars takes a file (free form or file:) and name: (src/playbook/include-vars.ts).
    const names = args && typeof args === 'object' ? Object.keys(args as Json) : [];
    const other = names.filter((k) => k !== 'file' && k !== 'name');
    if (other.length > 0) out.add(`include_vars: ${other.join(', ')}`);
    return [...out];
  }
  if (short === 'meta') {
    const directive = typeof args === 'string' ? args.trim() : '';
    if (!META_DIRECTIVES.has(directive)) out.add(`meta: ${directive || '(other)'}`);
    return [...out];
  }
  if (isCollection(moduleName)) { out.add(`module '${moduleName}' (collection)`); return [...out]; }
  if (!TEND_MODULES.has(short)) { out.add(`module '${short}'`); return [...out]; }
  // A module tend has: Ansible's parameters it does not have.
  const names = typeof args === 'string' ? kvNames(args) : args && typeof args === 'object' ? Object.keys(args as Json) : [];
  const a = (args && typeof args === 'object' ? args : {}) as Json;
  if (typeof task.args === 'object' && task.args) {
    Object.assign(a, task.args);
    names.push(...Object.keys(task.args as Json));
  }
  const known = PARAMS.get(short)!;
  if (short === 'command' && ('cmd' in a || typeof args === 'string')) known.add('cmd');
  const unknown = [...new Set(names)].filter((p) => !known.has(p) && p !== '_raw_params' && p !== 'module' && p !== 'free_form');
  const kv = typeof args === 'string' ? Object.fromEntries([...args.matchAll(/(?:^|\s)(\w+)=(\S+)/g)].map((m) => [m[1], m[2]])) : a;
  if (short === 'apt' && !('name' in kv) && !('pkg' in kv) && !('package' in kv) && !('deb' in kv) && ('update_cache' in kv || 'upgrade' in kv)) out.add('apt: update_cache/upgrade alone (no name)');
  if (short === 'file' && typeof kv.state === 'string' && /^(directory|link|touch|hard)$/.test(kv.state)) out.add("file: state directory/link/touch/hard (Ansible's file module)");
  if (typeof kv.mode === 'string' && /[ugoa]*[+=-][rwxXst]/.test(kv.mode)) out.add('symbolic mode (u+rwx, og-rwx)');
  if (short === 'template' && isTemplated(kv.src)) out.add('template src chosen by a variable ({{ }} in src)');
  for (const p of unknown) {
    if (short === 'file' && p === 'state') continue;
    out.add(`${short}: Ansible's parameters (tend's ${short} has other ones)`);
    break;
  }
  return [...out];
}

interface RoleScan { tasks: number; blockedTasks: number; debianTasks: number; debianBlocked: number; uses: Use[]; parseErrors: string[]; collections: Set<string> }

function scanRole(dir: string): RoleScan {
  const scan: RoleScan = { tasks: 0, blockedTasks: 0, debianTasks: 0, debianBlocked: 0, uses: [], parseErrors: [], collections: new Set() };
  for (const file of [...yamlFiles(join(dir, 'tasks')), ...yamlFiles(join(dir, 'handlers'))]) {
    const rel = relative(dir, file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\b((?!ansible\.)[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*)\.[a-z_][a-z0-9_]*\b/g)) {
      // a full name of another collection's module, filter or lookup (community.general.x)
      if (/^(?:community|ansible|debops|devsec|kubernetes|containers|cisco|amazon|google|azure|openstack)\./.test(m[1]!)) scan.collections.add(m[1]!);
    }
    let doc: unknown;
    try {
      doc = parse(text, { version: '1.1', uniqueKeys: false, logLevel: 'silent', customTags: [{ tag: '!unsafe', resolve: (s: string) => s }, { tag: '!vault', resolve: (s: string) => s }] });
    } catch (e) {
      scan.parseErrors.push(`${rel}: ${(e as Error).message.split('\n')[0]}`);
      continue;
    }
    const walk = (list: unknown, inBlock: Set<string>) => {
      if (!Array.isArray(list)) return;
      for (const entry of list) {
        if (entry === null || typeof entry !== 'object') continue;
        const t = entry as Json;
        if ('block' in t) {
          const own = new Set<string>(inBlock);
          for (const k of Object.keys(t)) {
            if (k === 'rescue' || k === 'always') own.add(`'${k}' (block)`);
            else if (!BLOCK_KEYWORDS.has(k)) own.add(`'${k}' on a block`);
          }
          walk(t.block, own);
          walk(t.rescue, own);
          walk(t.always, own);
          continue;
        }
        scan.tasks += 1;
        const features = new Set([...taskFeatures(t), ...inBlock]);
        if (features.size > 0) scan.blockedTasks += 1;
        if (!OTHER_OS.test(rel)) {
          scan.debianTasks += 1;
          if (features.size > 0) scan.debianBlocked += 1;
        }
        for (const f of features) scan.uses.push({ feature: f, file: rel });
      }
    };
    walk(doc, new Set());
  }
  return scan;
}

// ---------------------------------------------------------------- the role's own facts
interface Meta { dependencies: string[]; collections: string[]; platforms: string[] }
function readMeta(dir: string): Meta {
  const meta: Meta = { dependencies: [], collections: [], platforms: [] };
  for (const f of ['meta/main.yml', 'meta/main.yaml']) {
    if (!existsSync(join(dir, f))) continue;
    let doc: Json;
    try { doc = (parse(readFileSync(join(dir, f), 'utf8'), { version: '1.1', uniqueKeys: false, logLevel: 'silent' }) ?? {}) as Json; } catch { return meta; }
    const deps = Array.isArray(doc.dependencies) ? doc.dependencies : [];
    meta.dependencies = deps.map((d) => (typeof d === 'string' ? d : d && typeof d === 'object' ? String((d as Json).role ?? (d as Json).name ?? JSON.stringify(d)) : String(d)));
    meta.collections = Array.isArray(doc.collections) ? doc.collections.map(String) : [];
    const info = (doc.galaxy_info ?? {}) as Json;
    meta.platforms = Array.isArray(info.platforms) ? info.platforms.map((p) => String((p as Json)?.name)) : [];
  }
  return meta;
}

function sources(): Map<string, { repo: string; sub: string; commit: string; spdx: string }> {
  const map = new Map<string, { repo: string; sub: string; commit: string; spdx: string }>();
  const lock = join(HERE, 'sources.lock');
  if (!existsSync(lock)) return map;
  for (const line of readFileSync(lock, 'utf8').split('\n')) {
    const [name, repo, sub, commit, spdx] = line.split('\t');
    if (name && repo && sub && commit && spdx) map.set(name, { repo, sub, commit, spdx });
  }
  return map;
}

// ---------------------------------------------------------------- the report
const pct = (a: number, b: number) => `${b ? Math.round((100 * a) / b) : 0} %`;
const md = (s: string) => s.replace(/\|/g, '\\|').replace(/</g, '&lt;');
const clip = (s: string, n = 160) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

const roles = existsSync(CORPUS) ? readdirSync(CORPUS).filter((d) => statSync(join(CORPUS, d)).isDirectory()).sort() : [];
const src = sources();
const rows: string[] = [];
const byCause = new Map<string, { lines: number; roles: Set<string>; first: number; example: string }>();
const byFeature = new Map<string, FeatureCount>();
const otherLines: string[] = [];
const parseProblems: string[] = [];
const notesAll: string[] = [];
let validated = 0;
let validatedNames: string[] = [];
let totalTasks = 0;
let totalBlocked = 0;
let debianTasks = 0;
let debianBlocked = 0;

for (const name of roles) {
  const dir = join(CORPUS, name);
  const r = readErrors(name);
  const scan = scanRole(dir);
  const meta = readMeta(dir);
  totalTasks += scan.tasks;
  totalBlocked += scan.blockedTasks;
  debianTasks += scan.debianTasks;
  debianBlocked += scan.debianBlocked;
  if (r.rc === 0) { validated += 1; validatedNames = [...validatedNames, name]; }
  const seenCause = new Set<string>();
  r.errors.forEach((e, i) => {
    const c = byCause.get(e.cause) ?? { lines: 0, roles: new Set<string>(), first: 0, example: `${e.file}:${e.line}:${e.col}: ${e.message}` };
    c.lines += 1;
    c.roles.add(name);
    if (i === 0) c.first += 1;
    seenCause.add(e.cause);
    byCause.set(e.cause, c);
  });
  for (const o of r.other) otherLines.push(`${name}: ${o}`);
  for (const p of scan.parseErrors) parseProblems.push(`${name}/${p}`);
  for (const u of scan.uses) {
    const f = byFeature.get(u.feature) ?? { tasks: 0, debian: 0, roles: new Set<string>() };
    f.tasks += 1;
    if (!OTHER_OS.test(u.file)) f.debian += 1;
    f.roles.add(name);
    byFeature.set(u.feature, f);
  }
  const notes = [...r.notes];
  if (meta.dependencies.length) {
    const deps = meta.dependencies.map((d) => `${d} (${existsSync(join(CORPUS, d)) ? 'in' : 'not in'} the corpus)`);
    notes.push(`meta dependencies: ${deps.join(', ')}; tend reads no meta/, so they are not run before the role`);
  }
  const colls = new Set([...meta.collections, ...scan.collections]);
  if (colls.size) notes.push(`collections: ${[...colls].sort().join(', ')}`);
  if (meta.platforms.length && !meta.platforms.some((p) => /debian/i.test(p))) notes.push(`meta platforms: ${meta.platforms.join(', ')} (no Debian)`);
  if (notes.length) notesAll.push(`- **${name}**: ${notes.join('; ')}`);
  const s = src.get(name);
  const first = r.errors[0];
  const firstText = r.rc === null ? 'not run' : r.rc === 0 ? '' : first ? `\`${md(clip(`${first.file}:${first.line}:${first.col}: ${first.message}`))}\`` : md(clip(r.other[0] ?? `exit ${r.rc}`));
  rows.push(
    `| ${name} | ${s ? `[${s.repo}](https://github.com/${s.repo}${s.sub !== '.' ? `/tree/${s.commit}/${s.sub}` : ''}) ${s.commit.slice(0, 7)}, ${s.spdx}` : ''} | ${r.rc === 0 ? 'yes' : r.rc === null ? '?' : `no (exit ${r.rc})`} | ${r.errors.length} | ${seenCause.size} | ${scan.tasks} | ${scan.tasks - scan.blockedTasks} | ${firstText} |`,
  );
}

const out: string[] = [];
out.push('# Public Ansible roles through `tend validate` (issue #21)');
out.push('');
out.push('Written by `bash bench/roles/validate.sh` (do not edit by hand). Each role of `corpus/` (imported by');
out.push('`import.sh` from the repositories in `sources.tsv`; commits in `sources.lock`, each role\'s licence beside it)');
out.push('is run as `- hosts: all / roles: [NAME]` with an inventory of one host (`web ansible_host=192.0.2.10`) through');
out.push('`tend validate`; what tend printed is kept in `results/NAME.out`, its exit code in `results/NAME.rc`.');
out.push('');
out.push('## Summary');
out.push('');
out.push(`**${validated} of ${roles.length} roles validate**${validatedNames.length ? ` (${validatedNames.join(', ')})` : ''}. ` +
  `Across all their task files (pass 2) ${totalTasks - totalBlocked} of ${totalTasks} tasks (${pct(totalTasks - totalBlocked, totalTasks)}) use nothing tend lacks; leaving out the files only other systems run ` +
  `(setup-RedHat.yml, …), ${debianTasks - debianBlocked} of ${debianTasks} (${pct(debianTasks - debianBlocked, debianTasks)}).`);
out.push('');
out.push('## Per role');
out.push('');
out.push('"errors": error lines tend printed (a task refused for a keyword is not checked further, and templates and');
out.push('variables are checked only once the structure is clean); "causes": distinct causes among them; "tasks": tasks in tasks/ and handlers/ (pass 2); "clean": those using');
out.push('nothing tend lacks.');
out.push('');
out.push('| role | source | validates | errors | causes | tasks | clean | first blocking error |');
out.push('|---|---|---|---|---|---|---|---|');
out.push(...rows);
out.push('');
out.push('## Pass 1: what tend said, by cause');
out.push('');
out.push('Each error line tend printed, grouped by what the role would need. "roles": roles with at least one such line; "first": roles whose first');
out.push('error it is.');
out.push('');
out.push('| # | cause | roles | error lines | first | example |');
out.push('|---|---|---|---|---|---|');
[...byCause].sort((a, b) => b[1].roles.size - a[1].roles.size || b[1].lines - a[1].lines || a[0].localeCompare(b[0]))
  .forEach(([cause, c], i) => out.push(`| ${i + 1} | ${md(cause)} | ${c.roles.size} | ${c.lines} | ${c.first} | \`${md(clip(c.example, 140))}\` |`));
out.push('');
out.push('## Pass 2: every task of every role, by missing feature');
out.push('');
out.push('Every task (a block\'s tasks, not the block) of `tasks/**.yml` and `handlers/**.yml`, read as YAML 1.1, against what tend has:');
out.push(`its modules (${[...TEND_MODULES].join(', ')}; \`tend modules\`) with their parameters (\`tend schema\`), import_tasks, include_tasks, include;`);
out.push(`the task keywords ${[...SUPPORTED_KEYWORDS].filter((k) => !['args', 'action', 'collections'].includes(k)).join(', ')} (changed_when only \`false\`, become only a boolean,`);
out.push('ignore_errors a boolean or one {{ expression }}), `with_*` of its lookup plugins, `meta:` flush_handlers/noop/end_host/end_play, include_vars (file, name), and blocks with when, tags, vars, become, become_user, environment, ignore_errors, no_log and check_mode');
out.push('(README, "Conditions, loops, tags, imports and roles"). A task counts once per feature it lacks; one task may lack several.');
out.push('"tasks" counts every file; the next column leaves out files whose path names another system (setup-RedHat.yml, pam_rhel.yml,');
out.push('setup-Archlinux.yml, install-with-snap.yml, …), which a Debian 12 host would not run.');
out.push('');
out.push('| # | missing feature | tasks | of them in files a Debian host runs | roles |');
out.push('|---|---|---|---|---|');
[...byFeature].sort((a, b) => b[1].tasks - a[1].tasks || b[1].roles.size - a[1].roles.size || a[0].localeCompare(b[0]))
  .forEach(([f, c], i) => out.push(`| ${i + 1} | ${md(f)} | ${c.tasks} | ${c.debian} | ${c.roles.size} |`));
out.push('');
out.push('## Notes per role');
out.push('');
out.push('Meta dependencies (tend reads no `meta/`: a dependency is not run, and its handlers and variables are missing), collections the');
out.push('role uses (by full name in its task files, or `collections:` in meta), and anything validate.sh noticed.');
out.push('');
out.push(...(notesAll.length ? notesAll : ['(none)']));
if (otherLines.length) {
  out.push('');
  out.push('## Output that was not a `file:line:col` error');
  out.push('');
  out.push(...otherLines.map((l) => `- \`${md(clip(l, 300))}\``));
}
if (parseProblems.length) {
  out.push('');
  out.push('## Task files pass 2 could not read');
  out.push('');
  out.push(...parseProblems.map((p) => `- ${md(p)}`));
}
const findings = join(HERE, 'findings.md');
if (existsSync(findings)) out.push('', readFileSync(findings, 'utf8').trimEnd());
console.log(out.join('\n'));
