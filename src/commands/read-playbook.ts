// A playbook as the commands read it: with tend's modules, and its plays' `hosts:`
// patterns checked against the inventory's pattern grammar, so a bad pattern is an input
// error at its location before any host is contacted.
import { patternSyntaxError } from '../inventory/limit.ts';
import { loadPlaybook } from '../playbook/load.ts';
import type { Playbook } from '../playbook/plays.ts';
import { modules } from '../../tasks/index.ts';

export function readPlaybook(file: string): Playbook {
  return loadPlaybook(file, modules, undefined, { hostPatternError: patternSyntaxError });
}
