// tend report html REPORT.json [-o FILE]: a saved report (one run, or shards merged by
// `tend report merge`) as the self-contained HTML page --html writes after a run.
import { exitCode } from '../engine/results.ts';
import { jsonReport } from '../report/json.ts';
import { readReport, runFromReport } from '../report/read.ts';
import { writeHtmlReport } from './playbook.ts';

/** Writes the page; returns the line that says where. */
export async function reportToHtml(file: string, output?: string): Promise<string> {
  const saved = await readReport(file);
  const run = runFromReport(saved);
  // Read back through the run, so the page is made from exactly what --html makes it from.
  const code = saved.exitCode ?? exitCode(run, false);
  const doc = {
    ...jsonReport(run, {
      playbook: saved.playbook,
      inventory: saved.inventory,
      startedAt: new Date(saved.startedAt),
      exitCode: code,
      ...(saved.limit !== undefined ? { limit: saved.limit } : {}),
      ...(saved.shard !== undefined ? { shard: saved.shard } : {}),
    }),
    ...(saved.merged ? { merged: saved.merged } : {}),
  };
  const target = output ?? file.replace(/\.json$/i, '') + '.html';
  await writeHtmlReport(target, doc, code);
  return `${target}: ${run.hosts.length} host(s), exit code ${code}`;
}
