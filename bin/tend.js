#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx: no build step between a clone and
// `npx tend`. tsx's ESM loader is registered for this process only.
import { register } from 'tsx/esm/api';
register();
await import('../src/cli.ts');
