// access_time / modification_time as Ansible's file module reads them: `now`, `preserve`,
// or a time written in a strptime format (default %Y%m%d%H%M.%S), a local time of the
// host's. tend reads the text here and hands the host `touch -d 'YYYY-MM-DD HH:MM:SS'`,
// which the host reads in its own time zone, as Ansible's time.mktime does there; the
// probe's `stat %y` is in the same zone, so the two compare as text.
import { z } from 'zod';

export type Timestamp = 'now' | 'preserve' | string;

export const timeParam = z.union([z.string(), z.number()]).transform((v) => String(v));

const FIELDS: Record<string, { re: string; key: 'Y' | 'm' | 'd' | 'H' | 'M' | 'S' | 'y' }> = {
  Y: { re: '(\\d{4})', key: 'Y' },
  y: { re: '(\\d{2})', key: 'y' },
  m: { re: '(\\d{1,2})', key: 'm' },
  d: { re: '(\\d{1,2})', key: 'd' },
  H: { re: '(\\d{1,2})', key: 'H' },
  M: { re: '(\\d{1,2})', key: 'M' },
  S: { re: '(\\d{1,2})', key: 'S' },
};

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/**
 * `now`, `preserve`, or the time as `YYYY-MM-DD HH:MM:SS`. A format directive tend does
 * not read (%b, %j, %Z, …) and a time that does not match are errors naming them.
 */
export function timestampWanted(value: Timestamp, format: string, key: string): Timestamp {
  if (value === 'now' || value === 'preserve') return value;
  const order: (typeof FIELDS)[string]['key'][] = [];
  let re = '';
  for (let i = 0; i < format.length; i++) {
    const ch = format[i]!;
    if (ch !== '%') {
      re += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      continue;
    }
    const d = format[++i];
    if (d === '%') re += '%';
    else if (d !== undefined && FIELDS[d]) {
      re += FIELDS[d].re;
      order.push(FIELDS[d].key);
    } else throw new Error(`${key}_format: %${d ?? ''} is not read by tend (it reads %Y %y %m %d %H %M %S %%)`);
  }
  const m = new RegExp(`^${re}$`).exec(value);
  if (!m) throw new Error(`${key}: ${value} does not match the format ${format}`);
  const got: Record<string, number> = { Y: 1900, m: 1, d: 1, H: 0, M: 0, S: 0 };
  order.forEach((k, i) => {
    const n = Number(m[i + 1]);
    if (k === 'y') got.Y = n < 69 ? 2000 + n : 1900 + n;
    else got[k] = n;
  });
  const { Y, m: mo, d, H, M, S } = got as Record<'Y' | 'm' | 'd' | 'H' | 'M' | 'S', number>;
  const days = new Date(Date.UTC(Y, mo, 0)).getUTCDate();
  if (mo < 1 || mo > 12 || d < 1 || d > days || H > 23 || M > 59 || S > 61) throw new Error(`${key}: ${value} is not a time (format ${format})`);
  return `${pad(Y, 4)}-${pad(mo)}-${pad(d)} ${pad(H)}:${pad(M)}:${pad(S)}`;
}
