// SSH with ssh2: one connection per host for the whole run; every script is one exec
// channel on it, fed through stdin to /bin/sh. Host keys are verified before any
// authentication happens.
import { createReadStream, readFileSync } from 'node:fs';
import type { Duplex } from 'node:stream';
import ssh2 from 'ssh2';
import pLimit from 'p-limit';
import { RunOutput, type OutputMode } from './bounded-output.ts';
import type { Host } from '../inventory/index.ts';
import { quote, type ShellText } from '../shell.ts';
import { fingerprint, keyType, knownHostsName, type KnownHosts, type Verdict } from './known-hosts.ts';
import { sudoWithPassword, type SudoSession } from './become.ts';
import { expandHome } from '../local-user.ts';
import { keyFilesFor, type KeyRing } from './keys.ts';
import {
  HostKeyError,
  interruptCommand,
  limitedShell,
  newStats,
  scriptTag,
  TIMEOUT_GRACE_S,
  UnreachableError,
  type RunOptions,
  type RunResult,
  type Transport,
  limitedShellWithInput,
} from './types.ts';

export interface SshOptions {
  knownHosts: KnownHosts;
  acceptNewHostKeys: boolean;
  connectTimeoutMs: number;
  become: boolean;
  /** For sudo when it asks; without it, sudo must not ask (`sudo -n`). */
  becomePassword?: string;
  /** Opened key files (passphrases asked once); without it, key files are read as they are. */
  keys?: KeyRing;
}

// OpenSSH's sshd allows 10 sessions per connection (MaxSessions): stay under it.
const MAX_CHANNELS = 8;

const HOST_KEY_ALGORITHMS: Record<string, string[]> = {
  'ssh-ed25519': ['ssh-ed25519'],
  'ecdsa-sha2-nistp256': ['ecdsa-sha2-nistp256'],
  'ecdsa-sha2-nistp384': ['ecdsa-sha2-nistp384'],
  'ecdsa-sha2-nistp521': ['ecdsa-sha2-nistp521'],
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
};

export class SshTransport implements Transport {
  readonly stats = newStats();
  private client = new ssh2.Client();
  private readonly channels = pLimit(MAX_CHANNELS);
  /** Running scripts' tags (the shell's $1 on the host), to interrupt them by. */
  private readonly running = new Set<string>();
  private closed = false;
  /** Why the connection ended, once it has. */
  private lost?: string;

  constructor(
    private readonly host: Host,
    private readonly options: SshOptions,
  ) {}

