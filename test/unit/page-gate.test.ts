/**
 * The page gate's helpers (lib/auth/page-gate.ts): where a signed-out browser is sent and which
 * `next` targets the login page follows (same-origin paths only: no open redirect).
 */
import { describe, expect, it } from 'vitest';
import { getPageGate, loginLocation, safeNextPath, setPageGate } from '@/lib/auth/page-gate';

describe('page gate', () => {
  it('sends a signed-out browser to /login with the page as next', () => {
    expect(loginLocation('/', '')).toBe('/login');
    expect(loginLocation('/watchlists', '')).toBe('/login?next=%2Fwatchlists');
    expect(loginLocation('/chart/NSE%3AINFY', '?tf=5m')).toBe('/login?next=%2Fchart%2FNSE%253AINFY%3Ftf%3D5m');
  });

  it('follows only same-origin paths after sign-in', () => {
    expect(safeNextPath('/scanner?preset=top_gainers')).toBe('/scanner?preset=top_gainers');
    for (const unsafe of ['https://evil.example', '//evil.example/x', '/\\evil.example', 'javascript:alert(1)', '', null, undefined]) {
      expect(safeNextPath(unsafe), String(unsafe)).toBe('/');
    }
  });

  it('is installed in and removed from the process registry', async () => {
    expect(getPageGate()).toBeUndefined();
    setPageGate(async () => 'allow');
    await expect(getPageGate()!(new Headers(), '/')).resolves.toBe('allow');
    setPageGate(undefined);
    expect(getPageGate()).toBeUndefined();
  });
});
