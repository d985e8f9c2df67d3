// Host entries as Ansible reads them in INI and YAML inventories: an optional port
// (`host:port`, `[ipv6]:port`, `[host]:port`), then ranges expanded — numeric with an
// optional step and leading zeros (`web[01:10:2]`), alphabetic (`db-[a:c]`), several
// in one name. What does not parse as a host with a port is taken whole as a name,
// as Ansible takes it.
import { InputError, type SourceLocation } from '../errors.ts';

const NUMERIC_RANGE = String.raw`\[(?:[0-9]+:[0-9]+)(?::[0-9]+)?\]`;
const HEX_RANGE = String.raw`\[(?:[0-9a-f]+:[0-9a-f]+)(?::[0-9]+)?\]`;
const ALNUM_RANGE = String.raw`\[(?:[a-z]:[a-z]|[0-9]+:[0-9]+)(?::[0-9]+)?\]`;
const V6 = String.raw`(?:[0-9a-f]{1,4}|${HEX_RANGE})`;
const V4 = String.raw`(?:[01]?[0-9]{1,2}|2[0-4][0-9]|25[0-5]|${NUMERIC_RANGE})`;
const LABEL = String.raw`(?:[\p{L}\p{N}_]|${ALNUM_RANGE})(?:[\p{L}\p{N}_-]|${ALNUM_RANGE})*(?<![_-])`;

const BRACKETED_HOSTPORT = /^\[(.+)\]:([0-9]+)$/;
const HOSTPORT = /^((?:[^:[\]]|\[[^\]]*\])*):([0-9]+)$/;
const IPV4 = new RegExp(String.raw`^(?:${V4}\.){3}${V4}$`, 'i');
// As in Ansible, only the first alternative is anchored at the end by nothing and only
// the last one by `$`: a name that starts like an IPv6 address (`fe80::1%eth0`) is one.
const IPV6 = new RegExp(
  '^(?:' +
    [
      String.raw`(?:${V6}:){7}${V6}`,
      String.raw`(?:${V6}:){1,6}:`,
      String.raw`(?:${V6}:)(?::${V6}){1,6}`,
      String.raw`(?:${V6}:){2}(?::${V6}){1,5}`,
      String.raw`(?:${V6}:){3}(?::${V6}){1,4}`,
      String.raw`(?:${V6}:){4}(?::${V6}){1,3}`,
      String.raw`(?:${V6}:){5}(?::${V6}){1,2}`,
      String.raw`(?:${V6}:){6}(?::${V6})`,
      String.raw`:(?::${V6}){1,6}`,
      String.raw`${V6}?::`,
      String.raw`(?:0:){6}(?:${V6}\.){3}${V6}`,
      String.raw`::(?:ffff:)?(?:${V6}\.){3}${V6}`,
      String.raw`(?:0:){5}ffff:(?:${V6}\.){3}${V6}$`,
    ].join('|') +
    ')',
  'i',
);
const HOSTNAME = new RegExp(String.raw`^${LABEL}(?:\.${LABEL})*$`, 'iu');

/** `host[:port]` as Ansible's parse_address reads it; undefined when it is not one. */
export function parseAddress(text: string): { host: string; port?: number } | undefined {
  let address = text;
  let port: number | undefined;
  for (const re of [BRACKETED_HOSTPORT, HOSTPORT]) {
    const m = re.exec(address);
    if (m) {
      address = m[1]!;
      port = Number(m[2]);
    }
  }
  if (IPV4.test(address) || IPV6.test(address) || HOSTNAME.test(address)) return { host: address, ...(port === undefined ? {} : { port }) };
  return undefined;
}

/** More hosts than this from one entry is a typo, not a fleet. */
export const MAX_RANGE_HOSTS = 100_000;

/**
 * An inventory host entry → host names and the port they share. Ranges are expanded
 * as Ansible expands them; a malformed range is an error at `location`.
 */
export function expandHostEntry(entry: string, location?: SourceLocation): { names: string[]; port?: number } {
  const parsed = parseAddress(entry);
  const pattern = parsed?.host ?? entry;
  const port = parsed?.port;
  if (entry.trim().endsWith(':') && port === undefined) {
    throw new InputError(`host '${entry}': a name cannot end in ':' (it introduces a port)`, location);
  }
  const names = pattern.includes('[') ? expandRanges(pattern, location) : [pattern];
  return { names, ...(port === undefined ? {} : { port }) };
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

function expandRanges(name: string, location?: SourceLocation): string[] {
  const open = name.indexOf('[');
  const close = name.indexOf(']', open);
  if (open < 0) return [name];
  if (close < 0) throw new InputError(`host '${name}': a range needs its closing ']'`, location);
  const head = name.slice(0, open);
  const tail = name.slice(close + 1);
  const bounds = name.slice(open + 1, close).split(':');
  if (bounds.length !== 2 && bounds.length !== 3) throw new InputError(`host range '${name}' must be [begin:end] or [begin:end:step]`, location);
  const [begin = '0', end = '', stepText = '1'] = bounds;
  const from = begin === '' ? '0' : begin;
  if (end === '') throw new InputError(`host range '${name}' must give its end`, location);
  const step = Number(stepText);
  if (!Number.isInteger(step) || step < 1) throw new InputError(`host range '${name}': the step must be a whole number, 1 or more`, location);
  const width = from.length > 1 && from.startsWith('0') ? from.length : 0;
  if (width > 0 && end.length !== width) throw new InputError(`host range '${name}': begin and end must have the same width (${from}, ${end})`, location);
  let items: string[];
  const a = LETTERS.indexOf(from);
  const b = LETTERS.indexOf(end);
  if (a >= 0 && b >= 0 && from.length === 1 && end.length === 1) {
    if (a > b) throw new InputError(`host range '${name}' must have begin <= end`, location);
    items = [];
    for (let i = a; i <= b; i += step) items.push(LETTERS[i]!);
  } else {
    if (!/^\d+$/.test(from) || !/^\d+$/.test(end)) throw new InputError(`host range '${name}' must be numbers or single letters`, location);
    const lo = Number(from);
    const hi = Number(end);
    if (Math.floor((hi - lo) / step) + 1 > MAX_RANGE_HOSTS) throw new InputError(`host range '${name}' makes more than ${MAX_RANGE_HOSTS} hosts`, location);
    items = [];
    for (let n = lo; n <= hi; n += step) items.push(width > 0 ? String(n).padStart(width, '0') : String(n));
  }
  if (items.length === 0) return [];
  // Every name has the same ranges left: the first one tells how many each makes.
  const inner = expandRanges(`${head}${items[0]}${tail}`, location).length;
  if (items.length * inner > MAX_RANGE_HOSTS) throw new InputError(`host range '${name}' makes more than ${MAX_RANGE_HOSTS} hosts`, location);
  return items.flatMap((item) => expandRanges(`${head}${item}${tail}`, location));
}