  /** Connects directly, or over `sock` (a channel through a bastion). */
  connect(sock?: Duplex): Promise<void> {
    const { host, options } = this;
    const name = knownHostsName(host.address, host.port);
    const known = options.knownHosts.keysFor(name).filter((k) => !k.revoked);
    // Ask the server for a key of a type we know for it, as OpenSSH does; otherwise a
    // host known by its RSA key would be "changed" when it offers ed25519 first.
    const preferred = [...new Set(known.flatMap((k) => HOST_KEY_ALGORITHMS[k.type] ?? []))];
    const all = Object.values(HOST_KEY_ALGORITHMS).flat();
    let refusal: HostKeyError | undefined;
    const started = Date.now();

    return new Promise((resolve, reject) => {
      const fail = (e: Error) => {
        if (this.closed) return;
        this.closed = true;
        this.client.end();
        reject(refusal ?? new UnreachableError(describeConnectError(e, host)));
      };
      let ready = false;
      this.client.once('ready', () => {
        ready = true;
        this.stats.connectMs = Date.now() - started;
        resolve();
      });
      // ssh2 may report several errors for one failure (a reset, then "Connection lost
      // before handshake" when the socket closes): the listener stays for all of them,
      // as an unhandled 'error' event would end the run for every host. Before the
      // handshake an error fails the connect; after it, it ends the running scripts'
      // channels and is kept to say why.
      this.client.on('error', (e: Error) => {
        if (ready) this.lost ??= e.message;
        else fail(e);
      });
      this.client.once('close', () => {
        if (!this.closed) fail(new Error('connection closed during handshake'));
        this.closed = true;
      });
      try {
        this.client.connect({
          host: host.address,
          port: host.port,
          ...(sock ? { sock } : {}),
          username: host.user,
          readyTimeout: host.connectTimeoutS !== undefined ? host.connectTimeoutS * 1000 : options.connectTimeoutMs,
          // Three unanswered keepalives end the connection: a host whose link went down is
          // reported unreachable instead of holding the run. A keepalive every --timeout
          // seconds (at most 15): what is too slow to connect is too slow to answer.
          keepaliveInterval: Math.min(15_000, options.connectTimeoutMs),
          keepaliveCountMax: 3,
          algorithms: { serverHostKey: [...preferred, ...all.filter((a) => !preferred.includes(a))] as never },
          authHandler: authMethods(host, options.keys) as ssh2.AuthMethod[],
          hostVerifier: (key: Buffer) => {
            const verdict = options.knownHosts.verify(name, key);
            const offered = `${keyType(key)} ${fingerprint(key)}`;
            if (verdict.kind === 'known') return true;
            if (verdict.kind === 'unknown' && options.acceptNewHostKeys) {
              try {
                options.knownHosts.record(name, key);
                return true;
              } catch (e) {
                refusal = new HostKeyError(`host key of ${host.name} (${name}) could not be recorded: ${(e as Error).message}`);
                return false;
              }
            }
            refusal = new HostKeyError(refusalMessage(verdict, `${host.name} (${name})`, offered, options.knownHosts.files[0] ?? 'known_hosts'));
            return false;
          },
        });
      } catch (e) {
        fail(e as Error);
      }
    });
  }

  run(script: ShellText, options: RunOptions = {}): Promise<RunResult> {
    return this.channels(() => this.exec(script, options.timeoutS ?? 0, options.input, options.output));
  }

  /** `inner` as root when the run becomes root: directly, `sudo -n`, or sudo with a password. */
  private privileged(inner: string): { command: string; sudo?: SudoSession } {
    if (!this.options.become || this.host.user === 'root') return { command: inner };
    if (this.options.becomePassword === undefined) return { command: `sudo -n ${inner}` };
    const who = `${this.host.user}@${this.host.name}`;
    const sudo = sudoWithPassword(inner, this.options.becomePassword, who, Math.max(this.options.connectTimeoutMs, 10_000));
    return { command: sudo.command, sudo };
  }

