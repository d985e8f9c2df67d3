// How a task's scripts are wrapped: `export`s of its environment, and `runuser` (when the
// scripts run as root) or `sudo -n` (when not) to run them as its become user.
//
// The other user's shell reads the task's script from a here-document, on its stdin:
// what runuser or sudo start is `/bin/sh -s`, never `sh -c SCRIPT`, since every local
// user can read a process's argv (`ps`), and a script holds the task's values (its
// environment, a secret file's content). The here-document is part of the script the
// transport already sends on stdin, so the text never reaches any argv. `sudo -n` never
// reads a password, so stdin is the shell's alone. A script whose stdin is data (a file
// streamed by `file src:`) cannot also read its text from stdin: it keeps `sh -c`, as the
// transport does for it — such a script holds paths and modes, the file's bytes are on
// stdin.
import type { TaskSpec } from '../playbook/plays.ts';
import { render, toText, type Lookup } from '../playbook/template.ts';
import { heredoc, quote, ShellText } from '../shell.ts';

/** `stdinIsData`: the script reads a streamed file on stdin (then its text goes in argv). */
export type TaskWrapper = (text: string, stdinIsData?: boolean) => string;

export function wrapperFor(spec: TaskSpec, playBecome: boolean, loginUser: string, scriptUser: string, lookup: Lookup): TaskWrapper | undefined {
  const exports = Object.entries(spec.environment ?? {}).map(([k, v]) => `export ${k}=${quote(toText(render(v, lookup)))}`);
  const become = spec.become ?? playBecome;
  const user = become ? (spec.becomeUser ?? 'root') : loginUser;
  const switchUser = user !== scriptUser;
  if (exports.length === 0 && !switchUser) return undefined;
  return (text, stdinIsData = false) => {
    const inner = [...exports, text].join('\n');
    if (!switchUser) return inner;
    const as = scriptUser === 'root' ? `runuser -u ${quote(user)} --` : `sudo -n -u ${quote(user)} --`;
    return stdinIsData ? `${as} /bin/sh -c ${quote(inner)}` : heredoc(new ShellText(`${as} /bin/sh -s`), inner).text;
  };
}

/** A task's probe (or commands) with its environment, as the user it runs as; unchanged without a wrapper. */
export function wrapScripts(wrap: TaskWrapper | undefined, scripts: ShellText | readonly ShellText[], stdinIsData = false): ShellText | readonly ShellText[] {
  if (!wrap) return scripts;
  return scripts instanceof ShellText ? new ShellText(wrap(scripts.text, stdinIsData)) : scripts.map((s) => new ShellText(wrap(s.text, stdinIsData)));
}
