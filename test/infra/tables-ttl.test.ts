/** Every table's time-to-live attribute from shared/store/tables.ts reaches the template (the outbox relies on it). */
import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app.js';
import { tables } from '../../infra/topology.js';

describe('tables and their time to live', () => {
  it('declares the Campaign table TTL (outbox records expire) and no TTL where none is declared', () => {
    // Arrange
    const built = buildApp({ stage: 'dev', context: { 'aws:cdk:bundling-stacks': [] } });
    try {
      // Act
      const template = built.app.synth().getStackByName(built.stack.stackName).template as {
        Resources: Record<
          string,
          { Type: string; Properties: { TimeToLiveSpecification?: unknown; KeySchema: unknown } }
        >;
      };
      const dynamoTables = Object.values(template.Resources).filter((r) => r.Type === 'AWS::DynamoDB::Table');
      // Assert
      expect(tables.campaign.timeToLiveAttribute).toBe('expiresAt');
      expect(dynamoTables).toHaveLength(Object.keys(tables).length);
      const ttls = dynamoTables.map((t) => t.Properties.TimeToLiveSpecification ?? null);
      expect(ttls).toContainEqual({ AttributeName: 'expiresAt', Enabled: true });
      expect(ttls.filter((t) => t !== null)).toHaveLength(
        Object.values(tables).filter((t) => t.timeToLiveAttribute !== undefined).length,
      );
    } finally {
      rmSync(built.app.outdir, { recursive: true, force: true });
    }
  });
});
