// tend's Jinja2 engine: templates rendered as ansible-core 2.14's Templar renders them for
// the template module (trim_blocks on, lstrip_blocks off, None printed as nothing, Python
// repr for lists and dicts, insertion order kept, Ansible's undefined rules and trailing
// newline rule, Ansible's filters and tests). test/conformance/templates/ holds the
// recorded expectations (test/conformance/record-templates.py re-records them).
//
// API (compile once, render per host):
//
//   const t = compileTemplate(text, { name: 'templates/nginx.conf.j2', searchPath: ['roles/x/templates', 'roles/x'] });
//   t.render((name) => hostVars[name])          // → string; throws TemplateError
//   t.referencedVariables()                      // every host variable name read, guarded or not
//   t.requiredVariables()                        // those read outside `is defined`/`default`
//
//   const e = compileExpression("ansible_distribution == 'Debian'");
//   e.evaluate((name) => hostVars[name])         // → plain JS value (lists, objects, numbers)
//   e.evaluateRaw(lookup)                        // → the Python-model value (Map, PyFloat, …)
//   e.referencedVariables(), e.requiredVariables()
//
//   Task arguments and variables (Templar.template: `{{ port }}` stays an int, `{{ [1] }}`
//   becomes a list, to_json stays text), and variables whose values are templates:
//   const lookup = templatingLookup({ ...facts, ...vars });   // templates values when read
//   valueTemplater(lookup).template(task.args)               // any depth; dict keys kept
//
//   evaluateConditional(task.when, lookup)                   // when:, as Ansible's Conditional
//   ansibleTemplateVars({ src, fullpath, dest })             // template_* and ansible_managed
//
//   Lookups: options.lookups = { searchPath, env, commands } (lookups.ts): file, template,
//   env, vars, first_found, fileglob, items, list, dict, indexed_items, pipe/lines.
//   yamlValues(text) reads YAML as Ansible does (1.1 booleans, int keys, floats kept).
//
// A lookup returns `undefined` for a name it does not define; values may be plain JS
// (objects become dicts with their key order) or Maps (any key type, YAML's int keys).
// Nothing is shared between renders but the compiled tree, so one CompiledTemplate may
// serve every host, also concurrently.
// Errors are TemplateError (errors.ts): `ansibleClass` says which Ansible exception it
// corresponds to, `line`/`column`/`template` where, `located` a `name:line:col: message`.
// Options: `syntax` takes the template module's trim_blocks, lstrip_blocks,
// newline_sequence and the *_start/_end_string overrides; a `#jinja2:` first line
// overrides them as in Ansible. `loader` replaces searchPath with a function.
export { TemplateError, TemplateSyntaxError, UndefinedError, TemplateLimitError } from './errors.ts';
export type { Lookup, FilterDef, TestDef } from './eval.ts';
export type { Syntax } from './lexer.ts';
export type { LookupOptions } from './lookups.ts';
export { LOOKUP_PLUGINS } from './lookups.ts';
export { fromJS, toJS, repr, str, truthy, PyFloat, PyTuple } from './values.ts';
export { templatingLookup, valueTemplater, type ValueTemplater } from './variables.ts';
export { yamlValues } from './yaml-values.ts';
export { evaluateConditional } from './conditional.ts';
export { ansibleTemplateVars, DEFAULT_MANAGED } from './magic.ts';
export { LIMITS } from './limits.ts';
export { LazyDict, MISSING_ATTR } from './lazy-dict.ts';
export { compileTemplate, compileExpression, type TemplateOptions, type CompiledTemplate, type CompiledExpression } from './compile.ts';
