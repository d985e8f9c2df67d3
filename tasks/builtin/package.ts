// package: Ansible's generic package manager module. On the hosts tend manages (Debian,
// Ubuntu) that is apt: the parameters are read into the apt module's, whose probe and plan
// do the work. Any other package manager is refused by name.
import { z } from 'zod';
import { defineTask } from '../../src/module.ts';
import { showingShape } from '../lib/param-aliases.ts';
import apt from './apt.ts';

const object = z
  .object({
    name: z.union([z.string(), z.array(z.string()).min(1)]).describe('package or list of packages'),
    state: z.enum(['present', 'installed', 'latest', 'absent', 'removed']).describe('required, as in Ansible (installed is present, removed is absent)'),
    use: z.string().default('auto').describe('the package manager: auto or apt (the only one tend has)'),
  })
  .strict();

const params = showingShape(
  object.transform((p, ctx) => {
    if (p.use !== 'auto' && p.use !== 'apt') {
      ctx.addIssue({ code: 'custom', path: ['use'], message: `use: ${p.use} is not available: tend's package module runs apt only (Debian, Ubuntu); use auto or apt` });
      return z.NEVER;
    }
    const state = p.state === 'installed' ? 'present' : p.state === 'removed' ? 'absent' : p.state;
    const read = apt.params.safeParse({ name: p.name, state });
    if (!read.success) {
      for (const issue of read.error.issues) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
      return z.NEVER;
    }
    return { use: p.use, apt: read.data };
  }),
  object,
);

export default defineTask({
  name: 'package',
  summary: 'packages are present, absent or the latest version, by the host’s package manager (apt)',
  params,
  example: `package:\n  name: [postfix, sasl2-bin]\n  state: present`,
  probe: (p) => apt.probe(p.apt),
  plan: (p, probed) => apt.plan(p.apt, probed),
});
