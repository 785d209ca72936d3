/**
 * Worker-thread bootstrap for ./parse-thread.ts: registers tsx's loader in this thread (Node 20
 * does not apply the parent's `--import tsx` hooks to worker threads), then loads the entry.
 * workerData.entry: file URL of the TypeScript entry.
 */
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
