// The task keywords about a task's result, as Ansible 2.14 reads them: `register` (the
// variable that keeps it), `changed_when` and `failed_when` (conditions that decide the
// result's "changed" and "failed" once the task ran, reading its own result by the
// registered name), and `until` with `retries` and `delay` (the task runs again until the
// condition holds: `retries` + 1 attempts, 3 when not given, `delay` seconds apart, 5 by
// default). The engine applies them (engine/registered.ts).
import { z } from 'zod';
import type { InputError } from '../errors.ts';
import type { YamlPath, YamlSource } from '../yaml-source.ts';
import type { Condition, TaskSpec } from './plays.ts';

const conditionList = z.union([z.string().min(1), z.boolean(), z.array(z.union([z.string().min(1), z.boolean()])).min(1)]);

export const resultKeywordShapes = {
  register: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'register: a variable name (letters, digits, _; not starting with a digit)')
    .optional()
    .describe("the variable that keeps the task's result, for the tasks after it (changed, failed, rc, stdout, …)"),
  changed_when: conditionList.optional().describe('whether the task changed something, decided after it ran (it may read its registered result); false: it never does'),
  failed_when: conditionList.optional().describe('whether the task failed, decided after it ran (it may read its registered result)'),
  until: conditionList.optional().describe('the task runs again until this holds (it may read its registered result)'),
  retries: z.number().int().min(0).max(1000).optional().describe('with until: how many times it runs again at most (3 attempts in all when not given)'),
  delay: z.number().min(0).max(3600).optional().describe('with until: seconds between attempts (5 by default)'),
};

type ReadConditions = (source: YamlSource, value: unknown, path: YamlPath, errors: InputError[]) => Condition[];

interface ResultKeywords {
  register?: string;
  changed_when?: unknown;
  failed_when?: unknown;
  until?: unknown;
  retries?: number;
  delay?: number;
}

/** The spec's fields for these keywords; what is wrong about them goes to `errors`. */
export function readResultKeywords(
  task: ResultKeywords,
  source: YamlSource,
  path: YamlPath,
  errors: InputError[],
  readConditions: ReadConditions,
): Pick<TaskSpec, 'register' | 'changedWhen' | 'failedWhen' | 'until'> {
  const out: Pick<TaskSpec, 'register' | 'changedWhen' | 'failedWhen' | 'until'> = {};
  if (task.register !== undefined) out.register = task.register;
  if (task.changed_when !== undefined) out.changedWhen = readConditions(source, task.changed_when, [...path, 'changed_when'], errors);
  if (task.failed_when !== undefined) out.failedWhen = readConditions(source, task.failed_when, [...path, 'failed_when'], errors);
  if (task.until !== undefined) {
    const retries = task.retries;
    out.until = {
      conditions: readConditions(source, task.until, [...path, 'until'], errors),
      // As Ansible counts: retries: N means N + 1 attempts; none given, 3; 0, one.
      attempts: retries === undefined ? 3 : Math.max(1, retries + (retries > 0 ? 1 : 0)),
      delayS: task.delay ?? 5,
    };
  }
  // retries and delay without until: no retry, as in Ansible 2.14.
  return out;
}
