// A server that drops the connection during the handshake makes ssh2 report more than
// one error (the reset, then "Connection lost before handshake"). Each must reach the
// connect promise's rejection and none may escape as an unhandled 'error' event, which
// would end the whole run for every host. Loopback only.
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Host } from '../../src/inventory/index.ts';
import { KnownHosts } from '../../src/transport/known-hosts.ts';
import { SshTransport } from '../../src/transport/ssh.ts';

describe('ssh handshake cut short', () => {
  let server: Server;
  let port: number;
  before(async () => {
    let n = 0;
    server = createServer((socket: Socket) => {
      // Ways a connection ends before the handshake: reset once connected (before any
      // greeting), closed at once, reset after sshd's greeting.
      const way = n++ % 3;
      if (way === 0) setTimeout(() => socket.resetAndDestroy(), 30);
      else if (way === 1) socket.destroy();
      else {
        socket.write('SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n');
        setTimeout(() => socket.resetAndDestroy(), 20);
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  after(() => server.close());

  it('rejects as unreachable, with no error left unhandled', async () => {
    const unhandled: Error[] = [];
    const onUncaught = (e: Error) => unhandled.push(e);
    process.on('uncaughtException', onUncaught);
    try {
      for (let i = 0; i < 20; i++) {
        const host = { name: `reset-${i}`, address: '127.0.0.1', port, user: 'root', vars: {} } as unknown as Host;
        const transport = new SshTransport(host, { knownHosts: KnownHosts.load([]), acceptNewHostKeys: false, connectTimeoutMs: 5000, become: false });
        await assert.rejects(transport.connect(), (e: Error) => e.name === 'UnreachableError' || /unreachable|reset|closed|lost/i.test(e.message));
      }
      // Late errors arrive on the next turns of the event loop.
      await new Promise((resolve) => setTimeout(resolve, 200));
    } finally {
      process.off('uncaughtException', onUncaught);
    }
    assert.deepEqual(unhandled.map((e) => e.message), []);
  });
});
