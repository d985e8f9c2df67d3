// `fail:` — fails the host with `msg` ("Failed as requested from task" when none).
import { z } from 'zod';
import { ON_CONTROLLER, type ControllerAction } from './controller-actions.ts';

const params = z.object({ msg: z.unknown().optional() }).strict();

export const FAIL_MODULE: ControllerAction = {
  name: 'fail',
  summary: 'fails the host with a message (nothing happens on the host)',
  example: 'fail:\n  msg: this role needs Debian',
  params,
  ...ON_CONTROLLER,
  act: (raw) => {
    const msg = (raw as { msg?: unknown }).msg ?? 'Failed as requested from task';
    return { failed: true, msg: typeof msg === 'string' ? msg : JSON.stringify(msg), registered: { msg } };
  },
};
