/**
 * The tables of the topology as synthesized (infra/constructs/tables.ts): keys, indexes, streams,
 * TTL, protection and backups per stage.
 */
import { describe, expect, it } from 'vitest';
import { tables } from '../../../infra/topology.js';
import { BY_COLLECTION_INDEX, type TableKey } from '../../../shared/store/tables.js';
import { DELETION_POLICY_BY_STAGE, synthesizedStages, tableLogicalId } from '../../support/stack-synth.js';

const synthesized = synthesizedStages({ bundling: false });

describe('QuotaCampaignStack', () => {
  describe('tables', () => {
    it('builds the Campaign table with pk/sk and the byCollection GSI on gsi1pk/gsi1sk', () => {
      // Arrange
      const s = synthesized('dev');

      // Act
      const table = s.template.toJSON().Resources[tableLogicalId(s, 'campaign')];

      // Assert
      expect(table.Type).toBe('AWS::DynamoDB::Table');
      expect(table.Properties.KeySchema).toEqual([
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ]);
      expect(table.Properties.GlobalSecondaryIndexes).toEqual([
        {
          IndexName: BY_COLLECTION_INDEX,
          KeySchema: [
            { AttributeName: 'gsi1pk', KeyType: 'HASH' },
            { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ]);
    });

    it('builds exactly one table per definition in shared/store/tables.ts', () => {
      // Arrange
      const s = synthesized('dev');

      // Act / Assert
      s.template.resourceCountIs('AWS::DynamoDB::Table', Object.keys(tables).length);
    });

    it.each(DELETION_POLICY_BY_STAGE)(
      'in %s: IntakeEvents streams NEW_IMAGE, has PITR and SSE, DeletionPolicy %s',
      (stage, policy) => {
        // Arrange
        const s = synthesized(stage);

        // Act
        const table = s.template.toJSON().Resources[tableLogicalId(s, 'intakeEvents')];

        // Assert
        expect(tables.intakeEvents.stream).toBe('NEW_IMAGE');
        expect(table.Type).toBe('AWS::DynamoDB::Table');
        expect(table.Properties.KeySchema).toEqual([{ AttributeName: 'pk', KeyType: 'HASH' }]);
        expect(table.Properties.StreamSpecification).toEqual({ StreamViewType: 'NEW_IMAGE' });
        expect(table.Properties.PointInTimeRecoverySpecification).toEqual({
          PointInTimeRecoveryEnabled: true,
        });
        expect(table.Properties.SSESpecification).toEqual({ SSEEnabled: true });
        expect(table.DeletionPolicy).toBe(policy);
        expect(table.UpdateReplacePolicy).toBe(policy);
        expect(table.Properties.DeletionProtectionEnabled).toBe(stage === 'prod');
      },
    );

    it('gives a stream to exactly the tables whose definition has one', () => {
      // Arrange
      const s = synthesized('dev');

      // Act
      const streamed = (Object.keys(tables) as TableKey[]).map((key) => [
        key,
        s.template.toJSON().Resources[tableLogicalId(s, key)].Properties.StreamSpecification,
      ]);

      // Assert
      expect(Object.fromEntries(streamed)).toEqual(
        Object.fromEntries(
          (Object.keys(tables) as TableKey[]).map((key) => [
            key,
            tables[key].stream ? { StreamViewType: tables[key].stream } : undefined,
          ]),
        ),
      );
    });

    describe.each(Object.keys(tables) as TableKey[])('table %s', (key) => {
      const def = tables[key];

      it('matches its definition: keys, indexes, stream and TTL', () => {
        // Arrange
        const s = synthesized('dev');

        // Act
        const props = s.template.toJSON().Resources[tableLogicalId(s, key)].Properties;

        // Assert
        expect(props.KeySchema).toEqual([
          { AttributeName: def.partitionKey.name, KeyType: 'HASH' },
          ...(def.sortKey ? [{ AttributeName: def.sortKey.name, KeyType: 'RANGE' }] : []),
        ]);
        expect((props.GlobalSecondaryIndexes ?? []).map((g: { IndexName: string }) => g.IndexName)).toEqual(
          def.globalIndexes.map((g) => g.indexName),
        );
        expect(props.StreamSpecification?.StreamViewType).toBe(def.stream);
        expect(props.TimeToLiveSpecification?.AttributeName).toBe(def.timeToLiveAttribute);
      });

      it.each(['dev', 'prod'] as const)('in %s: PITR on, SSE on, on-demand, no hard-coded name', (stage) => {
        // Arrange
        const s = synthesized(stage);

        // Act
        const props = s.template.toJSON().Resources[tableLogicalId(s, key)].Properties;

        // Assert
        expect(props.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
        expect(props.SSESpecification).toEqual({ SSEEnabled: true });
        expect(props.BillingMode).toBe('PAY_PER_REQUEST');
        expect(props.TableName).toBeUndefined();
      });
    });

    it.each([
      ['dev', 'Delete', false],
      ['prod', 'Retain', true],
    ] as const)('in %s: DeletionPolicy %s, deletion protection %s', (stage, policy, protection) => {
      // Arrange
      const s = synthesized(stage);

      // Act
      const tableResources = Object.values(s.template.findResources('AWS::DynamoDB::Table'));

      // Assert
      expect(tableResources.length).toBeGreaterThan(0);
      for (const table of tableResources) {
        expect(table.DeletionPolicy).toBe(policy);
        expect(table.UpdateReplacePolicy).toBe(policy);
        expect(table.Properties.DeletionProtectionEnabled).toBe(protection);
      }
    });
  });
});
