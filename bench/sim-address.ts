// The loopback address of simulated host i (127.1.0.0 onwards): every simulated host is
// its own sshd, as every real host is, without leaving this machine.
export function simAddress(i: number): string {
  return `127.1.${(i >> 8) & 255}.${i & 255}`;
}

/** Simulated host i's inventory name (and login name): sim-00001 onwards. */
export function simName(i: number): string {
  return `sim-${String(i + 1).padStart(5, '0')}`;
}
