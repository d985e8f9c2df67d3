// Variable maps. Keys come from files a user (or an attacker who can edit an inventory)
// wrote, so `__proto__` and `constructor` are ordinary names here: maps have no
// prototype, and merging defines properties instead of assigning them (assigning
// `__proto__` would swap the map's prototype and let a host inherit another address).

export type VarMap = Record<string, unknown>;

export function emptyVars(): VarMap {
  return Object.create(null) as VarMap;
}

/** Copies `layer`'s own keys over `into`'s, `__proto__` included as a plain key. */
export function mergeVars(into: VarMap, ...layers: readonly VarMap[]): VarMap {
  for (const layer of layers) {
    for (const key of Object.keys(layer)) {
      Object.defineProperty(into, key, { value: layer[key], enumerable: true, writable: true, configurable: true });
    }
  }
  return into;
}