  private exec(script: ShellText, timeoutS: number, input?: string, mode?: OutputMode): Promise<RunResult> {
    this.stats.roundTrips++;
    return new Promise((resolve, reject) => {
      if (this.closed) return reject(new UnreachableError(`${this.host.name}: the connection is closed${this.lost ? ` (${this.lost})` : ''}`));
      const tag = scriptTag();
      const { command, sudo } = this.privileged(input === undefined ? limitedShell(timeoutS, tag) : limitedShellWithInput(timeoutS, script.text, tag).map(quote).join(' '));
      if (input !== undefined && sudo) {
        return reject(new Error(`${this.host.name}: streaming a file (file src:) through sudo with a password is not supported; use NOPASSWD sudo or log in as root`));
      }
      this.client.exec(command, (err, stream) => {
        if (err) return reject(new UnreachableError(`${this.host.name}: cannot open a channel: ${err.message}`));
        this.running.add(tag);
        // Kept in bounded memory whatever the host prints (see bounded-output.ts).
        const output = new RunOutput(mode);
        let tooLarge: Error | undefined;
        const stopIfTooLarge = (fits: boolean) => {
          if (fits || tooLarge) return;
          tooLarge = output.overflow(this.host.name);
          // Closing the channel ends the script (its next write fails); the close below reports why.
          stream.close();
        };
        // The host ends the script itself at timeoutS; this guard is for a host that no
        // longer answers at all.
        const guard =
          timeoutS > 0
            ? setTimeout(() => {
                this.lost ??= `no answer ${timeoutS + TIMEOUT_GRACE_S} s into a script limited to ${timeoutS} s`;
                this.client.end();
              }, (timeoutS + TIMEOUT_GRACE_S) * 1000)
            : undefined;
        stream.on('data', (d: Buffer) => {
          this.stats.bytesReceived += d.length;
          stopIfTooLarge(output.stdout(d));
        });
        // With sudo's password, its prompt arrives on stderr: become.ts reads it there
        // and clean() takes it out afterwards.
        stream.stderr.on('data', (d: Buffer) => {
          this.stats.bytesReceived += d.length;
          stopIfTooLarge(output.stderr(d));
        });
        stream.on('close', (code: number | null, signal?: string) => {
          clearTimeout(guard);
          this.running.delete(tag);
          if (tooLarge) return reject(tooLarge);
          const { stdout, stderr, kept } = output.finish();
          if (becomeFailed) return reject(becomeFailed);
          if (code === null || code === undefined) {
            const why = this.lost ?? (signal ? `signal ${signal}` : 'the connection dropped');
            return reject(new UnreachableError(`${this.host.name}: connection lost while a script ran (${why})`));
          }
          // sudo's exchange (at the start of stderr) is taken out of what is shown.
          const shownErr = sudo ? sudo.clean(stderr) : stderr;
          if (kept) kept.stderr = { ...kept.stderr, bytes: shownErr, tailStart: Math.max(0, kept.stderr.tailStart - (stderr.length - shownErr.length)) };
          resolve({ code, stdout, stderr: shownErr, ...(kept ? { kept } : {}) });
        });
        let becomeFailed: Error | undefined;
        if (input !== undefined) {
          this.stream(input, stream);
          return;
        }
        const body = Buffer.from(script.text.endsWith('\n') ? script.text : `${script.text}\n`);
        this.stats.bytesSent += body.length;
        if (sudo) sudo.start(stream, body).catch((e: Error) => (becomeFailed = e));
        else stream.end(body);
      });
    });
  }

  /**
   * A file streamed into a channel, a chunk at a time. ssh2 passes the channel's
   * backpressure on, but writes its packets to the socket without heeding the socket's:
   * reading waits while the socket holds more than a few megabytes, so a file of any
   * size costs a bounded amount of memory.
   */
  private stream(input: string, channel: ssh2.ClientChannel): void {
    const file = createReadStream(input, { highWaterMark: 64 * 1024 });
    const socket = (this.client as unknown as { _sock?: Duplex })._sock;
    const LIMIT = 1024 * 1024;
    file.on('data', (chunk) => {
      this.stats.bytesSent += chunk.length;
      const channelFull = !channel.write(chunk);
      const socketFull = socket !== undefined && socket.writableLength > LIMIT;
      if (!channelFull && !socketFull) return;
      file.pause();
      let waiting = (channelFull ? 1 : 0) + (socketFull ? 1 : 0);
      const go = () => {
        if (--waiting === 0) file.resume();
      };
      if (channelFull) channel.once('drain', go);
      if (socketFull) socket!.once('drain', go);
    });
    file.on('end', () => channel.end());
    file.on('error', () => channel.close());
  }

  /** A stream to `address:port` as seen from this host: how a bastion carries the next hop. */
  forward(address: string, port: number): Promise<Duplex> {
    return new Promise((resolve, reject) => {
      if (this.closed) return reject(new UnreachableError(`${this.host.name}: the connection is closed`));
      this.client.forwardOut('127.0.0.1', 0, address, port, (err, stream) => {
        if (err) return reject(new UnreachableError(`${this.host.name} cannot reach ${address}:${port}: ${err.message}`));
        resolve(stream);
      });
    });
  }

