// The template conformance corpus: every case in test/conformance/templates/cases/ rendered
// by src/template and compared byte for byte with what ansible-core 2.14's Templar made of
// it (expected/, recorded by test/conformance/record-templates.py). A case Ansible refused
// must fail here with the same Ansible error class.
// TEMPLATE_CASES=file[:name] narrows the run; the summary line counts byte-equal cases.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, after } from 'node:test';
import { compileExpression, compileTemplate, evaluateConditional, repr, TemplateError } from '../../src/template/index.ts';
import { templatingLookup, valueTemplater } from '../../src/template/variables.ts';
import { yamlValues } from '../../src/template/yaml-values.ts';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname } from 'node:path';

const HERE = join(import.meta.dirname, '..', 'conformance', 'templates');
const FACTS = yamlValues(readFileSync(join(HERE, 'facts-debian12.yml'), 'utf8')) as Map<string, unknown>;
const FIXED = new Map<string, unknown>([
  ['ansible_managed', 'Ansible managed'],
  ['template_host', 'controller'],
  ['template_uid', 'root'],
  ['template_path', 'template.j2'],
  ['template_fullpath', '/etc/ansible/templates/template.j2'],
  ['template_destpath', '/etc/example.conf'],
]);

interface Case {
  name: string;
  template?: string;
  expr?: string;
  arg?: unknown;
  when?: unknown;
  role?: string;
  src?: string;
  role_vars?: string[];
  vars?: Map<string, unknown>;
  files?: Map<string, string>;
  /** Why tend differs from Ansible here, deliberately (no way to Python internals) or by a known limit. */
  deviation?: string;
}
type Expected = { output: string } | { repr: string } | { error: { class: string; message: string; line?: number } };

const only = process.env.TEMPLATE_CASES?.split(':');
let passed = 0;
let total = 0;
let deviations = 0;
const failures: string[] = [];

function run(c: Case, m: Map<string, unknown>): Expected {
  const vars = new Map([...FACTS, ...FIXED]);
  let text = c.template ?? '';
  let searchPath: string[] = [];
  let tmp: string | null = null;
  if (c.role) {
    const role = join(HERE, 'roles', c.role);
    try {
      const defaults = yamlValues(readFileSync(join(role, 'defaults', 'main.yml'), 'utf8'));
      if (defaults instanceof Map) for (const [k, v] of defaults) vars.set(k as string, v);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    for (const extra of c.role_vars ?? []) {
      const more = yamlValues(readFileSync(join(role, extra), 'utf8'));
      if (more instanceof Map) for (const [k, v] of more) vars.set(k as string, v);
    }
    text = readFileSync(join(role, c.src!), 'utf8');
    searchPath = [join(role, 'templates'), role];
  }
  for (const [k, v] of c.vars ?? []) vars.set(k, v);
  if (c.files?.size) {
    tmp = mkdtempSync(join(tmpdir(), 'tend-tpl-'));
    for (const [name, content] of c.files) {
      mkdirSync(dirname(join(tmp, name)), { recursive: true });
      writeFileSync(join(tmp, name), content);
    }
    searchPath = [tmp];
  }
  try {
    const lookup = templatingLookup(vars);
    if (c.expr !== undefined) return { repr: repr(compileExpression(c.expr).evaluateRaw(lookup)) };
    if (c.arg !== undefined) return { repr: repr(valueTemplater(lookup).template(c.arg)) };
    if (m.has('when')) return { repr: repr(evaluateConditional(c.when, lookup)) };
    const lookups = { searchPath: tmp ? [tmp] : [], env: { TEND_TEMPLATE_TEST: 'from the environment' }, commands: true };
    return { output: compileTemplate(text, { name: c.name, searchPath, lookups }).render(lookup) };
  } catch (e) {
    // An expression alone ends with Jinja2's own exception; a template with what do_template lets out.
    if (e instanceof TemplateError) return { error: { class: c.expr !== undefined ? e.pyClass : e.ansibleClass, message: e.message, ...(e.line === undefined ? {} : { line: e.line }) } };

    throw e;
  } finally {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  }
}

/** An error matches by its class, and by its line where Jinja2 knew one (syntax errors). */
function matches(got: Expected, want: Expected): boolean {
  if ('error' in want) return 'error' in got && got.error.class === want.error.class && (want.error.line === undefined || got.error.line === want.error.line);
  return JSON.stringify(got) === JSON.stringify(want);
}

let errorCases = 0;
let sameMessage = 0;

for (const file of readdirSync(join(HERE, 'cases')).filter((f) => f.endsWith('.yml')).sort()) {
  const stem = file.replace(/\.yml$/, '');
  if (only && only[0] !== stem) continue;
  const cases = yamlValues(readFileSync(join(HERE, 'cases', file), 'utf8')) as Map<string, unknown>[];
  const expected = JSON.parse(readFileSync(join(HERE, 'expected', `${stem}.json`), 'utf8')).results as Record<string, Expected>;
  describe(`templates: ${stem}`, () => {
    for (const m of cases) {
      const c = Object.fromEntries(m) as unknown as Case;
      if (only?.[1] && only[1] !== c.name) continue;
      if (c.deviation) {
        it(`${c.name} (differs: ${c.deviation})`, () => {
          deviations++;
          const got = run(c, m);
          assert.ok(!('error' in got) || !got.error.class.startsWith('crash'), 'renders or fails cleanly');
        });
        continue;
      }
      it(c.name, () => {
        const want = expected[c.name];
        assert.ok(want, `${c.name}: not recorded (run test/conformance/record-templates.py)`);
        total++;
        let got: Expected;
        try {
          got = run(c, m);
        } catch (e) {
          got = { error: { class: `crash: ${(e as Error).stack}`, message: '' } };
        }
        if (matches(got, want)) passed++;
        else failures.push(`${stem}/${c.name}`);
        if ('error' in want && 'error' in got) {
          errorCases++;
          // Ansible's message wraps Jinja2's; ours is Jinja2's (or Ansible's own filter message).
          if (want.error.message.includes(got.error.message)) sameMessage++;
        }
        assert.deepEqual(got, matches(got, want) ? got : want);
      });
    }
  });
}

after(() => {
  console.log(`template conformance: ${passed} of ${total} byte-equal to ansible-core 2.14 (${deviations} known differences not counted)`);
  console.log(`template errors: ${sameMessage} of ${errorCases} with Ansible's message text (the class, and a syntax error's line, always compared)`);
});
