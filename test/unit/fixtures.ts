// Real probe output captured from fleet hosts (test/fixtures/capture.ts), for plan tests.
import { readFileSync } from 'node:fs';
import { probedFrom, type Probed } from '../../src/module.ts';
import { modules } from '../../tasks/index.ts';
import { CHASE_FUNCTIONS } from '../../tasks/lib/safe-path.ts';

export function fixture(name: string, label: 'fresh' | 'installed' | 'converged'): { params: unknown; probed: Probed } {
  const data = JSON.parse(readFileSync(new URL(`../fixtures/probes/${name}.${label}.json`, import.meta.url), 'utf8'));
  return { params: data.params, probed: probedFrom(data.sections, data.code) };
}

/** plan(params, probed) for a module by name, with params parsed by its schema. */
export function plan(name: string, params: unknown, probed: Probed) {
  const module = modules.get(name)!;
  return module.plan(module.params.parse(params), probed);
}

/** Probe output for plan tests: one string per snippet. */
export function out(...sections: string[]): Probed {
  return probedFrom(sections);
}

/** A fixture's probe output with section `i` rewritten. */
export function withSection(probed: Probed, i: number, rewrite: (s: string) => string): Probed {
  const sections = probed.sections.map((s, k) => (k === i ? rewrite(s) : s));
  return probedFrom(sections, probed.code, probed.stderr);
}

export function commandsText(p: { commands: { text: string }[] }): string {
  return p.commands.map((c) => c.text).join('\n');
}

/** A module's probe script as text (several snippets joined), for tests of its shape. */
export function probeText(name: string, params: unknown): string {
  const module = modules.get(name)!;
  const probe = module.probe(module.params.parse(params));
  return (Array.isArray(probe) ? probe : [probe]).map((p: { text: string }) => p.text).join('\n');
}

/** A script without the safe walk's function definitions (they are tested on their own in safe-path.test.ts). */
export function walked(script: string): string {
  return script.replaceAll(`${CHASE_FUNCTIONS.text}\n`, '');
}
