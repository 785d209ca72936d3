import { Worker } from 'node:worker_threads';
const t0 = performance.now();
const w = new Worker(`
const { parentPort } = require('node:worker_threads');
const t = () => performance.timeOrigin + performance.now();
parentPort.postMessage(['online', t()]);
import('tsx/esm/api').then(async ({ register }) => {
  parentPort.postMessage(['api loaded', t()]);
  register();
  parentPort.postMessage(['registered', t()]);
  await import(process.env.ENTRY);
  parentPort.postMessage(['imported', t()]);
  process.exit(0);
});
`, { eval: true, env: { ...process.env, ENTRY: new URL('./worker/sources/formats/index.ts', import.meta.url).href } });
w.on('message', ([what, at]) => console.log(what, (at - performance.timeOrigin - t0).toFixed(0)));
w.on('exit', () => console.log('exit', (performance.now() - t0).toFixed(0)));
