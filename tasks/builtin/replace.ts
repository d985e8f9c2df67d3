// replace: every match of a regular expression in a file replaced, as ansible-core 2.14's
// replace does it: Python's `re` on the file's text (str patterns, Unicode classes,
// MULTILINE), `\1`/`\g<name>` and escapes in the replacement as re.subn expands them,
// optionally only in the part of the file after `after` and/or before `before` (DOTALL).
// backup; owner, group, mode. Ansible's answers: test/conformance/lineinfile/.
import { z } from 'zod';
import { defineTask, ProbeFailed, type Probed } from '../../src/module.ts';
import { backupOf, checkFileParams, editProbe, fileParams, readProbe, targetPath, wantOf, withAttributes, writePlan, type Edited } from '../lib/edit-file.ts';
import { compilePython, parseTemplate, PythonRegexError, subn } from '../lib/python-regex.ts';

const templated = (v: string | undefined) => v !== undefined && (v.includes('{{') || v.includes('{%'));

/** Ansible's section pattern for after/before (empty: the whole file). */
function sectionPattern(after: string | undefined, before: string | undefined): string {
  if (after && before) return `${after}(?P<subsection>.*?)${before}`;
  if (after) return `${after}(?P<subsection>.*)`;
  if (before) return `(?P<subsection>.*)${before}`;
  return '';
}

const params = z
  .object({
    ...fileParams,
    regexp: z.string().describe('a Python regular expression (MULTILINE): every match is replaced'),
    replace: z.string().default('').describe('the replacement: \\1, \\g<name> and \\g<0> name groups; empty deletes the matches'),
    after: z.string().optional().describe('only the text after the first match of this regular expression is changed (DOTALL)'),
    before: z.string().optional().describe('only the text before the last match of this regular expression is changed (DOTALL)'),
    encoding: z
      .string()
      .default('utf-8')
      .refine((v) => /^utf-?8$/i.test(v), 'encoding: tend reads and writes utf-8 only'),
  })
  .strict()
  .superRefine((p, ctx) => {
    checkFileParams('replace', p, ctx);
    if (!templated(p.regexp) && !templated(p.replace)) {
      try {
        parseTemplate(p.replace, compilePython(p.regexp, 'str', { multiline: true }));
      } catch (e) {
        if (!(e instanceof PythonRegexError)) throw e;
        ctx.addIssue({ code: 'custom', message: `${e.message}`, path: [/replacement/.test(e.message) ? 'replace' : 'regexp'] });
      }
    }
    const section = sectionPattern(p.after, p.before);
    if (section !== '' && !templated(p.after) && !templated(p.before)) {
      try {
        compilePython(section, 'str', { dotall: true });
      } catch (e) {
        if (!(e instanceof PythonRegexError)) throw e;
        ctx.addIssue({ code: 'custom', message: `after/before (as ${section}): ${e.message}`, path: [p.after ? 'after' : 'before'] });
      }
    }
  });

type Params = z.output<typeof params>;

export interface Outcome {
  after: string | null;
  changed: boolean;
  msg: string;
  early?: boolean;
}

/** What the task does to the file, as Ansible's replace decides it. */
export function replace(p: Params, e: Edited): Outcome {
  if (e.bytes === null) throw new ProbeFailed(`Path ${e.path} does not exist !`);
  const contents = Buffer.from(e.bytes, 'latin1').toString('utf8');
  if (Buffer.from(contents, 'utf8').toString('latin1') !== e.bytes) throw new Error(`${e.path} is not valid UTF-8 (tend's replace reads utf-8 only)`);
  const pattern = sectionPattern(p.after, p.before);
  let section = contents;
  let span: [number, number] = [0, contents.length];
  if (pattern !== '') {
    const re = compilePython(pattern, 'str', { dotall: true });
    const withIndices = new RegExp(re.regexp.source, `${re.regexp.flags}d`);
    const m = withIndices.exec(contents);
    if (!m) return { after: null, changed: false, msg: `Pattern for before/after params did not match the given file: ${pattern}`, early: true };
    span = m.indices!.groups!.subsection!;
    section = contents.slice(span[0], span[1]);
  }
  const [result, count] = subn(compilePython(p.regexp, 'str', { multiline: true }), p.replace, section);
  if (count === 0 || result === section) return { after: null, changed: false, msg: '' };
  const text = contents.slice(0, span[0]) + result + contents.slice(span[1]);
  return { after: Buffer.from(text, 'utf8').toString('latin1'), changed: true, msg: `${count} replacements made` };
}

export default defineTask({
  name: 'replace',
  summary: 'every match of a regular expression in a file is replaced, as Ansible’s replace does it (written atomically)',
  params,
  example: `replace:\n  path: /etc/hosts\n  regexp: '(\\s+)old\\.example\\.com(\\s+.*)?$'\n  replace: '\\1new.example.com\\2'`,
  probe: (p) => editProbe(targetPath(p)),
  plan: (p: Params, probed: Probed) => {
    const e = readProbe(targetPath(p), probed);
    const outcome = replace(p, e);
    // Ansible stops there when after/before find nothing: owner, group and mode are left too.
    if (outcome.early) return { changes: [], commands: [] };
    return writePlan(e, outcome.after, wantOf(p));
  },
  returns: (p: Params, probed: Probed, plan, context?: { check?: boolean }) => {
    const e = readProbe(targetPath(p), probed);
    const outcome = replace(p, e);
    const { changed, msg } = outcome.early ? outcome : withAttributes(e, wantOf(p), plan, outcome.changed, outcome.msg, context?.check ?? false);
    const backup = backupOf(plan);
    return { changed, msg, rc: 0, ...(backup !== undefined ? { backup_file: backup } : {}) };
  },
});
