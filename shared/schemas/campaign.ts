/**
 * The campaign file: a campaign and its units, any depth.
 * These schemas are the single source of the file's shape, its TypeScript types
 * and (later) the OpenAPI document. Cross-unit rules (parents, cycles, sums,
 * deadlines) live in shared/domain/catalog.ts, because zod sees one value at a time.
 */
import * as z from 'zod';
import { hasControlCharacters } from '../util/text.js';
import { CODE_PATTERN, ID_RULES, isReservedWord, reservedMessage } from './ids.js';
import { lazySchema } from './lazy.js';
import { ISO_DATE_PATTERN, isRealDate } from './query-rules.js';
import { DEFAULT_CORRECTION_WINDOW_DAYS } from './values.js';

export { DEFAULT_CORRECTION_WINDOW_DAYS };

/** A calendar date, YYYY-MM-DD, that exists (2021-02-30 is refused). */
export const IsoDate = lazySchema(() =>
  z
    .string()
    // abort: a badly written date gets one message, not also "is not a real calendar date".
    .regex(ISO_DATE_PATTERN, {
      error: (issue) => `must be a date written YYYY-MM-DD (got ${JSON.stringify(issue.input)})`,
      abort: true,
    })
    .refine(isRealDate, { error: (issue) => `${String(issue.input)} is not a real calendar date` }),
);

/** A local time of day, HH:MM, 00:00..24:00. */
export const LocalTime = lazySchema(() =>
  z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be a time written HH:MM (00:00 to 24:00)'),
);

