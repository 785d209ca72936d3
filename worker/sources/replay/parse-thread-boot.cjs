/**
 * Worker-thread bootstrap for ./parse-thread.ts: registers tsx in this thread (Node 20 does not
 * apply the parent's `--import tsx` hooks to worker threads), then loads the entry.
 * workerData.entry: absolute path of the TypeScript entry.
 *
 * CommonJS on purpose: tsx's require hook runs in this thread, while its ESM loader
 * (`tsx/esm/api` register) starts a second, hooks thread and sends every import through it; the
 * thread's first chunk came ~200 ms after start that way, ~100 ms this way.
 */
const { workerData } = require('node:worker_threads');
require('tsx/cjs/api').register();
require(workerData.entry);
