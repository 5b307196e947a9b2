/** Every table's time-to-live attribute from shared/store/tables.ts reaches the template (the outbox relies on it). */
import { describe, expect, it } from 'vitest';
import { tables } from '../../infra/topology.js';
import { synthesize } from '../support/stack-synth.js';

describe('tables and their time to live', () => {
  it('declares the Campaign table TTL (outbox records expire) and no TTL where none is declared', () => {
    // Arrange / Act
    const s = synthesize('dev');
    const dynamoTables = Object.values(s.resources).filter((r) => r.Type === 'AWS::DynamoDB::Table');

    // Assert
    expect(tables.campaign.timeToLiveAttribute).toBe('expiresAt');
    expect(dynamoTables).toHaveLength(Object.keys(tables).length);
    const ttls = dynamoTables.map((t) => t.Properties.TimeToLiveSpecification ?? null);
    expect(ttls).toContainEqual({ AttributeName: 'expiresAt', Enabled: true });
    expect(ttls.filter((t) => t !== null)).toHaveLength(
      Object.values(tables).filter((t) => t.timeToLiveAttribute !== undefined).length,
    );
  });
});
