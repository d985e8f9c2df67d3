// The unit test files of one part of the suite: every file of test/unit/*.test.ts, in name
// order, taking every `of`-th from `index` on. Two parts run in two processes at once
// (test/unit/part-1.mts, part-2.mts): on this 2-core machine the suite then takes about
// half as long as in one process, without paying tsx's start-up once per file.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export async function loadPart(index: number, of: number): Promise<void> {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const files = readdirSync(here).filter((n) => n.endsWith('.test.ts')).sort();
  for (const [k, name] of files.entries()) if (k % of === index) await import(here + name);
}
