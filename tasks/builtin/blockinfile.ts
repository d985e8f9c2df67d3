// blockinfile: a block of lines between two marker lines is in a file (replaced in place
// when the markers are there, else inserted where insertafter/insertbefore say) or
// absent, as ansible-core 2.14's blockinfile does it, byte for byte: lines split as
// Python's bytes.splitlines (\n, \r and \r\n), markers compared whole, `{mark}` replaced
// by marker_begin/marker_end, a MULTILINE insertafter/insertbefore searched in the whole
// file. create, backup; owner, group, mode. Ansible's answers: test/conformance/lineinfile/.
import { z } from 'zod';
import { defineTask, ProbeFailed, type Probed } from '../../src/module.ts';
import { backupOf, insertionPattern, checkFileParams, editProbe, fileParams, readProbe, splitlines, targetPath, wantOf, withAttributes, writePlan, type Edited } from '../lib/edit-file.ts';
import { compilePython, fromBytes, search, subn, toBytes } from '../lib/python-regex.ts';

// Ansible encodes marker_begin and marker_end as latin1 (six.b): one byte per character.
const markWord = z
  .string()
  .refine((v) => [...v].every((c) => c.codePointAt(0)! < 0x80), 'ASCII only (Ansible writes it as latin1, not UTF-8)');

const params = z
  .object({
    ...fileParams,
    state: z.enum(['present', 'absent']).default('present'),
    block: z.string().optional().describe('the lines between the markers (alias: content); empty removes the block'),
    content: z.string().optional().describe('alias of block'),
    marker: z.string().default('# {mark} ANSIBLE MANAGED BLOCK').describe('the marker line; {mark} becomes marker_begin or marker_end'),
    marker_begin: markWord.default('BEGIN'),
    marker_end: markWord.default('END'),
    insertafter: insertionPattern('EOF').describe('EOF (the default) or a regular expression: a new block goes after the last line it finds'),
    insertbefore: insertionPattern('BOF').describe('BOF or a regular expression: a new block goes before the last line it finds'),
    create: z.boolean().default(false).describe('create the file when it is missing'),
  })
  .strict()
  .superRefine((p, ctx) => {
    checkFileParams('blockinfile', p, ctx);
    if (p.block !== undefined && p.content !== undefined) ctx.addIssue({ code: 'custom', message: 'parameters are mutually exclusive: block|content', path: ['content'] });
    if (p.insertafter !== undefined && p.insertbefore !== undefined) ctx.addIssue({ code: 'custom', message: 'parameters are mutually exclusive: insertbefore|insertafter', path: ['insertbefore'] });
  });

type Params = z.output<typeof params>;

export interface Outcome {
  after: string | null;
  changed: boolean;
  msg: string;
  /** No attribute check follows (Ansible exits early). */
  early?: boolean;
}

const MARK = compilePython('{mark}', 'bytes');

/** What the task does to the file's bytes, as Ansible's blockinfile decides it. */
export function blockinfile(p: Params, e: Edited): Outcome {
  if (e.bytes === null && !p.create) throw new ProbeFailed(`Path ${e.path} does not exist !`);
  const original = e.bytes;
  const lines = original === null ? [] : splitlines(original);
  const present = p.state === 'present';
  if (!present && original === null) return { after: null, changed: false, msg: `File ${e.path} not present`, early: true };
  let { insertafter } = p;
  const { insertbefore } = p;
  if (insertafter === undefined && insertbefore === undefined) insertafter = 'EOF';
  const insertRe =
    insertafter !== undefined && insertafter !== 'EOF'
      ? compilePython(insertafter, 'bytes')
      : insertbefore !== undefined && insertbefore !== 'BOF'
        ? compilePython(insertbefore, 'bytes')
        : null;
  const marker = toBytes(p.marker);
  const marker0 = `${subn(MARK, p.marker_begin, marker, true)[0]}\n`;
  const marker1 = `${subn(MARK, p.marker_end, marker, true)[0]}\n`;
  let block = toBytes(p.block ?? p.content ?? '');
  let blocklines: string[] = [];
  if (present && block !== '') {
    if (!block.endsWith('\n')) block += '\n';
    blocklines = [marker0, ...splitlines(block), marker1];
  }
  let n0: number | null = null;
  let n1: number | null = null;
  lines.forEach((l, i) => {
    if (l === marker0) n0 = i;
    if (l === marker1) n1 = i;
  });
  let at: number;
  if (n0 === null || n1 === null) {
    let found: number | null = null;
    if (insertRe !== null) {
      if (insertRe.flags.m) {
        if (original === null) throw new Error(`a MULTILINE ${insertafter !== undefined ? 'insertafter' : 'insertbefore'} cannot be searched in a file that does not exist (Ansible fails too)`);
        const m = search(insertRe, original);
        if (m) {
          // Ansible counts newlines in the decoded text up to the match's byte offset.
          const upTo = insertafter !== undefined ? m.index + m[0].length : m.index;
          found = Array.from(fromBytes(original)).slice(0, upTo).filter((c) => c === '\n').length;
        }
      } else lines.forEach((l, i) => (found = search(insertRe, l) ? i : found));
      if (found === null) at = lines.length;
      else at = insertafter !== undefined ? found + 1 : found;
    } else at = insertbefore !== undefined ? 0 : lines.length;
  } else if (n0 < n1) {
    lines.splice(n0, n1 - n0 + 1);
    at = n0;
  } else {
    lines.splice(n1, n0 - n1 + 1);
    at = n1;
  }
  if (at > 0) {
    if (lines[at - 1] === undefined) throw new Error('the insertion point is past the end of the file (Ansible fails with an IndexError here)');
    if (!lines[at - 1]!.endsWith('\n')) lines[at - 1] += '\n';
  }
  lines.splice(at, 0, ...blocklines);
  const result = lines.join('');
  if (original === result) return { after: null, changed: false, msg: '' };
  return { after: result, changed: true, msg: original === null ? 'File created' : blocklines.length === 0 ? 'Block removed' : 'Block inserted' };
}

export default defineTask({
  name: 'blockinfile',
  summary: 'a block of lines between marker lines is in a file (or not), as Ansible’s blockinfile edits it (written atomically)',
  params,
  example: `blockinfile:\n  path: /etc/ssh/sshd_config\n  block: |\n    Match User backup\n      PasswordAuthentication no`,
  probe: (p) => editProbe(targetPath(p)),
  plan: (p: Params, probed: Probed) => {
    const e = readProbe(targetPath(p), probed);
    return writePlan(e, blockinfile(p, e).after, wantOf(p));
  },
  returns: (p: Params, probed: Probed, plan, context?: { check?: boolean }) => {
    const e = readProbe(targetPath(p), probed);
    const outcome = blockinfile(p, e);
    const { changed, msg } = outcome.early ? outcome : withAttributes(e, wantOf(p), plan, outcome.changed, outcome.msg, context?.check ?? false);
    const backup = backupOf(plan);
    return { changed, msg, ...(backup !== undefined ? { backup_file: backup } : {}) };
  },
});
