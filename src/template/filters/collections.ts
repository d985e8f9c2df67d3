import type { FilterDef } from '../eval.ts';

export const COLLECTION_FILTERS: Record<string, FilterDef> = {};
