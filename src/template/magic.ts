// The variables Ansible's template module adds for a template (generate_ansible_template_vars):
// template_host, template_path, template_fullpath, template_destpath, template_uid,
// template_mtime and template_run_date (datetimes), and ansible_managed, which is
// DEFAULT_MANAGED_STR ("Ansible managed" unless configured) with {host}, {uid} and {file}
// filled in and strftime applied with the template file's modification time.
import { statSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { resolve } from 'node:path';
import { PyDateTime, strftimeAt } from './filters/time.ts';

export const DEFAULT_MANAGED = 'Ansible managed';

export interface TemplateVarsInput {
  /** The template module's src, as written in the task. */
  src: string;
  /** Where it was found on the controller. */
  fullpath?: string;
  /** The task's dest. */
  dest?: string;
  /** The managed string (ansible.cfg's ansible_managed). */
  managed?: string;
}

export function ansibleTemplateVars(input: TemplateVarsInput): Record<string, unknown> {
  const fullpath = input.fullpath ?? resolve(input.src);
  const st = statSync(fullpath);
  let uid: string;
  try {
    uid = st.uid === process.getuid?.() ? userInfo().username : String(st.uid);
  } catch {
    uid = String(st.uid);
  }
  const host = hostname();
  const managed = (input.managed ?? DEFAULT_MANAGED).replace(/\{(host|uid|file)\}/g, (_m, k: string) => (k === 'host' ? host : k === 'uid' ? uid : input.src));
  return {
    template_host: host,
    template_path: input.src,
    template_mtime: new PyDateTime(st.mtimeMs, false),
    template_uid: uid,
    template_run_date: new PyDateTime(Date.now(), false),
    template_destpath: input.dest ?? null,
    template_fullpath: fullpath,
    ansible_managed: strftimeAt(managed, st.mtimeMs),
  };
}
