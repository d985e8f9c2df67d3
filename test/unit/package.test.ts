// package: apt's probe and plan under Ansible's generic name and states.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { probedFrom } from '../../src/module.ts';
import apt from '../../tasks/builtin/apt.ts';
import pkg from '../../tasks/builtin/package.ts';

function fixture(label: string) {
  const data = JSON.parse(readFileSync(new URL(`../fixtures/probes/apt.${label}.json`, import.meta.url), 'utf8'));
  return { name: data.params.name as string[], probed: probedFrom(data.sections, data.code) };
}
const text = (s: unknown) => JSON.stringify(s);

describe('package', () => {
  it("probes and plans as apt does, on a fresh and a converged host's probe output", () => {
    for (const label of ['fresh', 'converged']) {
      const { name, probed } = fixture(label);
      for (const [state, aptState] of [['present', 'present'], ['installed', 'present'], ['latest', 'latest'], ['absent', 'absent'], ['removed', 'absent']] as const) {
        const p = pkg.params.parse({ name, state });
        const a = apt.params.parse({ name, state: aptState });
        assert.equal(text(pkg.probe(p)), text(apt.probe(a)), `${label} ${state}`);
        assert.deepEqual(pkg.plan(p, probed), apt.plan(a, probed), `${label} ${state}`);
      }
    }
    assert.ok(pkg.plan(pkg.params.parse({ name: fixture('fresh').name, state: 'installed' }), fixture('fresh').probed).commands.length > 0);
  });
  it('takes one name or a list, use auto or apt; state is required, as in Ansible', () => {
    assert.deepEqual(pkg.params.parse({ name: 'procmail', state: 'present', use: 'apt' }), { use: 'apt', apt: apt.params.parse({ name: 'procmail' }) });
    assert.equal(pkg.params.safeParse({ name: 'procmail' }).success, false);
  });
  it('refuses another package manager by name, and a name apt would refuse, with apt’s reason', () => {
    const yum = pkg.params.safeParse({ name: 'procmail', state: 'present', use: 'yum' });
    assert.equal(yum.success, false);
    assert.match(yum.error!.issues[0]!.message, /use: yum is not available: tend's package module runs apt only/);
    const bad = pkg.params.safeParse({ name: '-oAPT::x', state: 'present' });
    assert.equal(bad.success, false);
    assert.match(bad.error!.issues[0]!.message, /a Debian package name/);
  });
});
