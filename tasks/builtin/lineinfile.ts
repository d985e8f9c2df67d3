// lineinfile: one line of a file is present (replacing the line a regular expression or
// a search string finds, else inserted where insertafter/insertbefore say) or absent, as
// ansible-core 2.14's lineinfile does it, byte for byte: Python's `re` on the file's
// bytes (tasks/lib/python-regex.ts), lines split after each `\n`, a line ending `\r\n`
// compared without it, backrefs expanded as `match.expand` does, firstmatch, create,
// backup; owner, group, mode. test/conformance/lineinfile/ holds Ansible's own answers.
import { z } from 'zod';
import { defineTask, ProbeFailed, type Probed } from '../../src/module.ts';
import { backupOf, insertionPattern, checkFileParams, editProbe, fileParams, readlines, readProbe, rstripEol, targetPath, wantOf, withAttributes, writePlan, type Edited } from '../lib/edit-file.ts';
import { compilePython, expand, parseTemplate, pythonRegexProblem, search, toBytes } from '../lib/python-regex.ts';

const pattern = () =>
  z
    .string()
    .superRefine((v, ctx) => {
      if (v.includes('{{') || v.includes('{%')) return;
      const problem = pythonRegexProblem(v, 'bytes');
      if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
    })
    .optional();

const text = z.union([z.string(), z.number().int().transform(String)]);

const params = z
  .object({
    ...fileParams,
    state: z.enum(['present', 'absent']).default('present'),
    line: text.optional().describe('the line (state present; with state absent, lines equal to it are removed)'),
    value: text.optional().describe('alias of line'),
    regexp: pattern().describe("a Python regular expression searched in each line: the last line it finds is replaced (or removed with state absent)"),
    regex: pattern().describe('alias of regexp'),
    search_string: z.string().optional().describe('a literal string searched in each line, instead of regexp'),
    insertafter: insertionPattern('EOF').describe('EOF (the default), BOF, or a regular expression: the new line goes after the last line it finds'),
    insertbefore: insertionPattern('BOF').describe('BOF or a regular expression: the new line goes before the last line it finds'),
    firstmatch: z.boolean().default(false).describe('use the first line regexp or insertafter/insertbefore finds, not the last'),
    backrefs: z.boolean().default(false).describe("line may use regexp's groups (\\1, \\g<name>); when regexp finds nothing the file is left alone"),
    create: z.boolean().default(false).describe('create the file when it is missing'),
  })
  .strict()
  .superRefine((p, ctx) => {
    checkFileParams('lineinfile', p, ctx);
    const both = (a: string, b: string) => {
      if ((p as Record<string, unknown>)[a] !== undefined && (p as Record<string, unknown>)[b] !== undefined) {
        ctx.addIssue({ code: 'custom', message: `parameters are mutually exclusive: ${a}|${b}`, path: [b] });
      }
    };
    both('line', 'value');
    both('regexp', 'regex');
    both('insertbefore', 'insertafter');
    const regexp = p.regexp ?? p.regex;
    if (regexp !== undefined && p.search_string !== undefined) ctx.addIssue({ code: 'custom', message: 'parameters are mutually exclusive: regexp|search_string', path: ['search_string'] });
    if (p.backrefs && p.search_string !== undefined) ctx.addIssue({ code: 'custom', message: 'parameters are mutually exclusive: backrefs|search_string', path: ['backrefs'] });
    const line = p.line ?? p.value;
    if (p.state === 'present') {
      if (p.backrefs && regexp === undefined) ctx.addIssue({ code: 'custom', message: 'regexp is required with backrefs=true', path: ['backrefs'] });
      if (line === undefined) ctx.addIssue({ code: 'custom', message: 'line is required with state=present', path: [] });
    } else if (line === undefined && regexp === undefined && p.search_string === undefined) {
      ctx.addIssue({ code: 'custom', message: 'one of line, search_string, or regexp is required with state=absent', path: [] });
    }
  });

type Params = z.output<typeof params>;

export interface Outcome {
  /** The new content (one character per byte); null when the file is left as it is. */
  after: string | null;
  changed: boolean;
  msg: string;
  found?: number;
}

