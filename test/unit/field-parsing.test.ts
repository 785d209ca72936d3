/**
 * The replay's hot parsers: worker/sources/formats/fields.ts parseDecimal (fast path for plain
 * decimals) gives exactly what the strict rule gives (the regex, then Number()) for any text,
 * -0 included; lib/market/session.ts parseZonedTimestamp (a character-code fast path that
 * remembers the last minute) equals its regex reading for any text, and gives each text its
 * own instant whatever was parsed before.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseZonedTimestamp } from '@/lib/market/session';
import { parseDecimal } from '@/worker/sources/formats/fields';

/** The rule as documented: a decimal (optional sign, digits, point, exponent), else NaN. */
const strict = (text: string) => (/^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/.test(text.trim()) ? Number(text.trim()) : Number.NaN);

/** The documented rule for zoned timestamps (the regex the fast path must agree with). */
function zonedByRegex(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})$/.exec(text.trim());
  if (!m) return Number.NaN;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  if (+mo < 1 || +mo > 12 || +d < 1 || +d > 31 || +h > 23 || +mi > 59 || +s > 59) return Number.NaN;
  const ms = frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0;
  const offset = zone === 'Z' ? 0 : (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1).replace(':', '').slice(0, 2)) * 60 + Number(zone.slice(1).replace(':', '').slice(2, 4))) * 60_000;
  return Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, ms) - offset;
}

const decimalText = fc
  .tuple(fc.constantFrom('', '-', '+'), fc.string({ unit: fc.constantFrom(...'0123456789'), maxLength: 20 }), fc.option(fc.string({ unit: fc.constantFrom(...'0123456789'), maxLength: 20 })), fc.constantFrom('', 'e3', 'E-2', ' '))
  .map(([sign, whole, fraction, tail]) => `${sign}${whole}${fraction === null ? '' : `.${fraction}`}${tail}`);

describe('replay field parsing', () => {
  it('parseDecimal equals the strict rule for decimals of any length and for any text', () => {
    fc.assert(
      fc.property(fc.oneof(decimalText, fc.string(), fc.double().map(String)), (text) => {
        expect([text, parseDecimal(text)]).toEqual([text, strict(text)]); // toEqual compares -0 and 0 apart, NaN equal
      }),
      { numRuns: 5000 },
    );
    for (const text of ['25978.50', '-0.31', '-0', '0.05', '5.', '.5', '.', '', '+', '0x10', 'Infinity', '12abc', ' 7 ', '123456789012345.6', '9007199254740993'])
      expect(Object.is(parseDecimal(text), strict(text))).toBe(true);
  });

  it('parseZonedTimestamp equals the regex reading for timestamps of every shape, valid or not', () => {
    const two = (min: number, max: number) => fc.integer({ min, max }).map((v) => String(v).padStart(2, '0'));
    const stamp = fc
      .tuple(fc.integer({ min: 0, max: 9999 }).map((v) => String(v).padStart(4, '0')), fc.constantFrom('-', '-', '-', '/'), two(0, 13), two(0, 32),
        fc.constantFrom(' ', 'T', 'T', '_'), two(0, 24), two(0, 60), two(0, 60),
        fc.option(fc.string({ unit: fc.constantFrom(...'0123456789'), maxLength: 11 }).map((f) => `.${f}`)),
        fc.constantFrom('Z', 'Z', '+05:30', '-0100', '+0530', '+05:3', 'z', '', '+05:30 ', 'Z '), fc.constantFrom('', '', '', ' '))
      .map(([y, dash, mo, d, sep, h, mi, s, fraction, zone, lead]) => `${lead}${y}${dash}${mo}-${d}${sep}${h}:${mi}:${s}${fraction ?? ''}${zone}`);
    const realistic = fc.date({ min: new Date('1990-01-01'), max: new Date('2040-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
    fc.assert(
      fc.property(fc.oneof(stamp, realistic, fc.string()), (text) => {
        expect([text, parseZonedTimestamp(text)]).toEqual([text, zonedByRegex(text)]);
      }),
      { numRuns: 5000 },
    );
  });

  it('parseZonedTimestamp gives each text its own instant, repeated or not', () => {
    const texts = ['2025-12-29T07:17:00.123Z', '2025-12-29T07:17:00.123Z', '2025-12-29 07:17:00+05:30', 'nonsense', '2025-12-29T07:17:00.123Z', '', '2025-12-29T07:17:00.123Z'];
    expect(texts.map(parseZonedTimestamp)).toEqual([1766_992_620_123, 1766_992_620_123, 1766_972_820_000, Number.NaN, 1766_992_620_123, Number.NaN, 1766_992_620_123]);
  });
});
