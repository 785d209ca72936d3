'use client';

/**
 * "Try it" for one operation of the /docs reference: fill the path and query parameters (and a
 * JSON body), send the request from the browser to this app, see the status and the answer.
 */
import { useState } from 'react';

export interface TryItParameter {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  example?: string;
}

export function TryIt({ method, path, parameters, hasBody }: { method: string; path: string; parameters: TryItParameter[]; hasBody: boolean }) {
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(parameters.map((p) => [`${p.in}:${p.name}`, p.example ?? ''])),
  );
  const [body, setBody] = useState('{}');
  const [answer, setAnswer] = useState<{ status: number; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  async function send() {
    setBusy(true);
    try {
      let url = path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(values[`path:${name}`] ?? ''));
      const query = new URLSearchParams();
      for (const p of parameters) {
        const value = values[`query:${p.name}`];
        if (p.in === 'query' && value) query.set(p.name, value);
      }
      if (query.size) url += `?${query}`;
      const response = await fetch(url, {
        method,
        headers: hasBody ? { 'content-type': 'application/json' } : undefined,
        body: hasBody ? body : undefined,
        cache: 'no-store',
      });
      const text = await response.text();
      let pretty = text;
      try {
        pretty = JSON.stringify(JSON.parse(text), null, 2);
      } catch {
        // not JSON (metrics): shown as is
      }
      setAnswer({ status: response.status, text: pretty.length > 20_000 ? `${pretty.slice(0, 20_000)}\n…` : pretty });
    } catch (error) {
      setAnswer({ status: 0, text: error instanceof Error ? error.message : String(error) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <details className="mt-2 rounded border border-desk-line">
      <summary className="cursor-pointer px-2 py-1 text-xs text-desk-muted">Try it</summary>
      <div className="space-y-2 p-2">
        {parameters.map((p) => (
          <label key={`${p.in}:${p.name}`} className="flex items-center gap-2 text-xs">
            <span className="w-32 shrink-0 break-all font-mono">
              {p.in}.{p.name}
              {p.required ? <span className="text-down">*</span> : null}
            </span>
            <input
              className="min-w-0 flex-1 rounded border border-desk-line bg-desk-bg px-2 py-1 font-mono"
              value={values[`${p.in}:${p.name}`] ?? ''}
              onChange={(e) => setValues({ ...values, [`${p.in}:${p.name}`]: e.target.value })}
            />
          </label>
        ))}
        {hasBody && (
          <textarea
            aria-label="JSON body"
            className="h-28 w-full rounded border border-desk-line bg-desk-bg p-2 font-mono text-xs"
            value={body}
            onChange={(e) => setBody(e.target.value)}
          />
        )}
        <button
          type="button"
          onClick={send}
          disabled={busy}
          className="rounded bg-desk-raised px-3 py-1 text-xs font-medium hover:text-accent disabled:opacity-50"
        >
          {busy ? 'Sending…' : `Send ${method}`}
        </button>
        {answer && (
          <div>
            <div className={`text-xs ${answer.status >= 200 && answer.status < 300 ? 'text-up' : 'text-down'}`}>HTTP {answer.status || 'error'}</div>
            <pre className="max-h-96 overflow-auto rounded bg-desk-bg p-2 text-xs">{answer.text}</pre>
          </div>
        )}
      </div>
    </details>
  );
}
