#!/usr/bin/env node
// tend's command line. `npm ci` builds dist/cli.js (one esbuild bundle: starts in about
// half the time). When the sources are newer than the bundle (while developing), the
// TypeScript runs directly through tsx instead, so a stale bundle never runs.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const bundle = join(root, 'dist/cli.js');

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function bundleIsFresh() {
  // An installed package ships the bundle and no sources: the bundle is what runs.
  if (!existsSync(join(root, 'src'))) return true;
  try {
    return statSync(bundle).mtimeMs >= Math.max(newestSource(join(root, 'src')), newestSource(join(root, 'tasks')));
  } catch {
    return false;
  }
}

if (bundleIsFresh()) {
  await import(bundle);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli.ts');
}
