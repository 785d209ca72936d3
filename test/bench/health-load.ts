/**
 * Load clients of the health bench (test/bench/health.ts), in a process of their own: CONCURRENCY
 * loops of `GET /load/candles?token=…` (31 days of 1m candles each, ~0.8 MB) against the server
 * child until the deadline. Kept out of the process that times `/api/health`: 200 responses of
 * ~0.8 MB arriving at once kept that process's own event loop busy for seconds, and the probe's
 * answer waited behind them there (a 8–13 s "health" figure on the server backend, while the
 * server had answered the probe in under 100 ms). A monitoring probe is its own process too.
 *
 * IPC out: `{ ready: true }` once booted; in: `{ base, concurrency, seconds, firstToken, instruments }`;
 * out: `{ loads, failures }` at the end.
 */
process.once('message', async (m: { base: string; concurrency: number; seconds: number; firstToken: number; instruments: number }) => {
  const deadline = performance.now() + m.seconds * 1000;
  let loads = 0;
  let failures = 0;
  const loop = async (i: number) => {
    for (let n = i; performance.now() < deadline; n += m.concurrency) {
      const res = await fetch(`${m.base}/load/candles?token=${m.firstToken + (n % m.instruments)}`);
      await res.arrayBuffer();
      if (!res.ok) failures++;
      loads++;
    }
  };
  await Promise.all(Array.from({ length: m.concurrency }, (_, i) => loop(i)));
  process.send!({ loads, failures }, () => process.exit(0));
});
process.send!({ ready: true });
