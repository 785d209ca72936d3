'use client';

/**
 * The chart's study picker: add a study (default parameters), change its parameters (applied on
 * Enter or blur when valid, lib/indicators/study-spec.ts), remove it; toggle the volume histogram
 * and, for futures and options, the OI pane. The caller persists the result (prefs.ts).
 *
 * Test ids: studies-button, study-add-<kind>, study-row-<id>, study-param-<id>-<i>, study-remove-<id>,
 * study-volume, study-oi.
 */
import { useState } from 'react';
import { DEFAULT_STUDIES, parseStudyId, STUDY_KINDS, studyId, type StudySpec } from '@/lib/indicators/study-spec';
import type { StudyPrefs } from './prefs';

const KIND_NAMES = { sma: 'SMA', ema: 'EMA', vwap: 'VWAP', bb: 'Bollinger', rsi: 'RSI', macd: 'MACD' } as const;

/** The editable numbers of a spec, in id order (`bb:20:2` → ["20", "2"]). */
const paramsOf = (spec: StudySpec) => studyId(spec).split(':').slice(1);

export function StudyMenu({ prefs, hasOi, onChange }: { prefs: StudyPrefs; hasOi: boolean; onChange: (prefs: StudyPrefs) => void }) {
  const [open, setOpen] = useState(false);
  const ids = prefs.studies.map(studyId);
  const add = (spec: StudySpec) => {
    if (!ids.includes(studyId(spec))) onChange({ ...prefs, studies: [...prefs.studies, spec] });
  };
  const replace = (index: number, spec: StudySpec) => {
    const next = prefs.studies.slice();
    next[index] = spec;
    if (next.filter((s) => studyId(s) === studyId(spec)).length === 1) onChange({ ...prefs, studies: next });
  };
  const remove = (index: number) => onChange({ ...prefs, studies: prefs.studies.filter((_, i) => i !== index) });

  return (
    <div className="relative">
      <button
        type="button"
        data-testid="studies-button"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        className="rounded px-2.5 py-1 text-xs text-desk-muted hover:bg-desk-hover hover:text-desk-text"
      >
        ƒx Studies{prefs.studies.length ? ` (${prefs.studies.length})` : ''}
      </button>
      {open && (
        <div className="absolute left-0 top-full z-30 mt-1 w-72 rounded-md border border-desk-line bg-desk-panel p-2 text-xs shadow-lg" data-testid="studies-menu">
          <div className="flex flex-wrap gap-1">
            {STUDY_KINDS.map((kind) => (
              <button
                key={kind}
                type="button"
                data-testid={`study-add-${kind}`}
                onClick={() => add(DEFAULT_STUDIES[kind])}
                className="rounded border border-desk-line px-2 py-0.5 text-desk-text hover:bg-desk-hover"
              >
                + {KIND_NAMES[kind]}
              </button>
            ))}
          </div>
          <ul className="mt-2 space-y-1">
            {prefs.studies.map((spec, index) => (
              <StudyRow key={studyId(spec)} spec={spec} onSpec={(next) => replace(index, next)} onRemove={() => remove(index)} />
            ))}
          </ul>
          <div className="mt-2 flex gap-3 border-t border-desk-line pt-2 text-desk-muted">
            <label className="flex items-center gap-1">
              <input type="checkbox" data-testid="study-volume" checked={prefs.volume} onChange={(e) => onChange({ ...prefs, volume: e.target.checked })} />
              Volume
            </label>
            {hasOi && (
              <label className="flex items-center gap-1">
                <input type="checkbox" data-testid="study-oi" checked={prefs.oi} onChange={(e) => onChange({ ...prefs, oi: e.target.checked })} />
                OI
              </label>
            )}
          </div>
        </div>
      )}
    </div>
  );
}

function StudyRow({ spec, onSpec, onRemove }: { spec: StudySpec; onSpec: (spec: StudySpec) => void; onRemove: () => void }) {
  const id = studyId(spec);
  const [draft, setDraft] = useState(paramsOf(spec));
  const [error, setError] = useState<string | null>(null);
  const commit = () => {
    const parsed = parseStudyId([spec.kind, ...draft].join(':'));
    if (typeof parsed === 'string') return setError(parsed.replace(/^"[^"]*": /, ''));
    setError(null);
    if (studyId(parsed) !== id) onSpec(parsed);
  };
  return (
    <li data-testid={`study-row-${id}`} className="flex flex-wrap items-center gap-1">
      <span className="w-16 font-medium text-desk-text">{KIND_NAMES[spec.kind]}</span>
      {draft.map((value, i) => (
        <input
          key={i}
          data-testid={`study-param-${id}-${i}`}
          value={value}
          inputMode="decimal"
          onChange={(e) => setDraft(draft.map((d, j) => (j === i ? e.target.value : d)))}
          onBlur={commit}
          onKeyDown={(e) => e.key === 'Enter' && commit()}
          className="w-12 rounded border border-desk-line bg-desk-bg px-1 py-0.5 font-mono text-desk-text"
        />
      ))}
      <button type="button" data-testid={`study-remove-${id}`} onClick={onRemove} aria-label={`Remove ${id}`} className="ml-auto px-1 text-desk-faint hover:text-down">
        ×
      </button>
      {error && <span className="w-full text-[10px] text-down">{error}</span>}
    </li>
  );
}
