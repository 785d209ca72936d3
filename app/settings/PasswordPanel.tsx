'use client';

/**
 * Change your own password on the Settings page (signed-in accounts; POST /api/auth/password).
 * The new password is typed twice and must have 12–128 characters; on success the account's
 * other sessions are signed out (this one stays) and the form says so.
 */
import { useState } from 'react';
import { settingsApi } from './api';

const field = 'h-8 rounded-md border border-desk-line bg-desk-bg px-2 text-[13px] focus:border-accent/60 focus:outline-none';
const heading = 'text-[11px] font-semibold uppercase tracking-widest text-desk-faint';

export function PasswordPanel() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  const submit = async () => {
    if (next !== again) return setMessage({ ok: false, text: 'The new passwords differ' });
    if (next.length < 12) return setMessage({ ok: false, text: 'The new password needs at least 12 characters' });
    try {
      await settingsApi.changePassword(current, next);
      setCurrent('');
      setNext('');
      setAgain('');
      setMessage({ ok: true, text: 'Password changed. Your other sessions were signed out.' });
    } catch (failure) {
      setMessage({ ok: false, text: (failure as Error).message.replace('body.currentPassword: incorrect', 'The current password is wrong') });
    }
  };

  return (
    <section data-testid="password-panel" className="space-y-3 rounded-lg border border-desk-line bg-desk-panel p-4 text-[13px]">
      <h2 className={heading}>Password</h2>
      {message && (
        <div role={message.ok ? 'status' : 'alert'} className={`rounded-md border px-3 py-2 text-xs ${message.ok ? 'border-up/40 bg-up/10 text-up' : 'border-down/40 bg-down/10 text-down'}`}>
          {message.text}
        </div>
      )}
      <form
        data-testid="password-form"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
        className="flex flex-wrap items-center gap-2"
      >
        <input type="password" autoComplete="current-password" aria-label="Current password" placeholder="Current password" value={current} onChange={(e) => setCurrent(e.target.value)} maxLength={128} required className={`${field} w-full sm:w-48`} />
        <input type="password" autoComplete="new-password" aria-label="New password" placeholder="New password (12+)" value={next} onChange={(e) => setNext(e.target.value)} maxLength={128} required className={`${field} w-full sm:w-48`} />
        <input type="password" autoComplete="new-password" aria-label="New password again" placeholder="New password again" value={again} onChange={(e) => setAgain(e.target.value)} maxLength={128} required className={`${field} w-full sm:w-48`} />
        <button type="submit" className="h-8 rounded-md border border-accent/50 bg-accent/15 px-3 text-[13px] text-accent hover:bg-accent/25">
          Change password
        </button>
      </form>
    </section>
  );
}
