/**
 * The caller's own preferences (issue 13 point 1, docs/desk.md "Studies on the chart").
 *
 *   GET /api/me/chart-prefs → { scope: "user", prefs: { studies: ["rsi:14", "ema:50"], volume, oi } | null }
 *                            | { scope: "browser", prefs: null }
 *   PUT /api/me/chart-prefs   { studies, volume, oi } → { scope: "user", prefs }
 *
 * `scope: "user"`: the caller has an account (a session, or a token created by an account) and the
 * choice is stored server-side for it (`prefs` null until the first PUT). `scope: "browser"`: no
 * account (the loopback local desk before any account exists, a CLI token): the browser keeps
 * the choice in localStorage, and a PUT is a 409 `conflict`.
 * Study ids as GET /api/indicators takes them (lib/indicators/study-spec.ts); stored canonical
 * (`bb:20:2`), duplicates merged, at most 12; a bad one is a 400 naming `body.studies.N`.
 */
import { z } from 'zod';
import { endpoint } from '@/lib/http/endpoint';
import { MAX_STUDIES } from '@/lib/indicators/contract';
import { parseStudyId, studyId, STUDY_SYNTAX } from '@/lib/indicators/study-spec';
import { noQuery } from './common';

/** One study id → its canonical form; a 400 names the array element. */
const studyIdSchema = z.string({ error: `expected a study id: ${STUDY_SYNTAX}` }).transform((text, ctx) => {
  const spec = parseStudyId(text.trim());
  if (typeof spec === 'string') {
    ctx.addIssue({ code: 'custom', message: spec });
    return z.NEVER;
  }
  return studyId(spec);
});

/** PUT body: the chart's study choice, study ids in menu order, volume histogram and OI pane toggles. */
export const chartPrefsSchema = z
  .object({
    studies: z
      .array(studyIdSchema, { error: 'expected an array of study ids' })
      .max(MAX_STUDIES, `at most ${MAX_STUDIES} studies`)
      .transform((ids) => [...new Set(ids)]),
    volume: z.boolean({ error: 'expected true or false' }),
    oi: z.boolean({ error: 'expected true or false' }),
  })
  .meta({ id: 'ChartPrefsInput' });

/** The stored choice as answered (canonical ids). */
export const chartPrefsOutputSchema = z
  .object({ studies: z.array(z.string()), volume: z.boolean(), oi: z.boolean() })
  .meta({ id: 'ChartPrefs' });

export type ChartPrefs = z.infer<typeof chartPrefsOutputSchema>;

export const chartPrefsResponseSchema = z.object({
  /** `user`: stored for the caller's account; `browser`: no account, kept in the browser. */
  scope: z.enum(['user', 'browser']),
  prefs: chartPrefsOutputSchema.nullable(),
});

export type ChartPrefsResponse = z.infer<typeof chartPrefsResponseSchema>;

export const meEndpoints = {
  getChartPrefs: endpoint({
    method: 'GET',
    path: '/api/me/chart-prefs',
    tags: ['Me'],
    summary: "The caller's chart studies (per account)",
    description:
      '`scope: "user"` with the stored choice (null before the first PUT) for an account; `scope: "browser"` with null for a caller without an account (the local desk), whose browser keeps the choice.',
    query: noQuery,
    response: chartPrefsResponseSchema,
  }),
  putChartPrefs: endpoint({
    method: 'PUT',
    path: '/api/me/chart-prefs',
    tags: ['Me'],
    summary: "Replace the caller's chart studies",
    description: '409 `conflict` for a caller without an account (the local desk keeps the choice in the browser).',
    body: chartPrefsSchema,
    response: chartPrefsResponseSchema,
    errors: ['invalid_request', 'conflict'],
  }),
};
