/**
 * The chart's study choice in the browser's localStorage (key `marketdesk.chart.studies.v1`):
 * `{ studies: ["rsi:14", "ema:50"], volume: true, oi: true }`. The first paint's copy, and the
 * only one without an account (the local desk); with an account the server's copy
 * (/api/me/chart-prefs) replaces it (use-study-prefs.ts). Unknown or invalid ids in storage are
 * dropped; a missing or broken entry gives the defaults: session VWAP and SMA 20 overlays, volume
 * and OI on (a first chart shows studies; a user who removes them all keeps an empty list).
 */
import { parseStudyId, studyId, type StudySpec } from '@/lib/indicators/study-spec';

export interface StudyPrefs {
  studies: StudySpec[];
  /** Volume histogram under the candles. */
  volume: boolean;
  /** OI pane (futures and options only). */
  oi: boolean;
}

export const STUDY_PREFS_KEY = 'marketdesk.chart.studies.v1';
export const DEFAULT_PREFS: StudyPrefs = { studies: ['vwap', 'sma:20'].map((id) => parseStudyId(id) as StudySpec), volume: true, oi: true };

export function loadStudyPrefs(): StudyPrefs {
  try {
    const raw = window.localStorage.getItem(STUDY_PREFS_KEY);
    if (!raw) return DEFAULT_PREFS;
    const stored = JSON.parse(raw) as { studies?: unknown; volume?: unknown; oi?: unknown };
    const ids = Array.isArray(stored.studies) ? stored.studies.filter((s): s is string => typeof s === 'string') : [];
    const studies = ids.map(parseStudyId).filter((s): s is StudySpec => typeof s !== 'string');
    return { studies, volume: stored.volume !== false, oi: stored.oi !== false };
  } catch {
    return DEFAULT_PREFS;
  }
}

export function saveStudyPrefs(prefs: StudyPrefs): void {
  try {
    window.localStorage.setItem(STUDY_PREFS_KEY, JSON.stringify({ studies: prefs.studies.map(studyId), volume: prefs.volume, oi: prefs.oi }));
  } catch {
    // Private mode or quota: the choice lasts for this page only.
  }
}
