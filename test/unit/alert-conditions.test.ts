/**
 * Alert conditions and the firing policy (one-shot, repeating with cooldown), and the
 * condition schema's validation messages.
 */
import { describe, expect, it } from 'vitest';
import { alertConditionSchema, type AlertCondition } from '@/lib/market/alerts';
import type { ScannerRow } from '@/lib/market/scanner';
import { evaluateCondition, mayFire } from '@/worker/alerts/conditions';

const row = (patch: Partial<ScannerRow>): ScannerRow =>
  ({
    instrumentToken: 408065,
    symbol: 'NSE:INFY',
    exchange: 'NSE',
    tradingsymbol: 'INFY',
    kind: 'equity',
    timeframe: '1d',
    time: Date.parse('2026-03-10T04:00:00Z'),
    ltp: 1600,
    dayChangePct: 0,
    volumeRatio: null,
    rsi: null,
    ...patch,
  }) as ScannerRow;

const cross = (direction: 'above' | 'below' | 'either'): AlertCondition => ({ type: 'price_cross', level: 1650, direction });

describe('alert conditions', () => {
  it('price cross is edge-triggered, in the direction asked', () => {
    expect(evaluateCondition(cross('above'), row({ ltp: 1655 }), undefined)).toBeNull(); // no previous price yet
    expect(evaluateCondition(cross('above'), row({ ltp: 1655 }), 1640)?.value).toBe(1655);
    expect(evaluateCondition(cross('above'), row({ ltp: 1650 }), 1649.9)).not.toBeNull(); // touching the level counts
    expect(evaluateCondition(cross('above'), row({ ltp: 1660 }), 1655)).toBeNull(); // already above: no new cross
    expect(evaluateCondition(cross('above'), row({ ltp: 1640 }), 1655)).toBeNull(); // wrong direction
    // Rupees with Indian grouping and two decimals, as on the page (issue 13 point 8).
    expect(evaluateCondition(cross('below'), row({ ltp: 1640 }), 1655)?.message).toBe('INFY: LTP crosses below ₹1,650.00 (LTP ₹1,640.00)');
    const lakh: AlertCondition = { type: 'price_cross', level: 100000, direction: 'above' };
    expect(evaluateCondition(lakh, row({ ltp: 100001.6 }), 99999)?.message).toBe('INFY: LTP crosses above ₹1,00,000.00 (LTP ₹1,00,001.60)');
    expect(evaluateCondition(cross('either'), row({ ltp: 1640 }), 1655)).not.toBeNull();
  });

  it('% change, volume spike and RSI thresholds are level conditions', () => {
    const up: AlertCondition = { type: 'change_pct', op: 'above', value: 3 };
    expect(evaluateCondition(up, row({ dayChangePct: 3.2 }), undefined)?.value).toBe(3.2);
    expect(evaluateCondition(up, row({ dayChangePct: 2.9 }), undefined)).toBeNull();
    expect(evaluateCondition({ type: 'change_pct', op: 'below', value: -2 }, row({ dayChangePct: -2.5 }), undefined)).not.toBeNull();
    expect(evaluateCondition(up, row({ dayChangePct: null }), undefined)).toBeNull();
    const spike: AlertCondition = { type: 'volume_spike', ratio: 2, timeframe: '5m' };
    expect(evaluateCondition(spike, row({ volumeRatio: 2.4 }), undefined)?.message).toMatch(/2\.4×/);
    expect(evaluateCondition(spike, row({ volumeRatio: 1.9 }), undefined)).toBeNull();
    expect(evaluateCondition({ type: 'rsi', op: 'below', value: 30, timeframe: '15m' }, row({ rsi: 28.4 }), undefined)).not.toBeNull();
    expect(evaluateCondition({ type: 'rsi', op: 'above', value: 70, timeframe: '15m' }, row({ rsi: 69.9 }), undefined)).toBeNull();
  });

  it('scanner preset matches when the instrument has a rank', () => {
    const preset: AlertCondition = { type: 'scanner_preset', preset: 'top_gainers', timeframe: '1d', top: 5 };
    expect(evaluateCondition(preset, row({}), undefined, 2)?.message).toMatch(/#2/);
    expect(evaluateCondition(preset, row({}), undefined, undefined)).toBeNull();
  });
});

describe('firing policy', () => {
  it('one-shot fires once; repeating waits for its cooldown', () => {
    const t = 1_000_000;
    expect(mayFire({ repeat: false, cooldownSec: 60 }, undefined, t)).toBe(true);
    expect(mayFire({ repeat: false, cooldownSec: 60 }, t, t + 3_600_000)).toBe(false);
    expect(mayFire({ repeat: true, cooldownSec: 60 }, t, t + 59_999)).toBe(false);
    expect(mayFire({ repeat: true, cooldownSec: 60 }, t, t + 60_000)).toBe(true);
    expect(mayFire({ repeat: true, cooldownSec: 0 }, t, t)).toBe(true);
  });
});

describe('condition schema', () => {
  it('fills defaults and names the bad field', () => {
    expect(alertConditionSchema.parse({ type: 'rsi', op: 'above', value: 70 })).toEqual({ type: 'rsi', op: 'above', value: 70, timeframe: '15m' });
    const bad = alertConditionSchema.safeParse({ type: 'price_cross', level: -5 });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0].path).toEqual(['level']);
    expect(alertConditionSchema.safeParse({ type: 'nope' }).error!.issues[0].message).toMatch(/price_cross/);
    expect(alertConditionSchema.safeParse({ type: 'scanner_preset', preset: 'moon' }).error!.issues[0].path).toEqual(['preset']);
  });
});
