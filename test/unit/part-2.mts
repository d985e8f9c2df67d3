// The second half of the unit suite (load-part.ts): files 1, 3, 5, … in name order.
import { loadPart } from './load-part.ts';

await loadPart(1, 2);
