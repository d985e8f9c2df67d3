// The first half of the unit suite (load-part.ts): files 0, 2, 4, … in name order.
import { loadPart } from './load-part.ts';

await loadPart(0, 2);
