/**
 * Key layout of the Campaign table (single-table design). Only shared/store/ knows it.
 *
 * | item              | pk                     | sk       | gsi1pk (byCollection)   | gsi1sk   |
 * |-------------------|------------------------|----------|-------------------------|----------|
 * | campaign          | C#<campaignId>         | META     | CAMPAIGNS               | <id>     |
 * | unit              | C#<campaignId>#U#<id>  | UNIT     | C#<campaignId>#UNITS    | <unitId> |
 *
 * A unit's partition also holds its totals (DAY#yyyy-mm-dd items) and risk state, so that
 * the hot items of different units never share a partition key. The byCollection index lists a
 * campaign's units in Query pages of up to 1 MB (about 3,000 units each), never one GetItem per unit.
 */
export const campaignKey = (campaignId: string) => ({ pk: `C#${campaignId}`, sk: 'META' });
export const campaignIndexKey = (campaignId: string) => ({ gsi1pk: 'CAMPAIGNS', gsi1sk: campaignId });
export const CAMPAIGNS_COLLECTION = 'CAMPAIGNS';

export const unitKey = (campaignId: string, unitId: string) => ({
  pk: `C#${campaignId}#U#${unitId}`,
  sk: 'UNIT',
});
export const unitsCollection = (campaignId: string) => `C#${campaignId}#UNITS`;
export const unitIndexKey = (campaignId: string, unitId: string) => ({
  gsi1pk: unitsCollection(campaignId),
  gsi1sk: unitId,
});

/**
 * Totals live in the unit's partition, one item per local day of occurredAt: `DAY#yyyy-mm-dd`, with
 * `n` (all), `k:<kind>`, `c:<channel>`, `g:<group>` counts and, for the roll-up's exactly-once rule,
 * one Binary watermark per recent stream shard named by `shardKey` (shared/store/watermark.ts: names
 * of 12+ characters without ':'). There is no running-total item: a unit's total is the sum of its
 * DAY items, read in one Query on the `DAY#` prefix.
 */
export const DAY_SK_PREFIX = 'DAY#';
export const dayKey = (campaignId: string, unitId: string, day: string) => ({
  pk: unitKey(campaignId, unitId).pk,
  sk: `${DAY_SK_PREFIX}${day}`,
});
/** The unit id of a unit partition key (`C#<campaignId>#U#<unitId>`; unit ids never contain '#'). */
export const unitIdOfPartition = (pk: string) => pk.slice(pk.lastIndexOf('#') + 1);

/**
 * A corrected event's correction state (`CORR#<eventId>`), in its unit's partition so that the
 * roll-up's UpdateItem-only access to unit partitions covers it: the version, the latest correction
 * and each admitted correction's delta (shared/domain/corrections.ts).
 */
export const CORRECTION_SK_PREFIX = 'CORR#';
export const correctionStateKey = (campaignId: string, unitId: string, originalId: string) => ({
  pk: unitKey(campaignId, unitId).pk,
  sk: `${CORRECTION_SK_PREFIX}${originalId}`,
});

/** A unit's current risk evaluation and alert state (`RISK`), and its level history (`LEVEL#<since>`). */
export const RISK_SK = 'RISK';
export const riskKey = (campaignId: string, unitId: string) => ({
  pk: unitKey(campaignId, unitId).pk,
  sk: RISK_SK,
});
export const levelHistoryKey = (campaignId: string, unitId: string, since: string) => ({
  pk: unitKey(campaignId, unitId).pk,
  sk: `LEVEL#${since}`,
});

/**
 * The alert outbox of a campaign: one item per message to publish, keyed so that a retried job
 * cannot enqueue a message twice, and listed by release time (SMS held in quiet hours).
 */
export const outboxPk = (campaignId: string) => `C#${campaignId}#OUTBOX`;
export const outboxSk = (releaseAt: string, messageKey: string) => `${releaseAt}#${messageKey}`;

/**
 * Leaders' registry (recipients) and silences, in the Campaign table:
 *
 * | item                 | pk                        | sk                      | notes                               |
 * |----------------------|---------------------------|-------------------------|-------------------------------------|
 * | recipient            | C#<campaignId>#RECIPIENTS | R#<unitId>#<id>         | a campaign's in one Query, a unit's |
 * |                      |                           |                         | by the prefix R#<unitId>#           |
 * | recipient id pointer | C#<campaignId>#RECIPIENTS | RID#<id>                | id → unitId (DELETE by id, no Scan) |
 * | endpoint claim       | ENDPOINT#<sms|email>#<e>  | CLAIM#<campaignId>      | one recipient per phone / address   |
 * |                      |                           |                         | and campaign; an endpoint's         |
 * |                      |                           |                         | campaigns in one Query (its one SNS |
 * |                      |                           |                         | subscription's `$or` policy)        |
 * | silence              | C#<campaignId>#SILENCES   | S#<until>#<id>          | active ones: one Query, sk ≥ now    |
 * | silence id pointer   | C#<campaignId>#SILENCES   | SID#<id>                | id → until                          |
 *
 * `until` in a silence key is UTC ISO 8601 (toISOString), so string order is time order.
 * Unit ids never contain '#' (shared/schemas/campaign.ts), so `R#<unitId>#` matches one unit only.
 */
