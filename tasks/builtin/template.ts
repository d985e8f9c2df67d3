// template: a file rendered from a Jinja2 template on the controller, as Ansible's template
// module renders it (trim_blocks on, lstrip_blocks off, Ansible's trailing-newline rule, the
// template_* variables and ansible_managed), with each host's variables and facts.
// `src` is found where Ansible finds it: the role's templates/ (then the role, its tasks/),
// then templates/ beside the playbook or task file, then beside it. The template is read
// and compiled once, when the playbook is read (a syntax error is an input error there);
// the file is written as `file` writes content: the safe walk, an atomic replace, backup,
// validate, owner/group/mode, follow; the diff shows in check mode.
import { z } from 'zod';
import { defineTask, isHostRendered, type HostRendered, type Probed } from '../../src/module.ts';
import { loadTemplate } from '../lib/template-file.ts';
import { absolutePath } from '../lib/words.ts';
import { ownership, parseStat } from '../lib/metadata.ts';
import file from './file.ts';

const params = z
  .object({
    src: z.string().describe('the template, found in the role’s templates/, then templates/ beside the playbook, then beside it'),
    dest: absolutePath,
    backup: z.boolean().default(false).describe('keep the previous version as DEST.DATE~'),
    validate: z.string().optional().describe('command run on the new content before it replaces the old; %s is its path'),
    force: z.boolean().default(true).describe('false: write the file only when dest does not exist'),
    follow: z.boolean().default(false).describe('when dest is a symbolic link, manage the file it points to'),
    newline_sequence: z.enum(['\\n', '\\r', '\\r\\n']).default('\\n').describe('the line ending of the rendered file'),
    trim_blocks: z.boolean().default(true).describe('the first newline after a block tag is removed'),
    lstrip_blocks: z.boolean().default(false).describe('spaces and tabs before a block tag are removed'),
    block_start_string: z.string().default('{%'),
    block_end_string: z.string().default('%}'),
    variable_start_string: z.string().default('{{'),
    variable_end_string: z.string().default('}}'),
    comment_start_string: z.string().default('{#'),
    comment_end_string: z.string().default('#}'),
    output_encoding: z.literal('utf-8').default('utf-8').describe('utf-8 only'),
    /** (filled in when the playbook is read: the compiled template; its text per host) */
    content: z.union([z.string(), z.custom<HostRendered>(isHostRendered)]).optional().describe('(filled in from src when the playbook is read)'),
    ...ownership,
  })
  .strict()
  .refine((p) => p.validate === undefined || p.validate.includes('%s'), 'validate must contain %s (the new file’s path)');

type Params = z.output<typeof params>;
type FileParams = Parameters<typeof file.plan>[0];

/**
 * The file module's parameters for what this task writes (its other parameters at file's
 * defaults, filled in by file's own schema). No content: the file's content is left as it is.
 */
function asFile(p: Params, content: string | undefined): FileParams {
  return file.params.parse({ path: p.dest, content, backup: p.backup, validate: p.validate, follow: p.follow, owner: p.owner, group: p.group, mode: p.mode });
}

function rendered(p: Params): string {
  if (typeof p.content !== 'string') throw new Error(`template ${p.src}: not rendered for this host`);
  return p.content;
}

export default defineTask({
  name: 'template',
  summary: 'a file rendered from a Jinja2 template with the host’s variables and facts, as Ansible renders it (written atomically)',
  params,
  example: `template:\n  src: main.cf.j2\n  dest: /etc/postfix/main.cf\n  mode: "0644"\n  validate: postconf -c $(dirname %s) -n`,
  resolve: (raw, { baseDir }) => {
    if (raw.content !== undefined) throw new Error('content is filled in from src');
    return typeof raw.src === 'string' ? { ...raw, content: loadTemplate(raw.src, baseDir, raw) } : raw;
  },
  probe: (p) => file.probe(asFile(p, typeof p.content === 'string' ? p.content : '')),
  plan: (p: Params, probed: Probed) => {
    const content = rendered(p);
    // force: false writes only a missing file; one that exists (as file reads the probe's
    // stat line) keeps its content, its owner, group and mode still apply.
    const keep = !p.force && parseStat(probed.sections[1]).type !== null;
    return file.plan(asFile(p, keep ? undefined : content), probed);
  },
});
