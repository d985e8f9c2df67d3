// How many SSH handshakes are in flight: at most 10 to any one sshd (OpenSSH's
// MaxStartups), but hosts on different servers handshake together, up to --forks.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { forEachHost } from '../../src/engine/connect.ts';
import type { Host } from '../../src/inventory/index.ts';
import { newStats, type Transport } from '../../src/transport/types.ts';

/** Runs 60 hosts whose connect takes 20 ms; returns the most connects seen at once. */
async function peakConnects(addressOf: (i: number) => string, portOf: (i: number) => number = () => 22): Promise<number> {
  let now = 0;
  let peak = 0;
  const transport = (): Transport =>
    ({
      stats: newStats(),
      connect: async () => {
        peak = Math.max(peak, ++now);
        await new Promise((r) => setTimeout(r, 20));
        now--;
      },
      run: async () => ({ code: 0, stdout: Buffer.alloc(0), stderr: Buffer.alloc(0) }),
      close: async () => {},
      abort: () => {},
    }) as unknown as Transport;
  const hosts = Array.from({ length: 60 }, (_, i) => ({ name: `h${i}`, connection: 'ssh', address: addressOf(i), port: portOf(i), user: 'root', groups: ['all'], vars: {} }) as Host);
  await forEachHost(hosts, { forks: 50, knownHostsFiles: [], acceptNewHostKeys: false, connectTimeoutMs: 1000, become: () => false, transportFor: transport }, async () => 0);
  return peak;
}

describe('handshakes in flight', () => {
  it('at most 10 to one server, however many inventory names it has', async () => {
    assert.equal(await peakConnects(() => '10.0.0.1'), 10);
  });
  it('one server is an address and a port: ten ports of one address are ten servers', async () => {
    assert.ok((await peakConnects(() => '10.0.0.1', (i) => 2200 + (i % 10))) > 10);
  });
  it('different servers handshake at once, up to --forks', async () => {
    assert.equal(await peakConnects((i) => `10.0.${i}.1`), 50);
  });
});

describe('a host tend cannot contact', () => {
  it('is unreachable with its reason, never connected to, and the others go on', async () => {
    const connected: string[] = [];
    const transport = (host: Host): Transport =>
      ({
        stats: newStats(),
        connect: async () => void connected.push(host.name),
        run: async () => ({ code: 0, stdout: Buffer.alloc(0), stderr: Buffer.alloc(0) }),
        close: async () => {},
        abort: () => {},
      }) as unknown as Transport;
    const host = (name: string, unreachable?: string) => ({ name, connection: 'ssh', address: name, port: 22, user: 'root', groups: ['all'], vars: {}, ...(unreachable ? { unreachable } : {}) }) as Host;
    const hosts = [host('good1'), host('bad', 'private key ~/.ssh/aws.pem cannot be read (ENOENT)'), host('good2')];
    const outcomes = await forEachHost(hosts, { forks: 5, knownHostsFiles: [], acceptNewHostKeys: false, connectTimeoutMs: 1000, become: () => false, transportFor: transport }, async (h) => h.name);
    assert.deepEqual(connected.sort(), ['good1', 'good2']);
    assert.deepEqual(
      outcomes.map((o) => [o.host.name, o.value ?? null, o.error ?? null]),
      [
        ['good1', 'good1', null],
        ['bad', null, { message: 'bad: private key ~/.ssh/aws.pem cannot be read (ENOENT)', unreachable: true }],
        ['good2', 'good2', null],
      ],
    );
  });
});
