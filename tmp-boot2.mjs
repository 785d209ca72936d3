import { Worker } from 'node:worker_threads';
const t0 = performance.now();
const w = new Worker(`
const { parentPort } = require('node:worker_threads');
const t = () => performance.timeOrigin + performance.now();
parentPort.postMessage(['online', t()]);
const api = require('tsx/cjs/api');
parentPort.postMessage(['api loaded', t()]);
api.register();
parentPort.postMessage(['registered', t()]);
const m = require(process.env.ENTRY);
parentPort.postMessage(['imported ' + Object.keys(m).length, t()]);
process.exit(0);
`, { eval: true, env: { ...process.env, ENTRY: '/work/main/worker/sources/replay/records.ts' } });
w.on('message', ([what, at]) => console.log(what, (at - performance.timeOrigin - t0).toFixed(0)));
w.on('error', (e) => console.log('error', e.message));
w.on('exit', () => console.log('exit', (performance.now() - t0).toFixed(0)));
