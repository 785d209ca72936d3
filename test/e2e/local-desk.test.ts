/**
 * Browser end-to-end, the local desk (issue 10 point 2): on loopback with no account the pages
 * are served without sign-in (no redirect to /login), the header says "local desk (no sign-in)",
 * and Settings lets the local user (an admin) manage API tokens.
 */
import { expect, it } from 'vitest';
import { useBrowserDesk } from '../support/browser-desk';

const desk = useBrowserDesk({ env: (dataDir) => ({ DATA_DIR: dataDir, FEED: 'simulator' }) });
const pages = desk.pages;

it('serves pages without sign-in, says so in the header, and manages tokens in Settings', async () => {
  const base = desk.base;
  expect((await fetch(`${base}/watchlists`, { redirect: 'manual' })).status).toBe(200);
  // /login has nothing to do here: it sends the local user on.
  const login = await fetch(`${base}/login?next=%2Fscanner`, { redirect: 'manual' });
  expect(login.status).toBe(307);
  expect(new URL(login.headers.get('location')!, base).pathname).toBe('/scanner');

  const page = await pages.newPage();
  await page.goto(`${base}/settings`);
  expect(new URL(page.url()).pathname).toBe('/settings');
  const status = page.getByTestId('account-status');
  await expect.poll(() => status.getAttribute('data-mode')).toBe('local');
  await expect(status.textContent()).resolves.toContain('local desk (no sign-in)');
  await expect(page.getByTestId('sign-out').count()).resolves.toBe(0);

  await page.getByTestId('token-name').fill('local script');
  await page.getByTestId('token-role').selectOption('admin');
  await page.getByTestId('token-create').click();
  const token = (await page.getByTestId('token-value').textContent())!.trim();
  expect(token).toMatch(/^mdk_/);
  await expect.poll(() => page.locator('[data-testid="token-row"][data-name="local script"]').getAttribute('data-state')).toBe('active');
  const tokens = await fetch(`${base}/api/tokens`, { headers: { authorization: `Bearer ${token}` } });
  expect(tokens.status).toBe(200);
  expect(((await tokens.json()) as { tokens: { name: string; role: string }[] }).tokens).toEqual([expect.objectContaining({ name: 'local script', role: 'admin' })]);
});
