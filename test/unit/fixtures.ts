// Real probe output captured from fleet hosts (test/fixtures/capture.ts), for plan tests.
import { readFileSync } from 'node:fs';
import type { Probed } from '../../src/engine/task.ts';
import { modules } from '../../tasks/index.ts';

export function fixture(name: string, label: 'fresh' | 'installed' | 'converged'): { params: unknown; probed: Probed } {
  const data = JSON.parse(readFileSync(new URL(`../fixtures/probes/${name}.${label}.json`, import.meta.url), 'utf8'));
  return { params: data.params, probed: { code: data.code, stdout: data.stdout, stderr: '' } };
}

/** plan(params, probed) for a module by name, with params parsed by its schema. */
export function plan(name: string, params: unknown, probed: Probed) {
  const module = modules.get(name)!;
  return module.plan(module.params.parse(params), probed);
}

export function commandsText(p: { commands: { text: string }[] }): string {
  return p.commands.map((c) => c.text).join('\n');
}
