'use client';
/**
 * The chart's study choice for the current user (issue 13 point 1): `[prefs, change]`.
 *
 * - Signed-in account (session or a token with an account): stored server-side per user
 *   (`GET`/`PUT /api/me/chart-prefs`), so it follows the user to any browser.
 * - No account (the loopback local desk, docs/security.md; an account-less CLI token) or the
 *   server unreachable: the browser's localStorage (prefs.ts), as before accounts.
 *
 * The first paint uses localStorage (read after mount, it does not exist on the server), then
 * the server's copy replaces it when the server has one. A change is applied at once, written to
 * localStorage and, for an account, PUT to the server (a failed PUT keeps the local copy).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { parseStudyId, studyId, type StudySpec } from '@/lib/indicators/study-spec';
import { DEFAULT_PREFS, loadStudyPrefs, saveStudyPrefs, type StudyPrefs } from './prefs';

export const CHART_PREFS_URL = '/api/me/chart-prefs';

interface StoredPrefs {
  studies: string[];
  volume: boolean;
  oi: boolean;
}

/** Server answer → StudyPrefs (unknown ids dropped), or null when the server keeps none for this caller. */
export function prefsFromServer(answer: { scope?: unknown; prefs?: StoredPrefs | null }): StudyPrefs | null {
  if (answer.scope !== 'user' || !answer.prefs) return null;
  const studies = answer.prefs.studies.map(parseStudyId).filter((s): s is StudySpec => typeof s !== 'string');
  return { studies, volume: answer.prefs.volume !== false, oi: answer.prefs.oi !== false };
}

export function prefsToServer(prefs: StudyPrefs): StoredPrefs {
  return { studies: prefs.studies.map(studyId), volume: prefs.volume, oi: prefs.oi };
}

export function useStudyPrefs(): [StudyPrefs, (next: StudyPrefs) => void] {
  const [prefs, setPrefs] = useState<StudyPrefs>(DEFAULT_PREFS);
  // 'user' once the server said it stores this caller's choice.
  const scope = useRef<'unknown' | 'user' | 'browser'>('unknown');
  // A change made before the server answered wins over the server's older copy.
  const changed = useRef(false);

  useEffect(() => {
    setPrefs(loadStudyPrefs());
    const abort = new AbortController();
    fetch(CHART_PREFS_URL, { signal: abort.signal, cache: 'no-store' })
      .then(async (response) => {
        if (!response.ok) return;
        const answer = (await response.json()) as { scope?: unknown; prefs?: StoredPrefs | null };
        scope.current = answer.scope === 'user' ? 'user' : 'browser';
        const stored = prefsFromServer(answer);
        if (stored && !changed.current) {
          setPrefs(stored);
          saveStudyPrefs(stored);
        }
      })
      .catch(() => undefined); // offline or aborted: localStorage stays
    return () => abort.abort();
  }, []);

  const change = useCallback((next: StudyPrefs) => {
    changed.current = true;
    setPrefs(next);
    saveStudyPrefs(next);
    if (scope.current === 'browser') return;
    void fetch(CHART_PREFS_URL, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(prefsToServer(next)),
    }).catch(() => undefined);
  }, []);

  return [prefs, change];
}
