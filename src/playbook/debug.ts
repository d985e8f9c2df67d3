// `debug:` — shows a message (`msg`, "Hello world!" when none) or a variable's value
// (`var`: a name or an expression, "VARIABLE IS NOT DEFINED!" when it is not). tend runs
// at verbosity 0: a debug task with `verbosity:` above 0 is skipped, as Ansible skips it.
import { z } from 'zod';
import { ON_CONTROLLER, type ControllerAction } from './controller-actions.ts';
import { render, TemplateError, toText, type Lookup } from './template.ts';

const params = z
  .object({
    msg: z.unknown().optional().describe('what to show (any value)'),
    var: z.string().min(1).optional().describe('a variable (or an expression) whose value to show'),
    verbosity: z.number().int().min(0).default(0).describe('shown only at this verbosity or above (tend runs at 0)'),
  })
  .strict()
  .refine((p) => p.msg === undefined || p.var === undefined, { message: "'msg' and 'var' are incompatible options" });

type Params = z.output<typeof params>;

function shown(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value, null, 1) ?? toText(value);
}

export const DEBUG_MODULE: ControllerAction = {
  name: 'debug',
  summary: 'shows a message or a variable (nothing happens on the host)',
  example: 'debug:\n  msg: "{{ inventory_hostname }} runs {{ ansible_distribution }}"',
  params,
  ...ON_CONTROLLER,
  act: (raw, lookup: Lookup) => {
    const p = raw as Params;
    if (p.verbosity > 0) return { skipped: true, msg: 'verbosity threshold not met.', registered: { skipped_reason: 'Verbosity threshold not met.' } };
    if (p.var !== undefined) {
      let value: unknown;
      try {
        value = render(`{{ ${p.var} }}`, lookup);
      } catch (e) {
        if (!(e instanceof TemplateError)) throw e;
        value = 'VARIABLE IS NOT DEFINED!';
      }
      return { msg: `${p.var}: ${shown(value)}`, registered: { [p.var]: value } };
    }
    const msg = p.msg === undefined ? 'Hello world!' : p.msg;
    return { msg: shown(msg), registered: { msg } };
  },
};
