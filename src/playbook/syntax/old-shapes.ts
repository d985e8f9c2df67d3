// Modules tend once had and Ansible never did, with the new spelling: a playbook that
// still uses one is told what to write instead (exit 8, at the module's key).
export const OLD_MODULES: Readonly<Record<string, string>> = {
  directory: '`directory:` is gone: write `file: {path: …, state: directory}` (recurse: true for owner, group and mode of everything inside)',
  link: '`link:` is gone: write `file: {src: TARGET, dest: PATH, state: link}` (`target:` is now `src:`, `path:` is `dest:` or `path:`; force: true as before)',
};
