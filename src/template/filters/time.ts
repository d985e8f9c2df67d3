// Dates and times: the strftime filter (C's strftime on an epoch, local or UTC), to_datetime
// (strptime), now() and a datetime value with Python's attributes, str(), arithmetic
// (a difference is a timedelta: days, seconds, total_seconds()) and strftime().
import { PyError, typeError } from '../errors.ts';
import type { FilterDef } from '../eval.ts';
import { Builtin, MISSING, type HasAttrs } from '../objects.ts';
import { float, isNumber, num, str } from '../values.ts';
import { define } from './util.ts';

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const pad = (n: number, w = 2, c = '0') => String(n).padStart(w, c);

interface Parts {
  y: number;
  mo: number; // 1-12
  d: number;
  h: number;
  mi: number;
  s: number;
  us: number;
  wd: number; // 0 = Sunday
  offsetMin: number; // east of UTC
  zone: string;
  epoch: number;
}

function partsOf(epochMs: number, utc: boolean): Parts {
  const dt = new Date(epochMs);
  const g = (local: () => number, u: () => number) => (utc ? u() : local());
  const offsetMin = utc ? 0 : -dt.getTimezoneOffset();
  const zone = utc ? 'GMT' : (new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' }).formatToParts(dt).find((p) => p.type === 'timeZoneName')?.value ?? '');
  return {
    y: g(() => dt.getFullYear(), () => dt.getUTCFullYear()),
    mo: g(() => dt.getMonth(), () => dt.getUTCMonth()) + 1,
    d: g(() => dt.getDate(), () => dt.getUTCDate()),
    h: g(() => dt.getHours(), () => dt.getUTCHours()),
    mi: g(() => dt.getMinutes(), () => dt.getUTCMinutes()),
    s: g(() => dt.getSeconds(), () => dt.getUTCSeconds()),
    us: Math.round((epochMs - Math.floor(epochMs / 1000) * 1000) * 1000) % 1_000_000,
    wd: g(() => dt.getDay(), () => dt.getUTCDay()),
    offsetMin,
    zone: zone === 'GMT' && offsetMin === 0 && !utc ? 'UTC' : zone,
    epoch: Math.floor(epochMs / 1000),
  };
}

function yday(p: Parts): number {
  return Math.round((Date.UTC(p.y, p.mo - 1, p.d) - Date.UTC(p.y, 0, 1)) / 86_400_000) + 1;
}

/** C's strftime, with glibc's directives. */
export function strftime(format: string, p: Parts): string {
  return format.replace(/%([-_0^#]?)([a-zA-Z%+])/g, (all, flag: string, c: string) => {
    const n = (v: number, w = 2) => (flag === '-' ? String(v) : flag === '_' ? pad(v, w, ' ') : pad(v, w));
    const h12 = p.h % 12 === 0 ? 12 : p.h % 12;
    const week = (startMonday: boolean) => Math.floor((yday(p) + 6 - ((p.wd + (startMonday ? 6 : 0)) % 7)) / 7);
    switch (c) {
      case 'a': return DAYS[p.wd]!.slice(0, 3);
      case 'A': return DAYS[p.wd]!;
      case 'b': case 'h': return MONTHS[p.mo - 1]!.slice(0, 3);
      case 'B': return MONTHS[p.mo - 1]!;
      case 'c': return `${DAYS[p.wd]!.slice(0, 3)} ${MONTHS[p.mo - 1]!.slice(0, 3)} ${pad(p.d, 2, ' ')} ${pad(p.h)}:${pad(p.mi)}:${pad(p.s)} ${p.y}`;
      case 'C': return n(Math.floor(p.y / 100));
      case 'd': return n(p.d);
      case 'D': return `${pad(p.mo)}/${pad(p.d)}/${pad(p.y % 100)}`;
      case 'e': return flag === '-' ? String(p.d) : pad(p.d, 2, flag === '0' ? '0' : ' ');
      case 'f': return pad(p.us, 6);
      case 'F': return `${p.y}-${pad(p.mo)}-${pad(p.d)}`;
      case 'H': return n(p.h);
      case 'I': return n(h12);
      case 'j': return n(yday(p), 3);
      case 'k': return pad(p.h, 2, ' ');
      case 'l': return pad(h12, 2, ' ');
      case 'm': return n(p.mo);
      case 'M': return n(p.mi);
      case 'n': return '\n';
      case 'p': return p.h < 12 ? 'AM' : 'PM';
      case 'P': return p.h < 12 ? 'am' : 'pm';
      case 'r': return `${pad(h12)}:${pad(p.mi)}:${pad(p.s)} ${p.h < 12 ? 'AM' : 'PM'}`;
      case 'R': return `${pad(p.h)}:${pad(p.mi)}`;
      case 's': return String(p.epoch);
      case 'S': return n(p.s);
      case 't': return '\t';
      case 'T': return `${pad(p.h)}:${pad(p.mi)}:${pad(p.s)}`;
      case 'u': return String(p.wd === 0 ? 7 : p.wd);
      case 'U': return n(week(false));
      case 'w': return String(p.wd);
      case 'W': return n(week(true));
      case 'x': return `${pad(p.mo)}/${pad(p.d)}/${pad(p.y % 100)}`;
      case 'X': return `${pad(p.h)}:${pad(p.mi)}:${pad(p.s)}`;
      case 'y': return n(p.y % 100);
      case 'Y': return String(p.y);
      case 'z': return `${p.offsetMin < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(p.offsetMin) / 60))}${pad(Math.abs(p.offsetMin) % 60)}`;
      case 'Z': return p.zone;
      case '%': return '%';
    }
    return all;
  });
}

/** A naive datetime (as now() and to_datetime make them): local wall-clock fields. */
export class PyDateTime implements HasAttrs {
  constructor(
    readonly ms: number,
    readonly utc: boolean,
  ) {}
  private get p(): Parts {
    return partsOf(this.ms, this.utc);
  }
  pyAttr(name: string): unknown {
    const p = this.p;
    const fields: Record<string, number> = { year: p.y, month: p.mo, day: p.d, hour: p.h, minute: p.mi, second: p.s, microsecond: p.us };
    if (Object.hasOwn(fields, name)) return fields[name];
    if (name === 'strftime') return new Builtin('strftime', (args) => strftime(str(args[0]), p));
    if (name === 'isoformat') return new Builtin('isoformat', () => this.toString().replace(' ', 'T'));
    if (name === 'timestamp') return new Builtin('timestamp', () => float(this.ms / 1000));
    if (name === 'weekday') return new Builtin('weekday', () => (p.wd + 6) % 7);
    return MISSING;
  }
  toString(): string {
    const p = this.p;
    return `${p.y}-${pad(p.mo)}-${pad(p.d)} ${pad(p.h)}:${pad(p.mi)}:${pad(p.s)}${p.us ? `.${pad(p.us, 6)}` : ''}`;
  }
  pyStr(): string {
    return this.toString();
  }
  pyRepr(): string {
    const p = this.p;
    const fields = [p.y, p.mo, p.d, p.h, p.mi, ...(p.s || p.us ? [p.s] : []), ...(p.us ? [p.us] : [])];
    return `datetime.datetime(${fields.join(', ')})`;
  }
}

function strptime(text: string, format: string): PyDateTime {
  const fields: Record<string, number> = { Y: 1900, m: 1, d: 1, H: 0, M: 0, S: 0 };
  const re = new RegExp(`^${format.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%([YmdHMSyjf])/g, (_m, c: string) => `(?<${c}>\\d{1,${c === 'Y' ? 4 : c === 'j' ? 3 : c === 'f' ? 6 : 2}})`)}$`);
  const m = re.exec(text);
  if (!m) throw new PyError('ValueError', `time data '${text}' does not match format '${format}'`);
  for (const [k, v] of Object.entries(m.groups ?? {})) fields[k] = Number(v);
  if (m.groups?.y) fields.Y = fields.y! + (fields.y! < 69 ? 2000 : 1900);
  return new PyDateTime(Date.UTC(fields.Y!, fields.m! - 1, fields.d!, fields.H!, fields.M!, fields.S!), true);
}

export const TIME_FILTERS: Record<string, FilterDef> = {
  strftime: define('strftime', ['second', 'utc'], [null, false], (_c, format, second, utc) => {
    let ms = Date.now();
    if (second !== null) {
      if (!isNumber(second) && !(typeof second === 'string' && !Number.isNaN(Number(second)))) throw new PyError('AnsibleFilterError', `Invalid value for epoch value (${str(second)})`, 'AnsibleFilterError');
      ms = Math.floor(Number(typeof second === 'string' ? second : num(second))) * 1000;
    }
    return strftime(str(format), partsOf(ms, utc === true));
  }),
  to_datetime: define('to_datetime', ['format'], ['%Y-%m-%d %H:%M:%S'], (_c, v, format) => {
    if (typeof v !== 'string') throw typeError('strptime() argument 1 must be str');
    return strptime(v, str(format));
  }),
};

/** C's strftime of a moment in local time. */
export function strftimeAt(format: string, epochMs: number, utc = false): string {
  return strftime(format, partsOf(epochMs, utc));
}

export function now(args: unknown[], kwargs: Map<string, unknown>): unknown {
  const utc = (kwargs.get('utc') ?? args[0] ?? false) === true;
  const fmt = kwargs.get('fmt') ?? args[1] ?? null;
  const dt = new PyDateTime(Date.now(), utc);
  return fmt === null ? dt : strftime(str(fmt), partsOf(dt.ms, utc));
}
