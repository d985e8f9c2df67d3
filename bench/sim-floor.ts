// The floor for the simulated fleet: the least a controller can do per host — one ssh2
// connection, one exec of the same probe script tend sends, its output read, nothing
// parsed, planned or reported — with as many hosts at once as tend's --forks.
//
//   npx tsx bench/sim-floor.ts PORT KEY SCRIPT FORKS COUNT (hosts sim-00001… at simAddress(0)…)
// Prints "ok N" when every host answered with exit 0.
import { readFileSync } from 'node:fs';
import pLimit from 'p-limit';
import ssh2 from 'ssh2';
import { simAddress, simName } from './sim-address.ts';

const [port, keyFile, scriptFile, forks, count] = process.argv.slice(2);
const hosts = Array.from({ length: Number(count) }, (_, i) => i);
const key = readFileSync(keyFile!);
const script = readFileSync(scriptFile!);
const limit = pLimit(Number(forks));

function probe(i: number): Promise<number> {
  return new Promise((resolve) => {
    const client = new ssh2.Client();
    client.on('error', () => resolve(255));
    client.on('ready', () => {
      client.exec('/bin/sh -s', (err, stream) => {
        if (err) return resolve(255);
        stream.on('data', () => {});
        stream.stderr.on('data', () => {});
        stream.on('close', (code: number) => {
          client.end();
          resolve(code ?? 255);
        });
        stream.end(script);
      });
    });
    // The floor trusts the simulated host's key: verifying it is tend's cost, not the floor's.
    client.connect({ host: simAddress(i), port: Number(port), username: simName(i), privateKey: key, hostVerifier: () => true });
  });
}

const codes = await Promise.all(hosts.map((h) => limit(() => probe(h))));
const failed = codes.filter((c) => c !== 0).length;
process.stdout.write(failed === 0 ? `ok ${codes.length}\n` : `failed ${failed} of ${codes.length}\n`);
process.exitCode = failed === 0 ? 0 : 1;
