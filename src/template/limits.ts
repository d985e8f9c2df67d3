// What one render may cost at most. Past a limit the render ends with a TemplateLimitError
// naming the limit, never a hang or a JS RangeError: a template runs on the controller for
// every host, and a loop without end or a macro that calls itself is always a mistake.
export const LIMITS = {
  /** Loop iterations in one render, all loops together. */
  iterations: 1_000_000,
  /** Macro calls, includes and recursive loops inside one another. */
  depth: 100,
  /** Characters a render may output (a config file is kilobytes). */
  outputChars: 16 * 1024 * 1024,
  /** Characters in one value made by an operator or filter (str * n, joins, …). */
  valueChars: 16 * 1024 * 1024,
  /** Items range() may make. */
  rangeItems: 1_000_000,
};
export type Limits = typeof LIMITS;
