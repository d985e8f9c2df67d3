// Ansible's parameter aliases (stat's `dest` and `name` for `path`, slurp's `path` for
// `src`): each alias is a property of its own in the schema, so the playbook schema and
// `tend modules` list it, and is folded into its parameter's own name once parsed.
// Giving one parameter under two of its names is refused, as Ansible refuses it.
// Parameters that have aliases take no zod default (a default would make the parameter
// look given next to its alias): the module applies it where it reads the value.
import { z } from 'zod';

type AliasMap = Readonly<Record<string, readonly string[]>>;
type AliasNames<A extends AliasMap> = A[keyof A][number];

export function withAliases<S extends z.ZodObject, const A extends AliasMap>(schema: S, aliases: A, required: readonly (keyof A & string)[] = []) {
  return schema
    .superRefine((value, ctx) => {
      const v = value as Record<string, unknown>;
      for (const [name, others] of Object.entries(aliases)) {
        const given = [name, ...others].filter((n) => v[n] !== undefined);
        if (given.length > 1) ctx.addIssue({ code: 'custom', message: `${given.join(' and ')} are one parameter (${name}): give it once` });
        if (given.length === 0 && required.includes(name)) ctx.addIssue({ code: 'custom', message: `${name} is required`, path: [name] });
      }
    })
    .transform((value) => {
      const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
      for (const [name, others] of Object.entries(aliases)) {
        for (const alias of others) {
          if (out[alias] !== undefined) out[name] = out[alias];
          delete out[alias];
        }
      }
      return out as Omit<z.output<S>, AliasNames<A>>;
    });
}

/**
 * `schema` (an object schema wrapped in refinements or transforms) with the object's
 * `shape` in sight: the playbook reader finds a parameter's own schema there to turn
 * `k=v` text into the booleans and numbers it wants (`follow=yes`), and a wrapped object
 * hides it.
 */
export function showingShape<S extends z.ZodType>(schema: S, object: z.ZodObject): S {
  return Object.defineProperty(schema, 'shape', { get: () => object.shape, enumerable: false });
}
