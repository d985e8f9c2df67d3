// `set_fact:` — sets variables on the host (Ansible's level 19, with register: above
// include_vars, below role parameters and -e), for the rest of the run. Its values are
// templated per host; as Ansible 2.14 does (without jinja2_native), a text that is
// true/false/yes/no in any case becomes a boolean. `cacheable: true` also makes them
// facts in Ansible's cache; tend has no fact cache, so it changes nothing else here.
import { z } from 'zod';
import { ON_CONTROLLER, type ControllerAction } from './controller-actions.ts';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const params = z
  .record(z.string(), z.unknown())
  .superRefine((p, ctx) => {
    const names = Object.keys(p).filter((k) => k !== 'cacheable');
    if (names.length === 0) ctx.addIssue({ code: 'custom', message: 'set_fact: give at least one variable (name: value)' });
    for (const k of names) if (!NAME.test(k)) ctx.addIssue({ code: 'custom', path: [k], message: `'${k}' is not a valid variable name` });
    if (p.cacheable !== undefined && typeof p.cacheable !== 'boolean') ctx.addIssue({ code: 'custom', path: ['cacheable'], message: 'cacheable: true or false' });
  });

function asAnsibleSets(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const word = v.toLowerCase();
  if (word === 'true' || word === 'yes') return true;
  if (word === 'false' || word === 'no') return false;
  return v;
}

export const SET_FACT_MODULE: ControllerAction = {
  name: 'set_fact',
  summary: 'sets variables on the host, for the tasks after it (templated per host)',
  example: 'set_fact:\n  web_root: "/srv/{{ inventory_hostname }}"',
  params,
  ...ON_CONTROLLER,
  sets: (p) => (p !== null && typeof p === 'object' && !Array.isArray(p) ? Object.keys(p).filter((k) => k !== 'cacheable' && NAME.test(k)) : []),
  act: (p) => {
    const facts = Object.fromEntries(Object.entries(p as Record<string, unknown>).filter(([k]) => k !== 'cacheable').map(([k, v]) => [k, asAnsibleSets(v)]));
    return { facts, registered: { ansible_facts: facts } };
  },
};
