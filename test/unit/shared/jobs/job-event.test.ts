/**
 * The scheduled jobs read `{}` without zod (shared/jobs/job-event.ts) and anything else through their
 * schemas (shared/schemas/jobs.ts): the plain reading must give what the schema gives, and the
 * field lists it uses must be the schemas' own.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  emptyJobEvent,
  JOB_EVENT_FIELDS,
  jobInput,
  readJobEvent,
} from '../../../../shared/jobs/job-event.js';
import { ReorganiseJobEvent, ReportJobEvent, RiskJobEvent } from '../../../../shared/schemas/jobs.js';

const JOBS = [
  { name: 'risk', fields: JOB_EVENT_FIELDS.risk, schema: RiskJobEvent },
  { name: 'report', fields: JOB_EVENT_FIELDS.report, schema: ReportJobEvent },
  { name: 'reorganise', fields: JOB_EVENT_FIELDS.reorganise, schema: ReorganiseJobEvent },
] as const;

describe('job events', () => {
  it('name the fields of their schemas', () => {
    for (const job of JOBS) expect([...job.fields].sort()).toEqual(Object.keys(job.schema.shape).sort());
  });

  it('read a scheduled run (`{}`, nothing, or EventBridge fields only) as `{}` without the schema', async () => {
    for (const event of [
      {},
      undefined,
      null,
      { version: '0', 'detail-type': 'Scheduled Event', detail: {} },
    ]) {
      expect(emptyJobEvent(event, JOB_EVENT_FIELDS.risk)).toEqual({});
      const load = async () => {
        throw new Error('the schema was loaded');
      };
      await expect(jobInput(event, JOB_EVENT_FIELDS.risk, load, 'risk job input')).resolves.toEqual({});
    }
  });

  it('leave every other event to the schema, which accepts it or says why not', async () => {
    const load = async () => RiskJobEvent;
    await expect(
      jobInput({ campaignId: 'tet-2021' }, JOB_EVENT_FIELDS.risk, load, 'risk job input'),
    ).resolves.toEqual({
      campaignId: 'tet-2021',
    });
    await expect(
      jobInput({ asOf: 'yesterday' }, JOB_EVENT_FIELDS.risk, load, 'risk job input'),
    ).rejects.toThrow(/^Invalid risk job input: asOf: must be an ISO 8601 date-time with an offset/);
    await expect(jobInput('run', JOB_EVENT_FIELDS.risk, load, 'risk job input')).rejects.toThrow(
      /^Invalid risk job input/,
    );
    for (const event of ['run', 1, [], new Date(), { campaignId: undefined }, { final: true }]) {
      expect(emptyJobEvent(event, JOB_EVENT_FIELDS.report)).toBeUndefined();
    }
  });

  it('agree with the schema: whatever they read as `{}`, the schema parses to `{}`', () => {
    for (const job of JOBS) {
      const key = fc.oneof(fc.constantFrom(...job.fields, 'version', 'detail'), fc.string({ maxLength: 6 }));
      const events = fc.oneof(
        fc.dictionary(key, fc.jsonValue({ maxDepth: 1 }), { maxKeys: 4 }),
        fc.jsonValue({ maxDepth: 1 }),
        fc.constantFrom(undefined, null),
      );
      fc.assert(
        fc.property(events, (event) => {
          if (emptyJobEvent(event, job.fields) === undefined) return;
          expect(job.schema.parse(event ?? {})).toEqual({});
        }),
        { numRuns: 300 },
      );
    }
  });

  it.each(JOBS)("read by name: the $name job's own fields and schema", async ({ name }) => {
    await expect(readJobEvent(name, {})).resolves.toEqual({});
    await expect(readJobEvent(name, { campaignId: 'tet-2021', other: 1 })).resolves.toEqual({
      campaignId: 'tet-2021',
    });
    await expect(readJobEvent(name, { campaignId: 7 })).rejects.toThrow(
      new RegExp(`^Invalid ${name} job input: campaignId`),
    );
  });
});
