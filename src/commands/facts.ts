// tend facts -i INV [--limit P] [--json]: what each host is, as playbooks see it in
// `facts` (and the ansible_* names): one small script per host, in parallel.
import { forEachHost } from '../engine/connect.ts';
import { FACTS_SNIPPET, parseFacts, type Facts } from '../engine/facts.ts';
import { probeBatch } from '../engine/batch.ts';
import { loadInventory, selectHosts } from '../inventory/index.ts';
import { printable } from '../report/printable.ts';
import { prepareHosts } from './connect-options.ts';
import { knownHostsFiles, positiveInt, useColour, type RunFlags } from './options.ts';

export type FactsFlags = RunFlags & { json?: boolean };

/** Prints the facts; returns the exit status (4 when some host was unreachable). */
export async function runFacts(flags: FactsFlags): Promise<number> {
  useColour(flags);
  const { hosts, keys } = await prepareHosts(selectHosts(loadInventory(flags.inventory), flags.limit), flags);
  const outcomes = await forEachHost(
    hosts,
    {
      forks: positiveInt(flags.forks, '--forks'),
      knownHostsFiles: knownHostsFiles(flags),
      acceptNewHostKeys: flags.acceptNewHostKeys === true,
      connectTimeoutMs: positiveInt(flags.timeout, '--timeout') * 1000,
      keys,
      become: () => false,
    },
    async (_host, transport): Promise<Facts> => {
      const batch = probeBatch([FACTS_SNIPPET]);
      const out = await transport.run(batch.script);
      return parseFacts(batch.parse(out.stdout)[0]!.stdout);
    },
  );
  const facts = Object.fromEntries(outcomes.map((o) => [o.host.name, o.value ?? { error: o.error?.message }]));
  if (flags.json) console.log(JSON.stringify(facts, null, 2));
  else {
    for (const o of outcomes) {
      if (!o.value) {
        console.log(`${o.host.name}: ${printable(o.error?.message ?? 'no answer')}`);
        continue;
      }
      const f = o.value;
      const v4 = f.default_ipv4 ? `${f.default_ipv4.address} on ${f.default_ipv4.interface}` : 'no default IPv4 route';
      console.log(
        printable(
          `${o.host.name}: ${f.os.name || f.os.id} ${f.os.version}${f.os.codename ? ` (${f.os.codename})` : ''}, family ${f.os.family}; ` +
            `${f.arch}, kernel ${f.kernel}; ${f.cpus} CPU(s), ${f.memory_mb} MB; ${f.fqdn}; ${v4}; ${f.init}; python3 ${f.python ? 'yes' : 'no'}`,
        ),
      );
    }
  }
  return outcomes.some((o) => o.error?.unreachable) ? 4 : outcomes.some((o) => o.error) ? 1 : 0;
}
