// The unit suite in one process: imports every test/unit/*.test.ts (load-part.ts). On this
// 2-core machine a process per file costs ~0.6 s of tsx start-up each (135 files: 92 s
// quiet); one process ran the suite in 43 s, and `npm run test:unit` runs two halves in
// two processes at once (part-1.mts, part-2.mts). The files are imported in name order,
// so a test's neighbours are the same on every run.
import { loadPart } from './load-part.ts';

await loadPart(0, 1);