function present(p: Params, e: Edited): Outcome {
  if (e.bytes === null && !p.create) throw new ProbeFailed(`Destination ${e.path} does not exist !`);
  const lines = e.bytes === null ? [] : readlines(e.bytes);
  const regexpText = p.regexp ?? p.regex;
  const regexp = regexpText === undefined ? null : compilePython(regexpText, 'bytes');
  let insertafter = p.insertafter;
  const insertbefore = p.insertbefore;
  if (insertafter === undefined && insertbefore === undefined) insertafter = 'EOF';
  const insertRe =
    insertafter !== undefined && insertafter !== 'BOF' && insertafter !== 'EOF'
      ? compilePython(insertafter, 'bytes')
      : insertbefore !== undefined && insertbefore !== 'BOF'
        ? compilePython(insertbefore, 'bytes')
        : null;
  const line = toBytes(p.line ?? p.value ?? '');
  const search_string = p.search_string === undefined ? undefined : toBytes(p.search_string);

  let found = -1;
  let insertAt = -1;
  let match: RegExpExecArray | null = null;
  let matched = false;
  if (regexp) {
    for (let i = 0; i < lines.length; i++) {
      const m = search(regexp, lines[i]!);
      if (m) {
        found = i;
        match = m;
        matched = true;
        if (p.firstmatch) break;
      }
    }
  }
  if (search_string !== undefined) {
    for (let i = 0; i < lines.length; i++) {
      if (lines[i]!.includes(search_string)) {
        found = i;
        matched = true;
        if (p.firstmatch) break;
      }
    }
  }
  if (!matched) {
    for (let i = 0; i < lines.length; i++) {
      if (rstripEol(lines[i]!) === line) found = i;
      else if (insertRe && search(insertRe, lines[i]!)) {
        insertAt = insertafter !== undefined ? i + 1 : i;
        if (p.firstmatch) break;
      }
    }
  }

  const added = (): Outcome => ({ after: lines.join(''), changed: true, msg: 'line added' });
  const endsInBreak = (s: string) => s.endsWith('\n') || s.endsWith('\r');
  if (found !== -1) {
    let wanted = p.backrefs && match ? expand(parseTemplate(p.line ?? p.value ?? '', regexp!), match) : line;
    if (!wanted.endsWith('\n')) wanted += '\n';
    if (lines[found] === wanted) return { after: null, changed: false, msg: '' };
    lines[found] = wanted;
    return { after: lines.join(''), changed: true, msg: 'line replaced' };
  }
  if (p.backrefs) return { after: null, changed: false, msg: '' };
  if (insertbefore === 'BOF' || insertafter === 'BOF') {
    lines.unshift(`${line}\n`);
    return added();
  }
  if (insertafter === 'EOF' || insertAt === -1) {
    if (lines.length > 0 && !endsInBreak(lines.at(-1)!)) lines.push('\n');
    lines.push(`${line}\n`);
    return added();
  }
  if (insertafter !== undefined) {
    if (lines.length === insertAt) {
      if (rstripEol(lines[insertAt - 1]!) === line) return { after: null, changed: false, msg: '' };
      lines.push(`${line}\n`);
      return added();
    }
    if (rstripEol(lines[insertAt]!) === line) return { after: null, changed: false, msg: '' };
    lines.splice(insertAt, 0, `${line}\n`);
    return added();
  }
  lines.splice(insertAt, 0, `${line}\n`);
  return added();
}

function absent(p: Params, e: Edited): Outcome {
  if (e.bytes === null) return { after: null, changed: false, msg: 'file not present' };
  const regexpText = p.regexp ?? p.regex;
  const regexp = regexpText === undefined ? null : compilePython(regexpText, 'bytes');
  const line = toBytes(p.line ?? p.value ?? '');
  const needle = p.search_string === undefined ? undefined : toBytes(p.search_string);
  const lines = readlines(e.bytes);
  const kept = lines.filter((l) => !(regexp ? search(regexp, l) !== null : needle !== undefined ? l.includes(needle) : rstripEol(l) === line));
  const found = lines.length - kept.length;
  return found > 0 ? { after: kept.join(''), changed: true, msg: `${found} line(s) removed`, found } : { after: null, changed: false, msg: '', found: 0 };
}

/** What the task does to the file's bytes, as Ansible's lineinfile decides it. */
export function lineinfile(p: Params, e: Edited): Outcome {
  return p.state === 'present' ? present(p, e) : absent(p, e);
}

export default defineTask({
  name: 'lineinfile',
  summary: 'a line is in a file (replacing the line a regexp finds) or not, as Ansible’s lineinfile edits it (written atomically)',
  params,
  example: `lineinfile:\n  path: /etc/ssh/sshd_config\n  regexp: '^#?PermitRootLogin '\n  line: PermitRootLogin no`,
  probe: (p) => editProbe(targetPath(p)),
  plan: (p: Params, probed: Probed) => {
    const e = readProbe(targetPath(p), probed);
    return writePlan(e, lineinfile(p, e).after, wantOf(p));
  },
  returns: (p: Params, probed: Probed, plan, context?: { check?: boolean }) => {
    const e = readProbe(targetPath(p), probed);
    const outcome = lineinfile(p, e);
    const { changed, msg } = outcome.msg === 'file not present' ? outcome : withAttributes(e, wantOf(p), plan, outcome.changed, outcome.msg, context?.check ?? false);
    return { changed, msg, backup: backupOf(plan) ?? '', ...(outcome.found !== undefined ? { found: outcome.found } : {}) };
  },
});
