/**
 * Table definitions: the one place that says which tables exist, their keys, indexes
 * and streams. The CDK stack (infra/) and the local runtime (infra/local/) both build
 * their tables from these objects, so the two cannot drift apart.
 */

export type AttributeType = 'S' | 'N';
export interface KeyAttribute {
  readonly name: string;
  readonly type: AttributeType;
}
export interface GlobalIndexDefinition {
  readonly indexName: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  /** Every index here projects ALL attributes: the items are small and read whole. */
  readonly projection: 'ALL';
}
export interface TableDefinition {
  /** Logical name: the CDK construct id and, locally, the table name. */
  readonly logicalName: string;
  /** The environment variable through which functions receive the physical table name. */
  readonly envVar: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  readonly globalIndexes: readonly GlobalIndexDefinition[];
  readonly stream?: 'NEW_IMAGE' | 'NEW_AND_OLD_IMAGES';
  readonly timeToLiveAttribute?: string;
}

/** Name of the GSI that lists a campaign's units (and the list of campaigns) in Query pages. */
export const BY_COLLECTION_INDEX = 'byCollection';

/**
 * The Campaign table (single-table design; key layout in shared/store/keys.ts):
 * campaigns, units, and later totals, risk state, alert state, recipients and reports.
 */
export const campaignTable: TableDefinition = {
  logicalName: 'Campaign',
  envVar: 'CAMPAIGN_TABLE',
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  globalIndexes: [
    {
      indexName: BY_COLLECTION_INDEX,
      partitionKey: { name: 'gsi1pk', type: 'S' },
      sortKey: { name: 'gsi1sk', type: 'S' },
      projection: 'ALL',
    },
  ],
  /** Items that age out (the alert outbox's records): epoch seconds; DynamoDB deletes them after. */
  timeToLiveAttribute: 'expiresAt',
};

/**
 * The IntakeEvents table: one item per accepted event, keyed by campaign and the client's eventId
 * (`pk` = `<campaignId>#<eventId>`), so a retried event can never create a second item and the
 * write load spreads over many partitions. Its stream (NEW_IMAGE) feeds the roll-up. Corrections
 * are listed per campaign by the sparse `correctionsByCampaign` index.
 */
export const intakeEventsTable: TableDefinition = {
  logicalName: 'IntakeEvents',
  envVar: 'INTAKE_EVENTS_TABLE',
  partitionKey: { name: 'pk', type: 'S' },
  globalIndexes: [
    {
      // Sparse: only corrections carry `correctionCampaignId`; the audit route reads them by receivedAt.
      indexName: 'correctionsByCampaign',
      partitionKey: { name: 'correctionCampaignId', type: 'S' },
      sortKey: { name: 'receivedAt', type: 'S' },
      projection: 'ALL',
    },
  ],
  stream: 'NEW_IMAGE',
};

export const tableDefinitions = { campaign: campaignTable, intakeEvents: intakeEventsTable } as const;
export type TableKey = keyof typeof tableDefinitions;
