import type { FilterDef } from '../eval.ts';

export const ANSIBLE_FILTERS: Record<string, FilterDef> = {};
