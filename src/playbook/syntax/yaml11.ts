// Playbooks, task files, roles' tasks/handlers/defaults/vars files and vars files are read
// as Ansible reads them: by PyYAML, YAML 1.1 (`become: yes` is true, `mode: 0644` is the
// number 420, `1:30` is 90, `y` and `n` stay text). Tags Ansible gives a meaning tend
// does not have yet are refused where they stand, never read as plain text.
import type { YamlPath } from '../../yaml-source.ts';
import { YamlSource } from '../../yaml-source.ts';

const REFUSED_TAGS: Record<string, string> = {
  '!unsafe': '!unsafe (a value Ansible never templates) is not supported by tend yet; write the value without {{ }} or {% %}',
  '!vault': '!vault (an inline ansible-vault value) is not supported by tend yet; put the secret in -e @file or the inventory',
};

/** A playbook-side YAML file (or text), read as YAML 1.1 the way PyYAML reads it. */
export function readAnsibleYaml(file: string, text?: string): YamlSource {
  const source = YamlSource.load(file, text, { yaml11: true });
  for (const warning of source.doc.warnings) {
    const tag = /^Unresolved tag: (!\S+)/.exec(warning.message)?.[1];
    if (tag && tag in REFUSED_TAGS) throw source.errorAtOffset(REFUSED_TAGS[tag]!, warning.pos[0]);
  }
  return source;
}

/** How the scalar at `path` was written, when YAML read it as a number: 'OCT', 'HEX', 'TIME', or undefined (decimal). */
export function numberFormat(source: YamlSource, path: YamlPath): string | undefined {
  const node = source.doc.getIn(path, true) as { format?: string } | undefined;
  return node?.format;
}