export const TimeZone = lazySchema(() =>
  z.string().refine((tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'is not an IANA time zone (e.g. Asia/Ho_Chi_Minh)'),
);

/** Identifiers that become parts of storage keys: no '#', no spaces (rules in ids.ts). */
export const CampaignId = lazySchema(() =>
  z.string().regex(ID_RULES.campaignId.pattern, ID_RULES.campaignId.message),
);
export { isReservedWord };

const notReserved = { error: (issue: { input: unknown }) => reservedMessage(issue.input) };

export const UnitId = lazySchema(() =>
  z
    .string()
    .regex(ID_RULES.unitId.pattern, { error: ID_RULES.unitId.message, abort: true })
    .refine((s) => !isReservedWord(s), notReserved),
);
/** What a record kept for one unit of a campaign (a recipient, a silence, an acknowledgement) opens with. */
export const unitRecordHead = <Id extends z.ZodType>(id: Id) => ({
  id,
  campaignId: CampaignId,
  unitId: UnitId,
});
/**
 * What a record that mutes a unit until a moment (a silence, an acknowledgement) opens with: the
 * unit record's head, `until` (UTC ISO 8601 as stored), and who made it when.
 */
export const untilRecordHead = <Id extends z.ZodType>(id: Id) => ({
  ...unitRecordHead(id),
  until: z.iso.datetime({ offset: true }),
  createdAt: z.iso.datetime({ offset: true }),
  createdBy: z.string(),
});

/** A name shown to people: one line, no control characters (they would forge lines in e-mails, CSV, logs). */
export const Name = lazySchema(() =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(200)
    .refine((s) => !hasControlCharacters(s), 'must not contain control characters (line breaks, tabs…)'),
);
/** A short lowercase code: a kind ("new"), a group ("official"), a level ("province"). */
export const Code = lazySchema(() =>
  z
    .string()
    .regex(CODE_PATTERN, {
      error: 'must be a lowercase code such as "new" or "official"',
      abort: true,
    })
    .refine((s) => !isReservedWord(s), notReserved),
);

export const Target = lazySchema(() =>
  z
    .number({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a number') })
    .int('must be a whole number')
    .nonnegative('must not be negative')
    .max(1e9, 'is implausibly large (over 1,000,000,000)'),
);

// Strict objects: a misspelt optional field ("subtargets") would otherwise be dropped
// silently and the file would load without its sub-targets.
export const SubTarget = lazySchema(() =>
  z.strictObject({
    group: Code,
    target: Target,
    deadline: IsoDate,
  }),
);
export type SubTarget = z.infer<typeof SubTarget>;

export const WorkingHours = lazySchema(() =>
  z
    .strictObject({ start: LocalTime, end: LocalTime })
    // when: compare only two valid times; "7h" < "22h" would add a misleading second message.
    .refine((w) => w.start < w.end, {
      message: 'start must be before end',
      path: ['end'],
      when: (payload) => payload.issues.length === 0,
    }),
);

export const Thresholds = lazySchema(() =>
  z
    .strictObject({
      atRisk: z.number().positive().max(10),
      critical: z.number().positive().max(10),
    })
    .refine((t) => t.critical <= t.atRisk, {
      message: 'critical must not be above atRisk',
      path: ['critical'],
      when: (payload) => payload.issues.length === 0,
    }),
);

/**
 * What leaders receive (alert policy and SMS budget), campaign-wide. Every field is optional; the
 * defaults are in shared/domain/alert-settings.ts and the README.
 */
export const AlertSettings = lazySchema(() =>
  z.strictObject({
    /** Consecutive evaluations a level (or a recovery) must hold before it alerts. */
    for: z.number().int('must be a whole number').min(1).max(48).optional(),
    /** Days between repeats of an unchanged critical level, in order; the last one holds. */
    repeatBackoffDays: z
      .array(z.number().positive('must be a positive number of days').max(90))
      .min(1, 'must list at least one gap')
      .max(12)
      .optional(),
    /** Days critical before the parent's leaders are told too. */
    escalateAfterDays: z.number().positive().max(365).optional(),
    /** Local hours during which SMS are held (e-mail is not); equal start and end: none. */
    quietHours: z.strictObject({ start: LocalTime, end: LocalTime }).optional(),
    /** The registered SMS brand name, put before every SMS (counted inside its 160 characters). */
    smsBrand: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,10}$/, 'must be 1 to 11 letters, digits, spaces, ".", "_" or "-"')
      .optional(),
    /** Put the unit's dashboard link in SMS when the text still fits. */
    smsLinks: z.boolean().optional(),
    /** SMS per calendar month (campaign time zone): at 80 % the root's leaders are told; at the cap SMS go by e-mail. */
    smsMonthlyCap: z.number().int('must be a whole number').positive().max(100_000_000).optional(),
  }),
);
export type AlertSettings = z.infer<typeof AlertSettings>;

export const DEFAULT_TIME_ZONE = 'Asia/Ho_Chi_Minh';
export const DEFAULT_KINDS = ['new', 'renewal'];
export const DEFAULT_WORKING_HOURS = { start: '07:00', end: '22:00' };
export const DEFAULT_THRESHOLDS = { atRisk: 1.0, critical: 0.8 };

export const Campaign = lazySchema(() =>
  z.strictObject({
    id: CampaignId,
    name: Name,
    timeZone: TimeZone.default(DEFAULT_TIME_ZONE),
    startDate: IsoDate,
    kinds: z
      .array(Code)
      .min(1, 'must list at least one kind')
      .refine((a) => new Set(a).size === a.length, 'must not repeat a kind')
      .default(DEFAULT_KINDS),
    groups: z
      .array(Code)
      .refine((a) => new Set(a).size === a.length, 'must not repeat a group')
      .default([]),
    workingHours: WorkingHours.default(DEFAULT_WORKING_HOURS),
    thresholds: Thresholds.default(DEFAULT_THRESHOLDS),
    alerts: AlertSettings.optional(),
    /**
     * How many days after an event's occurredAt it may still be corrected (a correction's own
     * occurredAt at most this much later). Campaign-wide: changing it needs a grant covering the root.
     */
    correctionWindowDays: z
      .number()
      .int('must be a whole number')
      .min(0, 'must be at least 0')
      .max(366, 'must be at most 366')
      .default(DEFAULT_CORRECTION_WINDOW_DAYS),
  }),
);
export type Campaign = z.infer<typeof Campaign>;
export type CampaignInput = z.input<typeof Campaign>;

export const Unit = lazySchema(() =>
  z.strictObject({
    id: UnitId,
    parentId: UnitId.nullable(),
    name: Name,
    level: Code,
    target: Target,
    deadline: IsoDate,
    subTargets: z.array(SubTarget).default([]),
    /**
     * The unit this one was merged into (a reorganisation): it takes no more intake, drops out of
     * children lists, and its history counts toward the successor; its own page keeps its past.
     */
    mergedInto: UnitId.optional(),
  }),
);
export type Unit = z.infer<typeof Unit>;
export type UnitInput = z.input<typeof Unit>;

export const CampaignFile = lazySchema(() =>
  z.strictObject({
    campaign: Campaign,
    units: z.array(Unit).min(1, 'must list at least one unit'),
  }),
);
export type CampaignFile = z.infer<typeof CampaignFile>;
export type CampaignFileInput = z.input<typeof CampaignFile>;

/**
 * Query of PUT /v1/campaigns/{campaignId} (functions/campaign-admin.ts). `allowRemoval=true`: units the
 * file no longer lists are removed (needs the stored root); `dryRun=true`: the plan (with each affected
 * unit's total before and after a reorganisation), nothing written.
 */
export const CampaignImportQuery = lazySchema(() =>
  z.strictObject({
    allowRemoval: z.enum(['true', 'false']).optional(),
    dryRun: z.enum(['true', 'false']).optional(),
  }),
);
