// tend as users install it: `npm pack`, the tarball unpacked into a temporary place and
// its runtime dependencies installed there — offline, from the npm cache `npm ci`
// filled, pinned by the project's lockfile (tests reach no registry; an `npm install -g`
// would resolve the same ranges online). The command runs from the bundle, without tsx
// or the sources.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { jsonReport } from '../../src/report/json.ts';
import { ROOT } from './helpers.ts';

describe('the packed tarball, installed', () => {
  it('ships what runs, installs, and answers --version, validate and report html', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tend-pack-'));
    const name = execFileSync('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8' }).trim().split('\n').pop()!;
    execFileSync('tar', ['-xzf', join(dir, name), '-C', dir]);
    const installed = join(dir, 'package');
    assert.deepEqual(readdirSync(installed).sort(), ['README.md', 'bin', 'dist', 'inventories', 'package.json', 'playbooks', 'schema']);
    copyFileSync(join(ROOT, 'package-lock.json'), join(installed, 'package-lock.json'));
    execFileSync('npm', ['ci', '--omit=dev', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: installed, stdio: 'pipe' });
    assert.equal(existsSync(join(installed, 'node_modules', 'tsx')), false, 'tsx is a development tool');
    assert.equal(existsSync(join(installed, 'node_modules', 'esbuild')), false, 'esbuild is a development tool');
    const tend = join(installed, 'bin', 'tend.js');
    const version = execFileSync(tend, ['--version'], { encoding: 'utf8' }).trim();
    assert.match(version, /^\d+\.\d+\.\d+$/);
    const valid = execFileSync(tend, ['validate', join(installed, 'playbooks', 'postfix-sasl-tls.yml')], { encoding: 'utf8' });
    assert.match(valid, /postfix-sasl-tls\.yml: valid/);
    // The HTML report inlines diff2html from the installed dependencies.
    const report = join(dir, 'report.json');
    // A report as --json writes it (saved reports are checked against their schema on read).
    writeFileSync(report, JSON.stringify(jsonReport({ mode: 'check', durationMs: 1, hosts: [] }, { playbook: 'p.yml', inventory: 'i.yml', startedAt: new Date(0) })));
    execFileSync(tend, ['report', 'html', report], { encoding: 'utf8' });
    assert.match(readFileSync(join(dir, 'report.html'), 'utf8'), /Diff2Html/);
  });
});