export const recipientsPartition = (campaignId: string) => `C#${campaignId}#RECIPIENTS`;
export const RECIPIENT_SK_PREFIX = 'R#';
export const recipientUnitPrefix = (unitId: string) => `${RECIPIENT_SK_PREFIX}${unitId}#`;
export const recipientKey = (campaignId: string, unitId: string, recipientId: string) => ({
  pk: recipientsPartition(campaignId),
  sk: `${recipientUnitPrefix(unitId)}${recipientId}`,
});
export const recipientPointerKey = (campaignId: string, recipientId: string) => ({
  pk: recipientsPartition(campaignId),
  sk: `RID#${recipientId}`,
});
export const endpointPartition = (protocol: 'sms' | 'email', endpoint: string) =>
  `ENDPOINT#${protocol}#${protocol === 'email' ? endpoint.toLowerCase() : endpoint}`;
export const ENDPOINT_CLAIM_SK_PREFIX = 'CLAIM#';
export const endpointClaimKey = (protocol: 'sms' | 'email', endpoint: string, campaignId: string) => ({
  pk: endpointPartition(protocol, endpoint),
  sk: `${ENDPOINT_CLAIM_SK_PREFIX}${campaignId}`,
});

/**
 * The keys of records ordered by their end time, with an id pointer (until-ordered.ts): in the
 * campaign's `C#<campaignId>#<partition>`, a record under `<letter>#<untilUtc>#<id>` and its pointer
 * under `<letter>ID#<id>`; `<letter>$` is the first sort key after every record ('$' follows '#').
 */
export interface UntilOrderedKeys {
  readonly partition: (campaignId: string) => string;
  readonly skPrefix: string;
  readonly skEnd: string;
  readonly key: (campaignId: string, untilUtc: string, id: string) => { pk: string; sk: string };
  readonly pointerKey: (campaignId: string, id: string) => { pk: string; sk: string };
}

function untilOrderedKeys(partitionName: string, letter: string): UntilOrderedKeys {
  const partition = (campaignId: string) => `C#${campaignId}#${partitionName}`;
  return {
    partition,
    skPrefix: `${letter}#`,
    skEnd: `${letter}$`,
    key: (campaignId, untilUtc, id) => ({ pk: partition(campaignId), sk: `${letter}#${untilUtc}#${id}` }),
    pointerKey: (campaignId, id) => ({ pk: partition(campaignId), sk: `${letter}ID#${id}` }),
  };
}

/** Silences: `C#<campaignId>#SILENCES`, `S#<until>#<id>`, pointer `SID#<id>`. */
export const SILENCE_KEYS = untilOrderedKeys('SILENCES', 'S');

/**
 * Reports (weekly and final, shared/domain/report.ts), in the Campaign table:
 *
 * | item   | pk                     | sk                    | gsi1pk (byCollection)             | gsi1sk   |
 * |--------|------------------------|-----------------------|-----------------------------------|----------|
 * | report | C#<campaignId>#REPORTS | <unitId>#<periodId>   | C#<campaignId>#REPORTS#<periodId> | <unitId> |
 *
 * One item per (unit, period): a re-run of a period overwrites it. A unit's reports are one Query on
 * the `<unitId>#` prefix (unit ids never contain '#'), in period order (`2021-W09` < `2021-W10` <
 * `final`); one period's reports of every unit are one Query of the byCollection index.
 */
export const reportsPartition = (campaignId: string) => `C#${campaignId}#REPORTS`;
export const reportUnitPrefix = (unitId: string) => `${unitId}#`;
export const reportKey = (campaignId: string, unitId: string, periodId: string) => ({
  pk: reportsPartition(campaignId),
  sk: `${reportUnitPrefix(unitId)}${periodId}`,
});
export const reportsOfPeriod = (campaignId: string, periodId: string) =>
  `${reportsPartition(campaignId)}#${periodId}`;
export const reportIndexKey = (campaignId: string, unitId: string, periodId: string) => ({
  gsi1pk: reportsOfPeriod(campaignId, periodId),
  gsi1sk: unitId,
});

/**
 * Alerts, second round, in the Campaign table:
 *
 * | item                    | pk                         | sk                  |
 * |-------------------------|----------------------------|---------------------|
 * | acknowledgement         | C#<campaignId>#ACKS        | A#<until>#<id>      |
 * | acknowledgement pointer | C#<campaignId>#ACKS        | AID#<id>            |
 * | SMS budget of a month   | C#<campaignId>#SMS         | M#<yyyy-mm>         |
 * | sent message (feed)     | C#<campaignId>#FEED#<unit> | <sentAt>#<key>      |
 *
 * A sent message's copy lists what went to a unit's leaders by time (written with markSent, read
 * consistently): the unit alerts feed reads its unit's and its parent's (whose digests name it) in
 * two Queries. It expires with its outbox record.
 */
/** Acknowledgements: `C#<campaignId>#ACKS`, `A#<until>#<id>`, pointer `AID#<id>`. */
export const ACK_KEYS = untilOrderedKeys('ACKS', 'A');
export const smsBudgetKey = (campaignId: string, month: string) => ({
  pk: `C#${campaignId}#SMS`,
  sk: `M#${month}`,
});
export const feedCollection = (campaignId: string, unitId: string) => `C#${campaignId}#FEED#${unitId}`;

/**
 * Users and machine clients (identity registry), in the Campaign table:
 *
 * | item   | pk               | sk           |
 * |--------|------------------|--------------|
 * | user   | IDENTITY#USERS   | <email>      |
 * | client | IDENTITY#CLIENTS | <clientId>   |
 *
 * Each list is one Query; the token issuers (Cognito trigger, local provider) read one item.
 * E-mail addresses are stored lowercase.
 */
export const USERS_PARTITION = 'IDENTITY#USERS';
export const CLIENTS_PARTITION = 'IDENTITY#CLIENTS';
export const userKey = (email: string) => ({ pk: USERS_PARTITION, sk: email.toLowerCase() });
export const clientKey = (clientId: string) => ({ pk: CLIENTS_PARTITION, sk: clientId });
