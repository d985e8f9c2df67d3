// What systemd's modules (service, systemd) share: reading `systemctl show`.

/**
 * `systemctl show`'s `Key=value` lines as a map, values trimmed, as Ansible's systemd
 * module reads them: an `Exec…` value that opens a `{` on its line and does not close
 * it runs on over the following lines up to the one that ends with `}`.
 */
export function parseSystemctlShow(text: string): Record<string, string> {
  const parsed: Record<string, string> = Object.create(null) as Record<string, string>;
  let key: string | undefined;
  let multi: string[] = [];
  for (const line of text.split('\n')) {
    if (key === undefined) {
      const at = line.indexOf('=');
      if (at < 0) continue;
      const [k, v] = [line.slice(0, at), line.slice(at + 1)];
      if (k.startsWith('Exec') && v.trimStart().startsWith('{') && !v.trimEnd().endsWith('}')) {
        key = k;
        multi = [v];
        continue;
      }
      parsed[k] = v.trim();
    } else {
      multi.push(line);
      if (line.trimEnd().endsWith('}')) {
        parsed[key] = multi.join('\n').trim();
        key = undefined;
        multi = [];
      }
    }
  }
  return parsed;
}

/** A unit that runs or is starting (Ansible's test for `started`). */
export const isRunning = (activeState: string | undefined) => activeState === 'active' || activeState === 'activating';
