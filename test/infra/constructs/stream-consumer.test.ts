/**
 * The stream triggers (infra/constructs/stream-consumer.ts): the Rollup event source mapping on the
 * IntakeEvents stream, its failure queue and its grants.
 */
import { describe, expect, it } from 'vitest';
import { failureQueueEnvVar } from '../../../infra/constructs/stream-consumer.js';
import { type FunctionDeclaration, functions } from '../../../infra/topology.js';
import {
  DELETION_POLICY_BY_STAGE,
  dynamoGrantsOf,
  executionRoleId,
  functionId,
  logicalIdOf,
  STREAM_READS,
  type Synthesized,
  scheduledFunctions,
  statementsOfRole,
  streamGrantsOf,
  synthesizedStages,
  tableLogicalId,
} from '../../support/stack-synth.js';

const synthesized = synthesizedStages({ bundling: false });

describe('QuotaCampaignStack', () => {
  describe('stream triggers (Rollup: IntakeEvents stream)', () => {
    const streamFunctions = functions.filter(
      (f): f is FunctionDeclaration & { stream: NonNullable<FunctionDeclaration['stream']> } =>
        f.stream !== undefined,
    );
    const rollup = streamFunctions.find((f) => f.name === 'Rollup');
    const rollupTrigger = () => {
      if (!rollup) throw new Error('Rollup has no stream in the topology');
      return rollup.stream;
    };
    const consumerOf = (s: Synthesized, name = 'Rollup') => {
      const consumer = s.stack.streamConsumers.get(name);
      if (!consumer) throw new Error(`no stream consumer for ${name}`);
      return consumer;
    };
    const queueId = (s: Synthesized, name = 'Rollup') =>
      logicalIdOf(s.stack, consumerOf(s, name).failureQueue.node.defaultChild);

    it('Rollup is declared on the IntakeEvents stream with bounded retries and a tumbling window', () => {
      // Arrange
      const trigger = rollupTrigger();

      // Act / Assert
      expect(rollup?.tables).toEqual({ campaign: { actions: ['UpdateItem'], leadingKeys: ['C#*#U#*'] } });
      expect(trigger.table).toBe('intakeEvents');
      // functions/rollup.ts refuses an event without shardId, which only a tumbling window brings.
      expect(trigger.tumblingWindowSeconds).toBeGreaterThanOrEqual(1);
      expect(trigger.tumblingWindowSeconds).toBeLessThanOrEqual(900);
      expect(trigger.retryAttempts).toBeGreaterThan(0);
      expect(trigger.retryAttempts).toBeLessThanOrEqual(10_000);
      expect(trigger.maxRecordAgeSeconds).toBeGreaterThanOrEqual(60);
      expect(trigger.maxRecordAgeSeconds).toBeLessThanOrEqual(86_400); // the stream keeps records 24 h
      expect(trigger.bisectBatchOnError).toBe(true);
      expect(trigger.parallelizationFactor).toBe(1); // per-shard order: the watermarks rely on it
    });

    it.each(['dev', 'prod'] as const)(
      'in %s: one event source mapping per stream function, nothing else',
      (stage) => {
        // Arrange
        const s = synthesized(stage);

        // Act
        const mappings = Object.values(s.template.findResources('AWS::Lambda::EventSourceMapping'));

        // Assert
        expect(streamFunctions.length).toBeGreaterThan(0);
        expect(mappings.map((m) => JSON.stringify(m.Properties.FunctionName)).sort()).toEqual(
          streamFunctions.map((f) => JSON.stringify({ Ref: functionId(s, f.name) })).sort(),
        );
      },
    );

    it.each(['dev', 'prod'] as const)(
      'in %s: the Rollup mapping reads the IntakeEvents stream from TRIM_HORIZON with the declared settings',
      (stage) => {
        // Arrange
        const s = synthesized(stage);
        const trigger = rollupTrigger();

        // Act
        const mappings = Object.values(
          s.template.findResources('AWS::Lambda::EventSourceMapping', {
            Properties: { FunctionName: { Ref: functionId(s, 'Rollup') } },
          }),
        );
        const props = mappings[0]?.Properties;

        // Assert
        expect(mappings).toHaveLength(1);
        expect(props).toEqual({
          EventSourceArn: { 'Fn::GetAtt': [tableLogicalId(s, 'intakeEvents'), 'StreamArn'] },
          FunctionName: { Ref: functionId(s, 'Rollup') },
          StartingPosition: 'TRIM_HORIZON',
          BatchSize: trigger.batchSize,
          MaximumBatchingWindowInSeconds: trigger.maxBatchingWindowSeconds,
          MaximumRetryAttempts: trigger.retryAttempts,
          MaximumRecordAgeInSeconds: trigger.maxRecordAgeSeconds,
          BisectBatchOnFunctionError: trigger.bisectBatchOnError,
          ParallelizationFactor: trigger.parallelizationFactor,
          FunctionResponseTypes: ['ReportBatchItemFailures'],
          TumblingWindowInSeconds: trigger.tumblingWindowSeconds,
          DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId(s), 'Arn'] } } },
          // Deliberately no FilterCriteria (see infra/constructs/stream-consumer.ts).
          Tags: expect.any(Array),
        });
      },
    );

    it.each(DELETION_POLICY_BY_STAGE)(
      'in %s: the on-failure queue is encrypted (SSE-SQS), keeps messages 14 days, DeletionPolicy %s',
      (stage, policy) => {
        // Arrange
        const s = synthesized(stage);

        // Act
        const queue = s.template.toJSON().Resources[queueId(s)];

        // Assert
        expect(queue.Type).toBe('AWS::SQS::Queue');
        expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
        expect(queue.Properties.MessageRetentionPeriod).toBe(14 * 24 * 3600);
        expect(queue.Properties.RedrivePolicy).toBeUndefined(); // it is the dead-letter destination
        expect(queue.DeletionPolicy).toBe(policy);
        // One on-failure queue per stream function, one failure queue per scheduled function.
        s.template.resourceCountIs('AWS::SQS::Queue', streamFunctions.length + scheduledFunctions.length);
      },
    );

    it.each(['dev', 'prod'] as const)(
      'in %s: the on-failure queue refuses any request without TLS',
      (stage) => {
        // Arrange
        const s = synthesized(stage);

        // Act
        const policies = Object.values(
          s.template.findResources('AWS::SQS::QueuePolicy', {
            Properties: { Queues: [{ Ref: queueId(s) }] },
          }),
        );
        const statements = policies.flatMap((p) => p.Properties.PolicyDocument.Statement as unknown[]);

        // Assert
        expect(policies).toHaveLength(1);
        expect(statements).toContainEqual({
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: 'sqs:*',
          Resource: { 'Fn::GetAtt': [queueId(s), 'Arn'] },
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        });
        // Nothing is opened up to another principal through the queue policy.
        expect(statements.filter((st) => (st as { Effect: string }).Effect === 'Allow')).toEqual([]);
      },
    );

    it('gives DASHBOARD_URL (stage dashboardUrl, no trailing slash) to the functions that link to units, and only when set', () => {
      // Arrange
      const prod = synthesized('prod');
      const dev = synthesized('dev');
      const linking = functions.filter((f) => f.dashboardLinks).map((f) => f.name);
      const varsOf = (s: Synthesized, name: string): Record<string, unknown> =>
        s.template.toJSON().Resources[functionId(s, name)].Properties.Environment.Variables;

      // Assert
      expect(linking).toEqual(['Risk']);
      expect(varsOf(prod, 'Risk').DASHBOARD_URL).toBe('https://d111111abcdef8.cloudfront.net');
      expect(varsOf(prod, 'UnitAlerts').DASHBOARD_URL).toBeUndefined();
      expect(varsOf(dev, 'Risk').DASHBOARD_URL).toBeUndefined();
    });

    it.each(['dev', 'prod'] as const)(
      'in %s: Rollup gets ROLLUP_FAILURE_QUEUE_URL = the queue, and may send to that queue only',
      (stage) => {
        // Arrange
        const s = synthesized(stage);

        // Act
        const vars = s.template.toJSON().Resources[functionId(s, 'Rollup')].Properties.Environment.Variables;
        const sqs = statementsOfRole(s, executionRoleId(s, 'Rollup')).filter((st) =>
          [st.Action].flat().some((a) => a.startsWith('sqs:')),
        );

        // Assert
        expect(failureQueueEnvVar('Rollup')).toBe('ROLLUP_FAILURE_QUEUE_URL'); // what functions/rollup.ts reads
        expect(vars.ROLLUP_FAILURE_QUEUE_URL).toEqual({ Ref: queueId(s) });
        expect(sqs.length).toBeGreaterThan(0);
        const actions = new Set(sqs.flatMap((st) => [st.Action].flat()));
        expect(actions.has('sqs:SendMessage')).toBe(true);
        for (const forbidden of ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:PurgeQueue', 'sqs:*']) {
          expect(actions.has(forbidden)).toBe(false);
        }
        for (const st of sqs) {
          expect(st.Effect).toBe('Allow');
          expect(st.Resource).toEqual({ 'Fn::GetAtt': [queueId(s), 'Arn'] });
        }
      },
    );

    it("Rollup may only UpdateItem on Campaign, on units' partitions (LeadingKeys), and nothing on IntakeEvents", () => {
      // Arrange
      const s = synthesized('dev');

      // Act
      const granted = dynamoGrantsOf(s, 'Rollup');
      const campaign = granted.get(tableLogicalId(s, 'campaign'))?.actions ?? new Set<string>();
      const statements = statementsOfRole(s, executionRoleId(s, 'Rollup')).filter((st) =>
        JSON.stringify(st.Action).includes('dynamodb:UpdateItem'),
      );

      // Assert
      expect([...granted.keys()]).toEqual([tableLogicalId(s, 'campaign')]);
      expect([...campaign]).toEqual(['dynamodb:UpdateItem']);
      expect(statements.map((st) => st.Condition)).toEqual([
        { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['C#*#U#*'] } },
      ]);
    });

    it('no function may Scan, and only those whose code deletes may DeleteItem', () => {
      // Arrange
      const s = synthesized('dev');
      // Risk and Report mark outbox messages sent (the pending item is deleted); the registries remove entries.
      const deleting = new Set(['Risk', 'Report', 'Recipients', 'Silences', 'IdentityAdmin']);
      for (const fn of functions) {
        // Act
        const actions = [...dynamoGrantsOf(s, fn.name).values()].flatMap((g) => [...g.actions]);
        // Assert
        expect(actions, fn.name).not.toContain('dynamodb:Scan');
        expect(actions.includes('dynamodb:DeleteItem'), fn.name).toBe(deleting.has(fn.name));
      }
    });

    it.each(['dev', 'prod'] as const)(
      'in %s: Rollup reads the IntakeEvents stream on its stream ARN only; * carries ListStreams alone',
      (stage) => {
        // Arrange
        const s = synthesized(stage);

        // Act
        const { streams, onAnyResource } = streamGrantsOf(s, 'Rollup');
        const onStar = statementsOfRole(s, executionRoleId(s, 'Rollup')).filter((st) =>
          [st.Resource].flat().includes('*'),
        );

        // Assert
        expect([...streams.keys()]).toEqual([tableLogicalId(s, 'intakeEvents')]);
        expect([...(streams.get(tableLogicalId(s, 'intakeEvents')) ?? [])].sort()).toEqual(STREAM_READS);
        expect([...onAnyResource]).toEqual(['dynamodb:ListStreams']);
        expect(onStar).toEqual([{ Effect: 'Allow', Action: 'dynamodb:ListStreams', Resource: '*' }]);
      },
    );

    it('creates the Rollup function (which the mapping references) only after its role policy exists', () => {
      // Arrange: Lambda checks the role's stream and SQS permissions when it creates the mapping.
      const s = synthesized('dev');
      const policy = s.stack.functions.get('Rollup')?.executionRole.node.tryFindChild('DefaultPolicy');
      const policyId = logicalIdOf(s.stack, policy?.node.defaultChild);

      // Act
      const dependsOn = s.template.toJSON().Resources[functionId(s, 'Rollup')].DependsOn;

      // Assert
      expect(dependsOn).toContain(policyId);
    });
  });
});
