/**
 * One Lambda function per topology function (infra/constructs/quota-function.ts): house defaults,
 * environment, and IAM grants that match the declared table access exactly.
 */
import { describe, expect, it } from 'vitest';
import { SUBSCRIPTION_ACTIONS } from '../../../infra/constructs/alerts-topic.js';
import { METRICS_NAMESPACE } from '../../../infra/constructs/quota-function.js';
import { failureQueueEnvVar } from '../../../infra/constructs/stream-consumer.js';
import { actionsOf, functions, type TableAccess, tables } from '../../../infra/topology.js';
import type { TableKey } from '../../../shared/store/tables.js';
import {
  alertsTopicId,
  allStatements,
  DYNAMODB_WRITES,
  dynamoGrantsOf,
  executionRoleId,
  functionId,
  logicalIdOf,
  STREAM_READS,
  type Statement,
  type Synthesized,
  scheduleQueueId,
  statementsOfRole,
  streamGrantsOf,
  streamQueueId,
  subscribingFunctions,
  synthesizedStages,
  tableLogicalId,
} from '../../support/stack-synth.js';

const synthesized = synthesizedStages({ bundling: false });

describe('QuotaCampaignStack', () => {
  describe('functions', () => {
    it('deploys exactly one Lambda function per topology function', () => {
      // Arrange
      const s = synthesized('dev');

      // Act / Assert
      s.template.resourceCountIs('AWS::Lambda::Function', functions.length);
      expect([...s.stack.functions.keys()].sort()).toEqual(functions.map((f) => f.name).sort());
    });

    describe.each(functions.map((f) => [f.name, f] as const))('%s', (_name, declaration) => {
      const lambdaOf = (s: Synthesized) => {
        const fn = s.stack.functions.get(declaration.name);
        if (!fn) throw new Error(`no function ${declaration.name}`);
        return fn;
      };

      it('has the house defaults and the declared memory and timeout', () => {
        // Arrange
        const s = synthesized('prod');
        const id = functionId(s, declaration.name);

        // Act
        const props = s.template.toJSON().Resources[id].Properties;

        // Assert
        expect(props.Runtime).toBe('nodejs22.x');
        expect(props.Architectures).toEqual(['arm64']);
        expect(props.Handler).toBe('index.handler');
        expect(props.MemorySize).toBe(declaration.memoryMb);
        expect(props.Timeout).toBe(declaration.timeoutSeconds);
        expect(props.LoggingConfig.LogGroup).toEqual({
          Ref: logicalIdOf(s.stack, lambdaOf(s).functionLogGroup.node.defaultChild),
        });
        // Source maps ship in the asset but are not enabled at start (cold start: see QuotaFunction)
        expect(props.Environment.Variables.NODE_OPTIONS).toBeUndefined();
        expect(props.Environment.Variables).toMatchObject({
          POWERTOOLS_SERVICE_NAME: 'quota-campaign',
          POWERTOOLS_METRICS_NAMESPACE: 'QuotaCampaign',
          LOG_LEVEL: 'INFO',
        });
      });

      it('gets one environment variable per declared table, naming that table, and nothing more', () => {
        // Arrange
        const s = synthesized('dev');
        const id = functionId(s, declaration.name);
        const allTableVars = Object.values(tables).map((t) => t.envVar);

        // Act
        const vars: Record<string, unknown> =
          s.template.toJSON().Resources[id].Properties.Environment.Variables;

        // Assert
        const expected = Object.fromEntries(
          (Object.keys(declaration.tables) as TableKey[]).map((key) => [
            tables[key].envVar,
            { Ref: tableLogicalId(s, key) },
          ]),
        );
        const actual = Object.fromEntries(
          Object.entries(vars).filter(([name]) => allTableVars.includes(name)),
        );
        expect(actual).toEqual(expected);
      });

      it('is granted exactly its declared tables, each with exactly the actions of its access', () => {
        // Arrange
        const s = synthesized('dev');

        // Act
        const granted = dynamoGrantsOf(s, declaration.name);

        // Assert
        const declared = Object.entries(declaration.tables) as [TableKey, TableAccess][];
        expect([...granted.keys()].sort()).toEqual(declared.map(([key]) => tableLogicalId(s, key)).sort());
        for (const [key, access] of declared) {
          const { actions, resources } = granted.get(tableLogicalId(s, key)) ?? {
            actions: new Set<string>(),
            resources: [],
          };
          expect([...actions].sort()).toEqual(
            actionsOf(access)
              .map((a) => `dynamodb:${a}`)
              .sort(),
          );
          expect(actions.has('dynamodb:Scan')).toBe(false);
          // The index ARN only for a Query on a table that has indexes.
          const indexed = actionsOf(access).includes('Query') && tables[key].globalIndexes.length > 0;
          expect(resources.some((r) => r.includes('/index/*'))).toBe(indexed);
        }
      });

      it(
        declaration.stream
          ? `reads the ${declaration.stream.table} stream on its stream ARN only (plus ListStreams, which only exists on *)`
          : 'reads no stream and holds nothing on *',
        () => {
          // Arrange
          const s = synthesized('dev');

          // Act
          const { streams, onAnyResource } = streamGrantsOf(s, declaration.name);

          // Assert
          if (!declaration.stream) {
            expect([...streams.keys()]).toEqual([]);
            expect([...onAnyResource]).toEqual([]);
            return;
          }
          expect([...streams.keys()]).toEqual([tableLogicalId(s, declaration.stream.table)]);
          expect([...(streams.get(tableLogicalId(s, declaration.stream.table)) ?? [])].sort()).toEqual(
            STREAM_READS,
          );
          expect([...onAnyResource]).toEqual(['dynamodb:ListStreams']);
        },
      );

      it('has an on-failure queue variable iff it has a stream, and may send only to its own failure queues', () => {
        // Arrange
        const s = synthesized('dev');
        const id = functionId(s, declaration.name);
        const scheduled = (declaration.schedules ?? []).length > 0;
        const ownQueues = [
          ...(declaration.stream ? [streamQueueId(s, declaration.name)] : []),
          ...(scheduled ? [scheduleQueueId(s, declaration.name)] : []),
        ];

        // Act
        const vars: Record<string, unknown> =
          s.template.toJSON().Resources[id].Properties.Environment.Variables;
        const sqs = statementsOfRole(s, executionRoleId(s, declaration.name)).filter((st) =>
          [st.Action].flat().some((a) => a.startsWith('sqs:')),
        );
        const sqsActions = sqs.flatMap((st) => [st.Action].flat());

        // Assert
        const queueVars = Object.keys(vars).filter((name) => name.endsWith('_FAILURE_QUEUE_URL'));
        expect(queueVars).toEqual(declaration.stream ? [failureQueueEnvVar(declaration.name)] : []);
        expect(sqsActions.includes('sqs:SendMessage')).toBe(ownQueues.length > 0);
        for (const forbidden of ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:PurgeQueue', 'sqs:*']) {
          expect(sqsActions).not.toContain(forbidden);
        }
        expect(
          sqs
            .flatMap((st) => [st.Resource].flat())
            .map((r) => JSON.stringify(r))
            .sort(),
        ).toEqual(ownQueues.map((q) => JSON.stringify({ 'Fn::GetAtt': [q, 'Arn'] })).sort());
      });
    });

    it.each(['dev', 'prod'] as const)(
      'in %s: no AWS managed policy; no resource wildcard but a table index path, the alerts topic subscriptions, or * for dynamodb:ListStreams alone',
      (stage) => {
        // Arrange
        const s = synthesized(stage);
        const topicSubscriptions = JSON.stringify({ 'Fn::Join': ['', [{ Ref: alertsTopicId(s) }, ':*']] });

        // Act
        const roles = Object.values(s.template.findResources('AWS::IAM::Role'));
        const statements = Object.values(s.template.findResources('AWS::IAM::Policy')).flatMap(
          (p) => p.Properties.PolicyDocument.Statement as Statement[],
        );

        // Assert
        for (const role of roles) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
        let listStreams = 0;
        let subscriptions = 0;
        for (const st of statements) {
          for (const resource of [st.Resource].flat()) {
            const text = JSON.stringify(resource);
            if (!text.includes('*')) continue;
            if (text === '"*"') {
              // IAM defines no resource type for ListStreams: `*` is the only resource that grants it.
              expect(st.Action).toBe('dynamodb:ListStreams');
              listStreams++;
              continue;
            }
            if (text === topicSubscriptions) {
              // The subscriptions of the alerts topic (ids made by SNS): the registry's actions on them, only.
              expect([st.Action].flat().sort()).toEqual([...SUBSCRIPTION_ACTIONS].sort());
              subscriptions++;
              continue;
            }
            expect(text).toMatch(/"Arn"\]\},"\/index\/\*"\]\]\}$/);
          }
        }
        expect(listStreams).toBe(functions.filter((f) => f.stream).length);
        expect(subscriptions).toBe(subscribingFunctions.length);
      },
    );

    it.each(['dev', 'prod'] as const)(
      'in %s: no IAM statement grants an action wildcard (`*`, `dynamodb:*` or any other)',
      (stage) => {
        // Arrange
        const s = synthesized(stage);

        // Act
        const statements = allStatements(s);
        const actions = statements.flatMap((st) => [st.Action].flat());

        // Assert
        expect(statements.length).toBeGreaterThan(0);
        expect(actions).not.toContain('*');
        expect(actions).not.toContain('dynamodb:*');
        expect(actions.filter((a) => a.includes('*'))).toEqual([]);
        for (const st of statements) expect(st).not.toHaveProperty('NotAction');
      },
    );

    it('grants nothing for metrics: Powertools EMF goes through the log group', () => {
      // Arrange
      const s = synthesized('dev');

      // Act
      const actions = allStatements(s).flatMap((st) => [st.Action].flat());

      // Assert
      expect(actions.filter((a) => a.startsWith('cloudwatch:'))).toEqual([]);
      expect(new Set(actions.filter((a) => a.startsWith('logs:')))).toEqual(
        new Set(['logs:CreateLogStream', 'logs:PutLogEvents']),
      );
    });

    describe('Intake (POST /v1/intake-events)', () => {
      const intake = functions.find((f) => f.name === 'Intake');

      it('is declared in the topology with put on IntakeEvents and read on Campaign', () => {
        // Arrange / Act / Assert
        expect(intake?.tables).toEqual({
          campaign: 'read',
          // GetItem/BatchGetItem: a correction is checked against the stored event it corrects.
          intakeEvents: { actions: ['PutItem', 'GetItem', 'BatchGetItem'] },
        });
        expect(intake?.routes).toEqual([
          { method: 'POST', path: '/v1/intake-events', auth: 'jwt', scopes: ['intake:write'] },
        ]);
      });

      it.each(['dev', 'prod'] as const)(
        'in %s: may only put and get items on IntakeEvents, on the table ARN alone (no Query, update, delete, index)',
        (stage) => {
          // Arrange
          const s = synthesized(stage);
          const intakeEventsId = tableLogicalId(s, 'intakeEvents');

          // Act
          const grant = dynamoGrantsOf(s, 'Intake').get(intakeEventsId);

          // Assert
          expect(grant && [...grant.actions].sort()).toEqual([
            'dynamodb:BatchGetItem',
            'dynamodb:GetItem',
            'dynamodb:PutItem',
          ]);
          expect(grant?.resources).toEqual([JSON.stringify({ 'Fn::GetAtt': [intakeEventsId, 'Arn'] })]);
          for (const forbidden of [
            'dynamodb:Query',
            'dynamodb:Scan',
            'dynamodb:UpdateItem',
            'dynamodb:DeleteItem',
            'dynamodb:BatchWriteItem',
          ]) {
            expect(grant?.actions.has(forbidden)).toBe(false);
          }
        },
      );

      it('has read-only access to Campaign: reads granted, no write of any kind', () => {
        // Arrange
        const s = synthesized('dev');

        // Act
        const grant = dynamoGrantsOf(s, 'Intake').get(tableLogicalId(s, 'campaign'));

        // Assert
        expect(grant?.actions.has('dynamodb:GetItem')).toBe(true);
        expect(grant?.actions.has('dynamodb:Query')).toBe(true);
        for (const write of DYNAMODB_WRITES) expect(grant?.actions.has(write)).toBe(false);
      });

      it('touches no other table and holds no other AWS permission than its logs', () => {
        // Arrange
        const s = synthesized('dev');
        const roleId = executionRoleId(s, 'Intake');

        // Act
        const actions = statementsOfRole(s, roleId).flatMap((st) => [st.Action].flat());

        // Assert
        expect([...dynamoGrantsOf(s, 'Intake').keys()].sort()).toEqual(
          [tableLogicalId(s, 'campaign'), tableLogicalId(s, 'intakeEvents')].sort(),
        );
        expect(actions.filter((a) => !a.startsWith('dynamodb:') && !a.startsWith('logs:'))).toEqual([]);
      });

      it.each(['dev', 'prod'] as const)(
        'in %s: receives INTAKE_EVENTS_TABLE, CAMPAIGN_TABLE and the metrics namespace',
        (stage) => {
          // Arrange
          const s = synthesized(stage);
          const id = functionId(s, 'Intake');

          // Act
          const vars = s.template.toJSON().Resources[id].Properties.Environment.Variables;

          // Assert
          expect(vars).toMatchObject({
            INTAKE_EVENTS_TABLE: { Ref: tableLogicalId(s, 'intakeEvents') },
            CAMPAIGN_TABLE: { Ref: tableLogicalId(s, 'campaign') },
            POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
            POWERTOOLS_SERVICE_NAME: 'quota-campaign',
          });
          expect(METRICS_NAMESPACE).toBe('QuotaCampaign');
        },
      );
    });

    it.each([
      ['dev', 14, 'Delete'],
      ['prod', 365, 'Retain'],
    ] as const)(
      'in %s: every log group keeps logs %i days and is %s on stack deletion',
      (stage, days, policy) => {
        // Arrange
        const s = synthesized(stage);

        // Act
        const groups = Object.values(s.template.findResources('AWS::Logs::LogGroup'));

        // Assert
        expect(groups).toHaveLength(functions.length + 1); // one per function + API access logs
        for (const group of groups) {
          expect(group.Properties.RetentionInDays).toBe(days);
          expect(group.DeletionPolicy).toBe(policy);
          expect(group.Properties.LogGroupName).toBeUndefined();
        }
      },
    );
  });
});
