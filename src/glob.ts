// Shell-style `*` and `?` patterns, as --limit and known_hosts write them.

export function globToRegExp(pattern: string, flags = ''): RegExp {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*').replaceAll('?', '.');
  return new RegExp(`^${escaped}$`, flags);
}
