// The variables a task sees on one host, layered as Ansible layers them: play vars are
// defaults, the inventory overrides them, -e overrides everything; facts sit below them
// all; a role's tasks see its variables (defaults under the play's, vars over them,
// parameters over the inventory; a task's own vars between the two); the magic variables (magic-vars.ts) are above them all.
// Before the facts are read, a fact in a condition is pending (FactsPending), and in
// parameters (`placeholder`) any value (ANY_FACT): a probe built from such parameters is
// used only if, with the real facts, the task's probe is the very same script.
import type { Host } from '../inventory/index.ts';
import type { Play, TaskSpec } from '../playbook/plays.ts';
import { variableLookup, type Lookup } from '../playbook/template.ts';
import { emptyVars, mergeVars } from '../vars.ts';
import { FACT_NAMES } from './facts.ts';
import { guardName, newHostVarsState, newOverlay, type HostVarsState, type Overlay } from './host-state.ts';

/** Thrown by a lookup asked for a fact before the host's facts are read. */
export class FactsPending extends Error {}

/**
 * Stands for any fact before the facts are read: every attribute and item of it is
 * itself, and it prints as `(fact)` (an object with Python attributes, which the template
 * engine passes through as it is).
 */
const ANY_FACT: unknown = Object.freeze({
  pyAttr: () => ANY_FACT,
  pyStr: () => '(fact)',
  pyRepr: () => "'(fact)'",
  toJSON: () => '(fact)',
});

/** A task's lookup (the play's when no task is given), for this host and these facts. */
export type LookupFor = (spec?: TaskSpec) => Lookup;

/** The magic variables for a task in this scope (a role's, or none). */
export type MagicFor = (scope?: TaskSpec['scope']) => Record<string, unknown>;

export function hostLookups(
  play: Play,
  host: Host,
  extraVars: Record<string, unknown>,
  facts: Record<string, unknown> | undefined,
  placeholder = false,
  magic: MagicFor = () => ({}),
  /** Variables tasks set on this host as it goes (include_vars; set_fact and register above them): above task vars, below role parameters and -e. */
  state: HostVarsState = newHostVarsState(),
  /** What the tasks being prepared ahead will set (host-state.ts), over what has run. */
  overlay: Overlay = newOverlay(),
): LookupFor & { invalidate(): void } {
  const guard = (name: string) => guardName(state, overlay, name);
  // include_vars's, then set_fact's and register's (Ansible's levels 18 and 19): each as run, then as prepared ahead.
  const setByTasks = () => [state.included, overlay.included, state.facts, overlay.facts];
  const below: Lookup = (name) => {
    if (!FACT_NAMES.has(name)) return undefined;
    if (facts === undefined) {
      if (placeholder) return ANY_FACT;
      throw new FactsPending(name);
    }
    return Object.hasOwn(facts, name) ? facts[name] : undefined;
  };
  // Every role's defaults (lowest) and vars reach every task of the play, as in Ansible
  // (private_role_vars off); a role's own come again above the others' in its tasks.
  const roleDefaults = mergeVars(emptyVars(), ...(play.roles ?? []).map((r) => r.defaults));
  const roleVars = mergeVars(emptyVars(), ...(play.roles ?? []).map((r) => r.vars));
  let base: Lookup | undefined;
  const scoped = new Map<NonNullable<TaskSpec['scope']>, Lookup>();
  const withTaskVars = new Map<TaskSpec, Lookup>();
  const lookupFor = (spec?: TaskSpec): Lookup => {
    if (spec?.vars) {
      // A task's own vars (and its blocks' and imports'): above the inventory and the role's vars, below role parameters and -e.
      let found = withTaskVars.get(spec);
      if (!found) {
        const layers = spec.scope
          ? [roleDefaults, spec.scope.defaults, play.vars, roleVars, spec.scope.vars, host.vars, spec.vars, ...setByTasks(), spec.scope.params, extraVars]
          : [roleDefaults, play.vars, roleVars, host.vars, spec.vars, ...setByTasks(), extraVars];
        found = variableLookup(layers, below, magic(spec.scope), guard);
        withTaskVars.set(spec, found);
      }
      return found;
    }
    if (!spec?.scope) return (base ??= variableLookup([roleDefaults, play.vars, roleVars, host.vars, ...setByTasks(), extraVars], below, magic(), guard));
    let found = scoped.get(spec.scope);
    if (!found) {
      found = variableLookup([roleDefaults, spec.scope.defaults, play.vars, roleVars, spec.scope.vars, host.vars, ...setByTasks(), spec.scope.params, extraVars], below, magic(spec.scope), guard);
      scoped.set(spec.scope, found);
    }
    return found;
  };
  // The lookups merge their layers when made: once what tasks set changes, they are made again.
  const invalidate = () => {
    base = undefined;
    scoped.clear();
    withTaskVars.clear();
  };
  return Object.assign(lookupFor, { invalidate });
}
