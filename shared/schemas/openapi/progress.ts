/** A unit's progress reads: figures, children, daily series (functions/progress.ts) and corrections (functions/corrections.ts). */
import { MAX_CORRECTIONS_PER_PAGE } from '../corrections.js';
import { MAX_DAILY_RANGE_DAYS } from '../progress.js';
import { asOfParameter, dateParameter, queryParameter, readOperation } from './common.js';

export function progressPaths(): Record<string, unknown> {
  return {
    '/v1/campaigns/{campaignId}/units/{unitId}/progress': readOperation(
      'Progress of a unit (scope progress:read)',
      'Target, total, percent (two decimals; 100 when the target is 0), remaining, counts by kind, channel ' +
        'and group, today and the last 14 local days (zeros filled), sub-targets (intake of the group on days ' +
        'up to the sub-target deadline). Pace and risk fields are present and null until evaluated.',
      'ProgressResponse',
      [asOfParameter],
    ),
    '/v1/campaigns/{campaignId}/units/{unitId}/children': readOperation(
      "Summaries of a unit's children, worst first (scope progress:read)",
      'Lowest percent first, ties by unit id. Without asOf the summaries come from the running totals, so ' +
        '`today.count` and the totals of sub-targets whose deadline has passed are null; with asOf they are filled. ' +
        'Each child carries its last 14 days (`last14Days`, for sparklines).',
      'ChildrenResponse',
      [asOfParameter],
    ),
    '/v1/campaigns/{campaignId}/units/{unitId}/daily': readOperation(
      'Daily series of a unit (scope progress:read)',
      `Every local day from \`from\` through \`to\` (at most ${MAX_DAILY_RANGE_DAYS} days), zeros filled; days ` +
        'after today (or after the local day of asOf) are 0.',
      'DailyResponse',
      [
        dateParameter('from', 'YYYY-MM-DD; default: the campaign start date'),
        dateParameter('to', 'YYYY-MM-DD; default: today (the local day of asOf, or of now)'),
        asOfParameter,
      ],
    ),
    '/v1/campaigns/{campaignId}/units/{unitId}/corrections': readOperation(
      'Corrections of a unit and the units below it (scope progress:read)',
      'Who corrected which event, when and why, received from `from` through `to` (local days of receivedAt; ' +
        `at most ${MAX_DAILY_RANGE_DAYS} days), oldest first, at most ${MAX_CORRECTIONS_PER_PAGE} per answer: ` +
        "`next`, passed as `cursor`, gives the rest. `day` is the corrected event's local day; `from` is the count " +
        'in force before the correction (null until rolled up).',
      'CorrectionsResponse',
      [
        dateParameter('from', 'YYYY-MM-DD; default: the campaign start date'),
        dateParameter('to', 'YYYY-MM-DD; default: today'),
        queryParameter('cursor', { description: 'The `next` of the previous answer' }),
      ],
    ),
  };
}
