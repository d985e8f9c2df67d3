import type { FilterDef } from '../eval.ts';

export const HASH_FILTERS: Record<string, FilterDef> = {};
