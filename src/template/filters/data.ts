import type { FilterDef } from '../eval.ts';

export const DATA_FILTERS: Record<string, FilterDef> = {};
