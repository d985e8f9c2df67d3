// `assert:` — every condition of `that` must hold on the host, else the task fails with
// `fail_msg` (or `msg`), as Ansible's: its result names the first condition that did not
// hold (`assertion`, `evaluated_to`). `success_msg` when they all hold; `quiet` only
// shortens what Ansible prints, and changes nothing here.
import { z } from 'zod';
import { ON_CONTROLLER, type ControllerAction } from './controller-actions.ts';
import { conditionHolds, type Lookup } from './template.ts';

const message = z.union([z.string(), z.array(z.string()).min(1)]);
const params = z
  .object({
    that: z.union([z.string().min(1), z.boolean(), z.array(z.union([z.string().min(1), z.boolean()])).min(1)]).describe('conditions that must all hold'),
    fail_msg: message.optional(),
    msg: message.optional(),
    success_msg: message.optional(),
    quiet: z.boolean().default(false),
  })
  .strict();

type Params = z.output<typeof params>;

const text = (m: string | string[]) => (Array.isArray(m) ? m.join('\n') : m);

export const ASSERT_MODULE: ControllerAction = {
  name: 'assert',
  summary: 'fails the host unless every condition holds (nothing happens on the host)',
  example: 'assert:\n  that:\n    - ansible_distribution == "Debian"\n  fail_msg: Debian only',
  params,
  ...ON_CONTROLLER,
  act: (raw, lookup: Lookup) => {
    const p = raw as Params;
    const that = Array.isArray(p.that) ? p.that : [p.that];
    for (const c of that) {
      const expr = typeof c === 'boolean' ? (c ? 'True' : 'False') : c;
      if (!conditionHolds(expr, lookup)) {
        const msg = p.fail_msg ?? p.msg ?? 'Assertion failed';
        return { failed: true, msg: text(msg), registered: { msg, assertion: c, evaluated_to: false } };
      }
    }
    const msg = p.success_msg ?? 'All assertions passed';
    return { msg: text(msg), registered: { msg } };
  },
};
