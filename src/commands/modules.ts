// tend modules [NAME]: the task modules, or one module's parameters and an example.
import { InputError } from '../errors.ts';
import { closest } from '../playbook/suggest.ts';
import { describeModule } from '../schema.ts';
import { modules } from '../../tasks/index.ts';

export function describeModules(name?: string): string {
  if (name === undefined) {
    const width = Math.max(...[...modules.keys()].map((k) => k.length));
    return [...modules.values()].map((m) => `${m.name.padEnd(width)}  ${m.summary}`).join('\n');
  }
  const module = modules.get(name);
  if (!module) {
    const hint = closest(name, [...modules.keys()]);
    throw new InputError(`no module '${name}'${hint ? ` (did you mean '${hint}'?)` : ''}; known: ${[...modules.keys()].join(', ')}`);
  }
  return describeModule(module);
}
