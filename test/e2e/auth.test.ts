/**
 * Browser end-to-end for accounts and tokens (issue 10, Tests: "sign in, create a token, see live
 * data; signed out, the pages redirect to the login page").
 *
 * The host runs on loopback with ADMIN_EMAIL + ADMIN_PASSWORD, which creates an admin at start:
 * once an account exists sign-in is required, as on an exposed HOST (lib/auth/policy.ts). The
 * stand-alone exposed case (a non-loopback HOST) is covered by
 * test/integration/auth-realtime-cli.test.ts.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useBrowserDesk } from '../support/browser-desk';

const EMAIL = 'admin@example.com';
const PASSWORD = 'a long enough password';

const desk = useBrowserDesk({ env: (dataDir) => ({ DATA_DIR: dataDir, FEED: 'simulator', ADMIN_EMAIL: EMAIL, ADMIN_PASSWORD: PASSWORD }) });
const pages = desk.pages;

async function signIn(page: Page, next: string, password = PASSWORD): Promise<void> {
  await page.goto(`${desk.base}${next}`);
  await page.waitForURL((url) => url.pathname === '/login');
  await page.getByTestId('login-email').fill(EMAIL);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((url) => url.pathname === next);
}

describe('signed out', () => {
  it('pages redirect to /login (with the page as next), the API answers 401, health stays public', async () => {
    for (const [pathname, next] of [
      ['/', null],
      ['/watchlists', '%2Fwatchlists'],
      ['/settings', '%2Fsettings'],
      ['/chart/NSE%3AINFY', '%2Fchart%2FNSE%253AINFY'],
    ] as const) {
      const response = await fetch(`${desk.base}${pathname}`, { redirect: 'manual' });
      expect(response.status, pathname).toBe(307);
      expect(new URL(response.headers.get('location')!, desk.base).pathname + new URL(response.headers.get('location')!, desk.base).search).toBe(
        next ? `/login?next=${next}` : '/login',
      );
    }
    expect((await fetch(`${desk.base}/api/quotes?symbols=NSE:INFY`)).status).toBe(401);
    expect((await fetch(`${desk.base}/api/health`)).status).toBe(200);
    expect((await fetch(`${desk.base}/login`)).status).toBe(200);

    const page = await pages.newPage();
    await page.goto(`${desk.base}/scanner`);
    await page.waitForURL((url) => url.pathname === '/login' && url.searchParams.get('next') === '/scanner');
    await page.getByTestId('login-form').waitFor();

    // A wrong password is refused on the page.
    await page.getByTestId('login-email').fill(EMAIL);
    await page.getByTestId('login-password').fill('not the password');
    await page.getByTestId('login-submit').click();
    await expect.poll(() => page.getByTestId('login-error').textContent()).toBe('Wrong email or password');
    expect(new URL(page.url()).pathname).toBe('/login');
  });
});

describe('signed in', () => {
  it('signs in, creates and revokes an API token in Settings, sees live data, signs out', async () => {
    const page = await pages.newPage();
    await signIn(page, '/settings');
    await expect.poll(() => page.getByTestId('account-status').getAttribute('data-mode')).toBe('signed-in');
    await expect(page.getByTestId('account-name').textContent()).resolves.toBe(EMAIL);
    // The accounts list shows the ADMIN_* admin.
    await page.locator(`[data-testid="user-row"][data-email="${EMAIL}"]`).waitFor();

    // Create a token: shown once, listed active, and it works as a Bearer token.
    await page.getByTestId('token-name').fill('e2e script');
    await page.getByTestId('token-create').click();
    const token = (await page.getByTestId('token-value').textContent())!.trim();
    expect(token).toMatch(/^mdk_[\w-]{43}$/);
    const row = page.locator('[data-testid="token-row"][data-name="e2e script"]');
    await expect.poll(() => row.getAttribute('data-state')).toBe('active');
    const quotes = await fetch(`${desk.base}/api/quotes?symbols=NSE:INFY`, { headers: { authorization: `Bearer ${token}` } });
    expect(quotes.status).toBe(200);

    // Revoke it in the UI: the API refuses it from then on.
    await row.getByTestId('token-revoke').click();
    await expect.poll(() => row.getAttribute('data-state')).toBe('revoked');
    expect((await fetch(`${desk.base}/api/quotes?symbols=NSE:INFY`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);

    // Live data: the Socket.IO handshake carries the session cookie; prices move.
    await page.goto(`${desk.base}/`);
    await expect.poll(() => page.getByTestId('connection-status').getAttribute('data-status'), { timeout: 30_000 }).toBe('live');
    const ltp = page.locator('[data-testid="quote-row"][data-symbol="NSE:INFY"] [data-testid="quote-ltp"]');
    await expect.poll(async () => (await ltp.textContent())?.trim(), { timeout: 30_000 }).toMatch(/^[\d,]+\.\d\d$/);
    const first = (await ltp.textContent())!.trim();
    await expect.poll(async () => (await ltp.textContent())!.trim(), { timeout: 30_000 }).not.toBe(first);

    // Sign out: back to /login, and pages redirect there again.
    await page.getByTestId('sign-out').click();
    await page.waitForURL((url) => url.pathname === '/login');
    await page.goto(`${desk.base}/watchlists`);
    await page.waitForURL((url) => url.pathname === '/login' && url.searchParams.get('next') === '/watchlists');
    expect((await page.context().cookies()).some((c) => c.name === 'marketdesk.session_token' && c.value !== '')).toBe(false);
  });

  it('changes the password in Settings: the old one is refused, the new one signs in', async () => {
    const NEW = 'a new and long password';
    const page = await pages.newPage();
    await signIn(page, '/settings');
    const panel = page.getByTestId('password-panel');
    await panel.getByLabel('Current password').fill('not the password');
    await panel.getByLabel('New password', { exact: true }).fill(NEW);
    await panel.getByLabel('New password again').fill(NEW);
    await panel.getByRole('button', { name: 'Change password' }).click();
    await expect.poll(() => panel.getByRole('alert').textContent()).toBe('The current password is wrong');
    await panel.getByLabel('Current password').fill(PASSWORD);
    await panel.getByRole('button', { name: 'Change password' }).click();
    await expect.poll(() => panel.getByRole('status').textContent()).toContain('Password changed');

    await page.getByTestId('sign-out').click();
    await page.waitForURL((url) => url.pathname === '/login');
    await page.getByTestId('login-email').fill(EMAIL);
    await page.getByTestId('login-password').fill(PASSWORD);
    await page.getByTestId('login-submit').click();
    await expect.poll(() => page.getByTestId('login-error').textContent()).toBe('Wrong email or password');
    await signIn(page, '/settings', NEW);
  });
});
