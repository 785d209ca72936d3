'use client';

/**
 * API tokens on the Settings page (admin): the list (never the tokens themselves), a form that
 * creates one and shows it once, and Revoke on each active token.
 */
import { useCallback, useEffect, useState } from 'react';
import { formatIst, settingsApi, type Role, type TokenRow } from './api';

const field = 'h-8 rounded-md border border-desk-line bg-desk-bg px-2 text-[13px] focus:border-accent/60 focus:outline-none';
const heading = 'text-[11px] font-semibold uppercase tracking-widest text-desk-faint';

export function TokensPanel() {
  const [tokens, setTokens] = useState<TokenRow[] | null>(null);
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const [error, setError] = useState<string | null>(null);

  const reload = useCallback(() => {
    settingsApi.tokens().then(setTokens, (failure: Error) => setError(failure.message));
  }, []);
  useEffect(reload, [reload]);

  const act = async (action: () => Promise<void>) => {
    setError(null);
    try {
      await action();
    } catch (failure) {
      setError((failure as Error).message);
    }
    reload();
  };

  const create = () =>
    act(async () => {
      const answer = await settingsApi.createToken(name.trim(), role);
      setCreated({ name: answer.info.name, token: answer.token });
      setName('');
    });

  return (
    <section data-testid="tokens-panel" className="space-y-3 rounded-lg border border-desk-line bg-desk-panel p-4 text-[13px]">
      <div className="flex items-baseline justify-between">
        <h2 className={heading}>API tokens</h2>
        <span className="text-[11px] text-desk-faint">
          Scripts send <code className="font-mono">Authorization: Bearer mdk_…</code>; Socket.IO clients <code className="font-mono">auth: {'{ token }'}</code>
        </span>
      </div>
      {error && <div role="alert" className="rounded-md border border-down/40 bg-down/10 px-3 py-2 text-xs text-down">{error}</div>}
      <form
        data-testid="token-form"
        onSubmit={(event) => {
          event.preventDefault();
          void create();
        }}
        className="flex flex-wrap items-center gap-2"
      >
        <input data-testid="token-name" aria-label="Token name" value={name} onChange={(e) => setName(e.target.value)} placeholder="Name, e.g. grafana" maxLength={64} className={`${field} w-56`} />
        <select data-testid="token-role" aria-label="Token role" value={role} onChange={(e) => setRole(e.target.value as Role)} className={field}>
          <option value="viewer">viewer</option>
          <option value="admin">admin</option>
        </select>
        <button type="submit" data-testid="token-create" disabled={!name.trim()} className="rounded-md bg-accent px-3 py-1.5 font-medium text-black disabled:opacity-40">
          Create token
        </button>
      </form>
      {created && (
        <div data-testid="token-created" className="space-y-1 rounded-md border border-accent/40 bg-accent/10 px-3 py-2">
          <div className="text-xs text-desk-muted">
            Token <span className="text-desk-text">{created.name}</span>: copy it now, it is not shown again.
          </div>
          <div className="flex items-center gap-2">
            <code data-testid="token-value" className="select-all break-all font-mono text-[12px] text-desk-text">{created.token}</code>
            <button type="button" onClick={() => void navigator.clipboard?.writeText(created.token)} className="rounded border border-desk-line px-2 py-0.5 text-[11px] text-desk-muted hover:text-desk-text">
              Copy
            </button>
            <button type="button" onClick={() => setCreated(null)} className="ml-auto text-[11px] text-desk-muted hover:text-desk-text">
              Done
            </button>
          </div>
        </div>
      )}
      <div className="overflow-x-auto">
        <table className="w-full text-left text-[12px]">
          <thead className="text-[11px] text-desk-faint">
            <tr>
              <th className="py-1 font-medium">Name</th>
              <th className="py-1 font-medium">Role</th>
              <th className="py-1 font-medium">Token</th>
              <th className="py-1 font-medium">Created</th>
              <th className="py-1 font-medium">Last used</th>
              <th className="py-1 font-medium">State</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {tokens?.length === 0 && (
              <tr>
                <td colSpan={7} className="py-2 text-desk-muted">No tokens yet.</td>
              </tr>
            )}
            {tokens?.map((token) => (
              <tr key={token.id} data-testid="token-row" data-name={token.name} data-state={token.revokedAt ? 'revoked' : 'active'} className="border-t border-desk-line">
                <td className="py-1.5 text-desk-text">{token.name}</td>
                <td className="py-1.5">{token.role}</td>
                <td className="py-1.5 font-mono text-desk-muted">{token.prefix}…</td>
                <td className="py-1.5 text-desk-muted">{formatIst(token.createdAt)}</td>
                <td className="py-1.5 text-desk-muted">{formatIst(token.lastUsedAt)}</td>
                <td className={`py-1.5 ${token.revokedAt ? 'text-desk-faint' : 'text-up'}`}>{token.revokedAt ? `revoked ${formatIst(token.revokedAt)}` : 'active'}</td>
                <td className="py-1.5 text-right">
                  {!token.revokedAt && (
                    <button type="button" data-testid="token-revoke" onClick={() => void act(async () => void (await settingsApi.revokeToken(token.id)))} className="rounded border border-down/40 px-2 py-0.5 text-[11px] text-down hover:bg-down/10">
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
