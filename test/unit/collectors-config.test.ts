/**
 * Collectors YAML config: ${VAR} expansion, defaults in the worker's units, and errors naming
 * the file and the path of the bad field.
 */
import { describe, expect, it } from 'vitest';
import { parseCollectorsConfig } from '@/lib/config/collectors-config';
import type { CollectorDefinition } from '@/worker/collectors/types';

const YAML = `
collectors:
  - name: kite-main
    broker: kite
    credentials:
      apiKey: \${KITE_API_KEY}
      accessToken: "\${KITE_ACCESS_TOKEN}"
    subscriptions:
      - mode: full
        symbols: [NSE:RELIANCE, "NSE:NIFTY 50"]
      - mode: ltp
        watchlist: NIFTY50
  - name: kite-wide
    broker: kite
    autoStart: false
    endpoint: ws://127.0.0.1:9999/
    credentials: { apiKey: "\${KITE_API_KEY}", accessToken: "\${OTHER_TOKEN:-fallback}" }
    reconnect: { maxRetries: 3, maxDelaySeconds: 5 }
    watchdog: { silenceSeconds: 10, hours: always }
    subscriptions:
      - { mode: quote, tokens: [256265, "260105"] }
`;
const env = { KITE_API_KEY: 'abc123key', KITE_ACCESS_TOKEN: 'tok$en' };

describe('collectors config', () => {
  it('expands ${VAR} and ${VAR:-default}, applies defaults and converts seconds to ms', () => {
    const [main, wide] = parseCollectorsConfig(YAML, 'collectors.yaml', env);
    const typed: CollectorDefinition = main; // the config is the worker's definition shape
    expect(typed.credentials).toEqual({ apiKey: 'abc123key', accessToken: 'tok$en' });
    expect(main).toMatchObject({
      autoStart: true,
      reconnect: { maxRetries: 10, baseDelayMs: 1000, maxDelayMs: 60_000 },
      watchdog: { silenceMs: 30_000, hours: 'market' },
      liveness: { neverTickedMs: 60_000 },
      subscriptions: [{ mode: 'full', symbols: ['NSE:RELIANCE', 'NSE:NIFTY 50'] }, { mode: 'ltp', watchlist: 'NIFTY50' }],
    });
    expect(wide).toMatchObject({
      autoStart: false,
      endpoint: 'ws://127.0.0.1:9999/',
      credentials: { accessToken: 'fallback' },
      reconnect: { maxRetries: 3, baseDelayMs: 1000, maxDelayMs: 5000 },
      watchdog: { silenceMs: 10_000, hours: 'always' },
      subscriptions: [{ mode: 'quote', tokens: [256265, 260105] }],
    });
  });

  it('names the file and the path of the bad field', () => {
    const bad = YAML.replace('mode: ltp', 'mode: tick');
    expect(() => parseCollectorsConfig(bad, 'collectors.yaml', env)).toThrow(
      /^Invalid collectors config collectors.yaml: collectors\.0\.subscriptions\.1\.mode: /,
    );
    expect(() => parseCollectorsConfig(YAML.replace('broker: kite\n    autoStart', 'broker: upstox\n    autoStart'), 'c.yaml', env)).toThrow(
      /collectors\.1\.broker/,
    );
    expect(() => parseCollectorsConfig(YAML.replace('maxRetries: 3', 'maxRetries: many'), 'c.yaml', env)).toThrow(/collectors\.1\.reconnect\.maxRetries/);
    expect(() => parseCollectorsConfig(YAML.replace('    autoStart: false\n', '    autostart: false\n'), 'c.yaml', env)).toThrow(/collectors\.1: .*autostart/i);
  });

  it('refuses an unset variable, naming it and where it is used', () => {
    expect(() => parseCollectorsConfig(YAML, 'c.yaml', { KITE_API_KEY: 'k' })).toThrow(
      'Invalid collectors config c.yaml: collectors.0.credentials.accessToken: environment variable KITE_ACCESS_TOKEN is not set',
    );
  });

  it('refuses duplicate names, empty subscriptions and invalid YAML', () => {
    expect(() => parseCollectorsConfig(YAML.replace('kite-wide', 'kite-main'), 'c.yaml', env)).toThrow(/collectors\.1\.name: duplicate name kite-main/);
    expect(() => parseCollectorsConfig(YAML.replace('watchlist: NIFTY50', 'symbols: []'), 'c.yaml', env)).toThrow(
      /collectors\.0\.subscriptions\.1: needs symbols, tokens or watchlist/,
    );
    expect(() => parseCollectorsConfig('collectors: [', 'c.yaml', env)).toThrow(/c.yaml: not valid YAML/);
    expect(parseCollectorsConfig('', 'empty.yaml', env)).toEqual([]);
  });
});
