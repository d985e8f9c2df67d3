// How a jump (ProxyJump) is written: `[user@]host[:port],…`, in ssh's config, or in an
// inventory's `ansible_ssh_common_args` as `-J spec` or `-o ProxyJump=spec`. Kept apart
// from the connections themselves, so reading an inventory loads no SSH code.
import { InputError } from '../errors.ts';
import { shlexSplit } from '../shlex.ts';

export interface JumpHop {
  user?: string;
  address: string;
  port: number;
}

/** `[user@]host[:port],…` (ssh -J syntax; `[v6]:port` too) → hops, first to last. */
export function parseJumpSpec(spec: string, where = 'ProxyJump'): JumpHop[] {
  return spec.split(',').map((part) => {
    const m = /^(?:([^@\s]+)@)?(\[[^\]]+\]|[^:@\s[\]]+)(?::(\d+))?$/.exec(part.trim());
    if (!m) throw new InputError(`${where} '${spec}': '${part}' is not [user@]host[:port]`);
    const address = m[2]!.replace(/^\[(.*)\]$/, '$1');
    return { ...(m[1] ? { user: m[1] } : {}), address, port: m[3] ? Number(m[3]) : 22 };
  });
}

/**
 * A jump spec from `ansible_ssh_common_args` (`-J spec`, `-o ProxyJump=spec`), if any. The
 * arguments are split into words as Ansible splits them (shlex), so quotes go:
 * `-o ProxyJump="b1"` is b1. Text shlex cannot split (an unclosed quote) is split at blanks.
 */
export function jumpFromSshArgs(args: string): string | undefined {
  let words: string[];
  try {
    words = shlexSplit(args);
  } catch {
    words = args.trim().split(/\s+/);
  }
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === '-J') return words[i + 1];
    if (w.startsWith('-J')) return w.slice(2);
    const option = w === '-o' ? words[i + 1] : w.startsWith('-o') ? w.slice(2) : undefined;
    const m = option ? /^ProxyJump[= ](.+)$/i.exec(option) : undefined;
    if (m) return m[1];
  }
  return undefined;
}