  abort(): void {
    if (this.closed) return;
    this.lost ??= 'interrupted';
    if (this.running.size === 0) {
      void this.close();
      return;
    }
    // sshd does not pass a channel's signal request on to an exec session here, so the
    // scripts are interrupted from a channel of their own; their traps remove what they
    // staged, then the connection goes.
    const done = () => void this.close();
    const { command, sudo } = this.privileged(interruptCommand([...this.running]));
    this.client.exec(command, (err, stream) => {
      if (err) return done();
      stream.on('close', () => setTimeout(done, 1000).unref());
      stream.resume();
      if (sudo) sudo.start(stream, Buffer.alloc(0)).catch(done);
      else {
        stream.stderr.resume();
        stream.end();
      }
    });
    setTimeout(done, 5000).unref();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.client.end();
  }
}

/** Why a host key is refused, for people: which host, what it offered, what to do. */
function refusalMessage(verdict: Exclude<Verdict, { kind: 'known' }>, who: string, offered: string, file: string): string {
  switch (verdict.kind) {
    case 'revoked':
      return `host key of ${who} is revoked: ${offered}; refusing to connect`;
    case 'changed':
      return (
        `HOST KEY CHANGED for ${who}: it offered ${offered}, known_hosts expects ${verdict.expected.join(' or ')}. ` +
        `Refusing to connect: someone may be intercepting, or the host was rebuilt`
      );
    case 'unknown':
      if (verdict.certificateAuthority) {
        return (
          `host key of ${who} is not known: known_hosts trusts a certificate authority for it (${verdict.certificateAuthority}), ` +
          `but tend cannot verify host certificates; add the host's own key (it offered ${offered}) to ${file}`
        );
      }
      return `host key of ${who} is not known: it offered ${offered}. Check it, then add it to ${file} or run with --accept-new-host-keys`;
  }
}

/**
 * What to try, in ssh's order: the agent's identities, then the key files (the host's,
 * else the default ones that exist). rsa-sha2-256/512 signatures are negotiated by ssh2.
 */
function authMethods(host: Host, keys?: KeyRing): object[] {
  const methods: object[] = [];
  // IdentitiesOnly (ssh's config): the key files alone, as ssh would offer them.
  if (process.env.SSH_AUTH_SOCK && !host.identitiesOnly) methods.push({ type: 'agent', username: host.user, agent: process.env.SSH_AUTH_SOCK });
  for (const file of keyFilesFor(host.privateKey)) {
    const opened = keys?.get(file);
    if (opened) methods.push({ type: 'publickey', username: host.user, key: opened.key });
    else {
      try {
        methods.push({ type: 'publickey', username: host.user, key: readFileSync(expandHome(file)) });
      } catch (e) {
        throw new UnreachableError(`${host.name}: cannot read private key ${file}: ${(e as NodeJS.ErrnoException).code ?? e}`);
      }
    }
  }
  return methods;
}

/** What was offered, for "permission denied" messages. */
function offered(host: Host): string {
  const files = keyFilesFor(host.privateKey);
  const parts = [...(process.env.SSH_AUTH_SOCK ? ['the agent'] : []), ...files];
  return parts.length > 0 ? parts.join(', ') : 'no key (none given, no agent, no ~/.ssh/id_* file)';
}

function describeConnectError(e: Error & { code?: string; level?: string }, host: Host): string {
  const where = `${host.name} (${host.user}@${host.address}:${host.port})`;
  if (e.code === 'ECONNREFUSED') return `${where}: connection refused`;
  if (e.code === 'EHOSTUNREACH' || e.code === 'ENETUNREACH') return `${where}: no route to host`;
  if (e.code === 'ENOTFOUND') return `${where}: unknown host name`;
  if (e.level === 'client-timeout' || /Timed out/i.test(e.message)) return `${where}: timed out while connecting`;
  if (e.level === 'client-authentication') return `${where}: permission denied (publickey) for ${host.user}@${host.name} with ${offered(host)}`;
  return `${where}: ${e.message}`;
}
