/**
 * The areas `npm run bench` runs, in order (one module per measured area; see
 * test/bench/figures.ts for the BenchArea contract). Add an area by exporting a BenchArea from
 * its own file and listing it here; keys no area fills print as "not measured" and stay null in
 * the `--json` line.
 * Fan-out, scanner and churn (issue 12 points 2, 5, 6) are in test/bench/realtime-areas.ts.
 */
import type { BenchArea } from './figures';
import { candlesArea } from './candles';
import { healthArea } from './health';
import { ingestArea } from './ingest';
import { churnArea, fanoutArea, scannerArea } from './realtime-areas';

export const AREAS: readonly BenchArea[] = [ingestArea, healthArea, candlesArea, fanoutArea, scannerArea, churnArea];
