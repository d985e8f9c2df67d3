// A simulated fleet for `npm run bench -- --simulated N,…`: one process, one SSH server
// per simulated host, each on its own loopback address (simAddress(i): 127.1.x.y, all
// loopback) so that, as in a real fleet, every host is a different sshd. A host runs
// nothing: it answers the probe script tend (or the floor client) sends with the output
// each probe gave on a real converged fleet host, framed with the script's own token, so
// what is measured is the controller's cost per host, not the hosts'.
//
//   npx tsx bench/sim-server.ts PORT HOST_KEY CAPTURE.json COUNT
// CAPTURE.json: { probes: [{ stdout, code, stderr }, …] } in the order the batch frames them.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import ssh2 from 'ssh2';
import { simAddress } from './sim-address.ts';

const [port, hostKeyFile, captureFile, count] = process.argv.slice(2);
const capture = JSON.parse(readFileSync(captureFile!, 'utf8')) as { probes: { stdout: string; code: number; stderr: string }[] };

/** The framed answer to one probe script, or undefined when it is not the captured batch. */
function answer(script: string): string | undefined {
  const token = /'@@([0-9a-f]+) 0 out'/.exec(script)?.[1];
  if (token === undefined) return undefined;
  const count = [...script.matchAll(new RegExp(`'@@${token} (\\d+) out'`, 'g'))].length;
  if (count !== capture.probes.length) return undefined;
  const mark = `@@${token}`;
  return capture.probes
    .map((p, i) => {
      const err = p.stderr === '' ? '' : `${mark} ${i} err\n${p.stderr}\n${mark} ${i} errend\n`;
      return `${mark} ${i} out\n${p.stdout}\n${mark} ${i} end ${p.code}\n${err}`;
    })
    .join('');
}

let sessions = 0;
const server = new ssh2.Server({ hostKeys: [readFileSync(hostKeyFile!)] }, (client) => {
  client.on('authentication', (ctx) => (ctx.method === 'publickey' || ctx.method === 'none' ? ctx.accept() : ctx.reject(['publickey'])));
  client.on('ready', () => {
    client.on('session', (accept) => {
      const session = accept();
      session.on('exec', (acceptExec) => {
        const stream = acceptExec();
        sessions++;
        const chunks: Buffer[] = [];
        stream.on('data', (d: Buffer) => chunks.push(d));
        stream.on('end', () => {
          const reply = answer(Buffer.concat(chunks).toString('utf8'));
          if (reply === undefined) {
            stream.stderr.write('sim-server: not the captured probe batch\n');
            stream.exit(1);
          } else {
            stream.write(reply);
            stream.exit(0);
          }
          stream.end();
        });
      });
    });
  });
  client.on('error', () => {});
});
// One listener per simulated host, all handing their connections to the one SSH server.
let listening = 0;
for (let i = 0; i < Number(count); i++) {
  createServer((socket) => server.injectSocket(socket)).listen(Number(port), simAddress(i), () => {
    if (++listening === Number(count)) process.stdout.write('ready\n');
  });
}
process.on('SIGTERM', () => {
  process.stderr.write(`sim-server: ${sessions} scripts answered\n`);
  process.exit(0);
});
