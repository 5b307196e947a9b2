/**
 * The synthesized stack of each stage, built by `buildApp` exactly as `cdk synth` builds it
 * (cdk.json context, feature flags and cdk-nag included). Each stage is synthesized once.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import type { CfnElement, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuiltApp, buildApp } from '../../infra/app.js';
import { SUBSCRIPTION_ACTIONS } from '../../infra/constructs/alerts-topic.js';
import { routeKeyOf } from '../../infra/constructs/http-api.js';
import { METRICS_NAMESPACE } from '../../infra/constructs/quota-function.js';
import { scheduleFailureQueueOutputId } from '../../infra/constructs/scheduled-job.js';
import { failureQueueEnvVar, failureQueueOutputId } from '../../infra/constructs/stream-consumer.js';
import { ALERTS_TOPIC_OUTPUT, API_URL_OUTPUT, tableOutputId } from '../../infra/stack.js';
import {
  actionsOf,
  type FunctionDeclaration,
  functions,
  type TableAccess,
  tables,
} from '../../infra/topology.js';
import { BY_COLLECTION_INDEX, type TableKey } from '../../shared/store/tables.js';

interface TemplateResource {
  Type: string;
  Properties: Record<string, unknown>;
  Metadata?: { cdk_nag?: { rules_to_suppress: { id: string; reason: string }[] } };
}

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

/** Every write a DynamoDB grant could carry (data-plane writes and the transaction entry points). */
const DYNAMODB_WRITES = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:TransactWriteItems',
  'dynamodb:PartiQLInsert',
  'dynamodb:PartiQLUpdate',
  'dynamodb:PartiQLDelete',
];

interface Synthesized extends BuiltApp {
  readonly template: Template;
  readonly assembly: CloudAssembly;
}

/**
 * Context as `-c` would pass it (and cdk.json's `stageConfig`): proves the values flow from
 * context into the template. Prod gets an alarm e-mail (so the SNS path is synthesized and
 * checked by cdk-nag) and a non-default iterator-age threshold; dev keeps the defaults and no e-mail.
 */
const PROD_ALARM_EMAIL = 'ops@example.com';
const PROD_ITERATOR_AGE_SECONDS = 90;
const PROD_CONTEXT = {
  jwtIssuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Prod123',
  jwtAudience: 'client-web, client-cli',
  throttleRateLimit: '250',
  throttleBurstLimit: '400',
  alarmEmail: PROD_ALARM_EMAIL,
  dashboardUrl: 'https://d111111abcdef8.cloudfront.net/',
  stageConfig: { prod: { alarms: { iteratorAgeSeconds: PROD_ITERATOR_AGE_SECONDS } } },
};

function synthesize(stage: 'dev' | 'prod', context?: Record<string, unknown>): Synthesized {
  const built = buildApp({ stage, ...(context ? { context } : {}) });
  // Throws (with the full report) if cdk-nag or template validation finds an unacknowledged problem.
  const assembly = built.app.synth();
  const template = Template.fromJSON(assembly.getStackByName(built.stack.stackName).template);
  return { ...built, assembly, template };
}

const logicalIdOf = (stack: Stack, element: CfnElement | undefined): string => {
  if (!element) throw new Error('construct has no CloudFormation resource');
  return stack.resolve(element.logicalId) as string;
};

const stages: Partial<Record<'dev' | 'prod', Synthesized>> = {};
const synthesized = (stage: 'dev' | 'prod'): Synthesized => {
  const s = stages[stage];
  if (!s) throw new Error(`${stage} was not synthesized`);
  return s;
};

beforeAll(() => {
  stages.dev = synthesize('dev');
  stages.prod = synthesize('prod', PROD_CONTEXT);
});

afterAll(() => {
  // Each synth writes its assembly (bundles included) to a fresh temporary directory.
  for (const s of Object.values(stages)) rmSync(s.app.outdir, { recursive: true, force: true });
});

const tableLogicalId = (s: Synthesized, key: TableKey) =>
  logicalIdOf(s.stack, s.stack.tables.byKey[key].node.defaultChild as CfnElement);

/** Every IAM statement of the template: managed/inline policies and roles' inline policies. */
const allStatements = (s: Synthesized): Statement[] => {
  const resources = Object.values(s.template.toJSON().Resources as Record<string, TemplateResource>);
  return resources.flatMap((r) => {
    const props = r.Properties as {
      PolicyDocument?: { Statement: Statement[] };
      Policies?: { PolicyDocument: { Statement: Statement[] } }[];
    };
    if (r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy') {
      return props.PolicyDocument?.Statement ?? [];
    }
    if (r.Type === 'AWS::IAM::Role') return (props.Policies ?? []).flatMap((p) => p.PolicyDocument.Statement);
    return [];
  });
};

/** Every statement of the policies attached to a function's execution role. */
const roleStatementsOf = (s: Synthesized, functionName: string): Statement[] => {
  const fn = s.stack.functions.get(functionName);
  if (!fn) throw new Error(`no function ${functionName}`);
  const roleId = logicalIdOf(s.stack, fn.executionRole.node.defaultChild as CfnElement);
  return Object.values(
    s.template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } }),
  ).flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
};

/** What a DynamoDB statement's resource is; anything else throws (an unexpected resource is a failure). */
type DynamoResource = { kind: 'table' | 'index' | 'stream'; tableId: string; text: string } | { kind: 'any' };
const classifyDynamoResource = (resource: unknown): DynamoResource => {
  const text = JSON.stringify(resource);
  if (text === '"*"') return { kind: 'any' };
  const table = text.match(/^\{"Fn::GetAtt":\["([^"]+)","Arn"\]\}$/)?.[1];
  if (table) return { kind: 'table', tableId: table, text };
  const index = text.match(
    /^\{"Fn::Join":\["",\[\{"Fn::GetAtt":\["([^"]+)","Arn"\]\},"\/index\/\*"\]\]\}$/,
  )?.[1];
  if (index) return { kind: 'index', tableId: index, text };
  const stream = text.match(/^\{"Fn::GetAtt":\["([^"]+)","StreamArn"\]\}$/)?.[1];
  if (stream) return { kind: 'stream', tableId: stream, text };
  throw new Error(`unexpected resource ${text}`);
};

/** The DynamoDB statements of a function's role, one entry per (statement, resource). */
const dynamoEntriesOf = (s: Synthesized, functionName: string) =>
  roleStatementsOf(s, functionName)
    .filter((st) => [st.Action].flat().some((a) => a.startsWith('dynamodb:')))
    .flatMap((st) => {
      expect(st.Effect).toBe('Allow');
      return [st.Resource].flat().map((resource) => ({
        actions: [st.Action].flat(),
        resource: classifyDynamoResource(resource),
      }));
    });

/**
 * The DynamoDB actions a function's role holds on tables, by table logical id: resources that
 * are a table ARN or `<table ARN>/index/*` (stream ARNs and `*` are in {@link streamGrantsOf}).
 */
const dynamoGrantsOf = (s: Synthesized, functionName: string) => {
  const granted = new Map<string, { actions: Set<string>; resources: string[] }>();
  for (const { actions, resource } of dynamoEntriesOf(s, functionName)) {
    if (resource.kind !== 'table' && resource.kind !== 'index') continue;
    const entry = granted.get(resource.tableId) ?? { actions: new Set<string>(), resources: [] };
    for (const a of actions) entry.actions.add(a);
    entry.resources.push(resource.text);
    granted.set(resource.tableId, entry);
  }
  return granted;
};

/** The DynamoDB actions a function's role holds on table streams (by table logical id) and on `*`. */
const streamGrantsOf = (s: Synthesized, functionName: string) => {
  const streams = new Map<string, Set<string>>();
  const onAnyResource = new Set<string>();
  for (const { actions, resource } of dynamoEntriesOf(s, functionName)) {
    if (resource.kind === 'any') for (const a of actions) onAnyResource.add(a);
    if (resource.kind !== 'stream') continue;
    const entry = streams.get(resource.tableId) ?? new Set<string>();
    for (const a of actions) entry.add(a);
    streams.set(resource.tableId, entry);
  }
  return { streams, onAnyResource };
};

/** Topology functions with schedules, with alerts of each kind. */
const scheduledFunctions = functions.filter((f) => (f.schedules ?? []).length > 0);
const alertingFunctions = functions.filter((f) => f.alerts !== undefined);
const subscribingFunctions = functions.filter((f) => f.alerts === 'subscribe');

/** Logical id of the alerts topic (the topology has alerting functions, so there is one). */
const alertsTopicId = (s: Synthesized) =>
  logicalIdOf(s.stack, s.stack.alerts?.topic.node.defaultChild as CfnElement | undefined);
/** Logical id of the operations alarm topic (only with an alarm e-mail). */
const operationsTopicId = (s: Synthesized) =>
  logicalIdOf(s.stack, s.stack.operationsAlarms.topic?.node.defaultChild as CfnElement | undefined);
/** Logical id of a scheduled function's failure queue. */
const scheduleQueueId = (s: Synthesized, name: string) =>
  logicalIdOf(
    s.stack,
    s.stack.scheduledJobs.get(name)?.failureQueue.node.defaultChild as CfnElement | undefined,
  );

/** What `grantStreamRead` gives on the stream ARN: the reads Lambda's poller makes. */
const STREAM_READS = ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'];

describe('QuotaCampaignStack', () => {
  describe('stack identity', () => {
    it.each(['dev', 'prod'] as const)(
      '%s is the API stack QuotaCampaign-<stage> and its dashboard stack',
      (stage) => {
        // Arrange
        const s = synthesized(stage);

        // Act
        const stackNames = s.assembly.stacks.map((st) => st.stackName);

        // Assert
        expect(stackNames.sort()).toEqual([`QuotaCampaign-${stage}`, `QuotaCampaign-${stage}-Dashboard`]);
      },
    );

    it('turns on termination protection in prod only', () => {
      // Arrange
      const dev = synthesized('dev').assembly.getStackByName('QuotaCampaign-dev');
      const prod = synthesized('prod').assembly.getStackByName('QuotaCampaign-prod');

      // Act / Assert
      expect(dev.terminationProtection).toBe(false);
      expect(prod.terminationProtection).toBe(true);
    });
  });

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

    it.each([
      ['dev', 'Delete'],
      ['prod', 'Retain'],
    ] as const)(
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
        const id = logicalIdOf(s.stack, lambdaOf(s).node.defaultChild as CfnElement);

        // Act
        const props = s.template.toJSON().Resources[id].Properties;

        // Assert
        expect(props.Runtime).toBe('nodejs22.x');
        expect(props.Architectures).toEqual(['arm64']);
        expect(props.Handler).toBe('index.handler');
        expect(props.MemorySize).toBe(declaration.memoryMb);
        expect(props.Timeout).toBe(declaration.timeoutSeconds);
        expect(props.LoggingConfig.LogGroup).toEqual({
          Ref: logicalIdOf(s.stack, lambdaOf(s).functionLogGroup.node.defaultChild as CfnElement),
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
        const id = logicalIdOf(s.stack, lambdaOf(s).node.defaultChild as CfnElement);
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
        const id = logicalIdOf(s.stack, lambdaOf(s).node.defaultChild as CfnElement);
        const scheduled = (declaration.schedules ?? []).length > 0;
        const ownQueues = [
          ...(declaration.stream
            ? [
                logicalIdOf(
                  s.stack,
                  s.stack.streamConsumers.get(declaration.name)?.failureQueue.node.defaultChild as CfnElement,
                ),
              ]
            : []),
          ...(scheduled ? [scheduleQueueId(s, declaration.name)] : []),
        ];

        // Act
        const vars: Record<string, unknown> =
          s.template.toJSON().Resources[id].Properties.Environment.Variables;
        const sqs = roleStatementsOf(s, declaration.name).filter((st) =>
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
      const intakeLambda = (s: Synthesized) => {
        const fn = s.stack.functions.get('Intake');
        if (!fn) throw new Error('no Intake function');
        return fn;
      };

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
        const roleId = logicalIdOf(s.stack, intakeLambda(s).executionRole.node.defaultChild as CfnElement);

        // Act
        const actions = Object.values(
          s.template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } }),
        )
          .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[])
          .flatMap((st) => [st.Action].flat());

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
          const id = logicalIdOf(s.stack, intakeLambda(s).node.defaultChild as CfnElement);

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
      logicalIdOf(s.stack, consumerOf(s, name).failureQueue.node.defaultChild as CfnElement);
    const functionId = (s: Synthesized, name: string) =>
      logicalIdOf(s.stack, s.stack.functions.get(name)?.node.defaultChild as CfnElement);

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

    it.each([
      ['dev', 'Delete'],
      ['prod', 'Retain'],
    ] as const)(
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
        const sqs = roleStatementsOf(s, 'Rollup').filter((st) =>
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
      const statements = roleStatementsOf(s, 'Rollup').filter((st) =>
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
        const onStar = roleStatementsOf(s, 'Rollup').filter((st) => [st.Resource].flat().includes('*'));

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
      const policyId = logicalIdOf(s.stack, policy?.node.defaultChild as CfnElement);

      // Act
      const dependsOn = s.template.toJSON().Resources[functionId(s, 'Rollup')].DependsOn;

      // Assert
      expect(dependsOn).toContain(policyId);
    });
  });

  describe('alarms', () => {
    const alarmsOf = (s: Synthesized) =>
      Object.values(s.template.findResources('AWS::CloudWatch::Alarm')) as TemplateResource[];
    /** The roll-up's alarm on this metric (schedule failure queues have their own, in alerts-schedules.test.ts). */
    const alarmOn = (s: Synthesized, metricName: string) => {
      const rollupDimension = (a: TemplateResource) =>
        JSON.stringify(a.Properties.Dimensions).includes(rollupId(s)) ||
        JSON.stringify(a.Properties.Dimensions).includes(queueId(s));
      const found = alarmsOf(s).filter((a) => a.Properties.MetricName === metricName && rollupDimension(a));
      expect(found).toHaveLength(1);
      return (found[0] as TemplateResource).Properties;
    };
    const rollupId = (s: Synthesized) =>
      logicalIdOf(s.stack, s.stack.functions.get('Rollup')?.node.defaultChild as CfnElement);
    const queueId = (s: Synthesized) =>
      logicalIdOf(
        s.stack,
        s.stack.streamConsumers.get('Rollup')?.failureQueue.node.defaultChild as CfnElement,
      );

    it('defaults: iterator age 60 s for 5 minutes, any error in 5 minutes, in both stages', () => {
      // Arrange / Act
      const dev = synthesized('dev').config.alarms;

      // Assert
      expect(dev).toEqual({ iteratorAgeSeconds: 60, iteratorAgeMinutes: 5, errorsPer5Minutes: 1 });
      expect(synthesized('prod').config.alarms).toEqual({
        ...dev,
        iteratorAgeSeconds: PROD_ITERATOR_AGE_SECONDS,
      });
    });

    it.each(['dev', 'prod'] as const)(
      'in %s: exactly the three roll-up alarms, a failure-queue alarm per scheduled function and the SMS spend alarm',
      (stage) => {
        // Arrange
        const s = synthesized(stage);

        // Act
        const metrics = alarmsOf(s)
          .map((a) => a.Properties.MetricName)
          .sort();

        // Assert
        expect(metrics).toEqual(
          [
            ...functions
              .filter((f) => f.stream)
              .flatMap(() => ['ApproximateNumberOfMessagesVisible', 'Errors', 'IteratorAge']),
            ...scheduledFunctions.map(() => 'ApproximateNumberOfMessagesVisible'),
            ...(alertingFunctions.length > 0 ? ['SMSMonthToDateSpentUSD'] : []),
          ].sort(),
        );
      },
    );

    it.each(['dev', 'prod'] as const)(
      "in %s: Rollup's IteratorAge (Maximum per minute) above the stage threshold, minutes in a row",
      (stage) => {
        // Arrange
        const s = synthesized(stage);

        // Act
        const props = alarmOn(s, 'IteratorAge');

        // Assert
        expect(props).toMatchObject({
          Namespace: 'AWS/Lambda',
          Dimensions: [{ Name: 'FunctionName', Value: { Ref: rollupId(s) } }],
          Statistic: 'Maximum',
          Period: 60,
          Threshold: s.config.alarms.iteratorAgeSeconds * 1000, // IteratorAge is in milliseconds
          ComparisonOperator: 'GreaterThanThreshold',
          EvaluationPeriods: s.config.alarms.iteratorAgeMinutes,
          DatapointsToAlarm: s.config.alarms.iteratorAgeMinutes,
          TreatMissingData: 'notBreaching',
        });
      },
    );

    it.each(['dev', 'prod'] as const)(
      "in %s: the on-failure queue's ApproximateNumberOfMessagesVisible > 0",
      (stage) => {
        // Arrange
        const s = synthesized(stage);

        // Act
        const props = alarmOn(s, 'ApproximateNumberOfMessagesVisible');

        // Assert
        expect(props).toMatchObject({
          Namespace: 'AWS/SQS',
          Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId(s), 'QueueName'] } }],
          Statistic: 'Maximum',
          Period: 60,
          Threshold: 0,
          ComparisonOperator: 'GreaterThanThreshold',
          EvaluationPeriods: 1,
        });
      },
    );

    it.each(['dev', 'prod'] as const)(
      "in %s: Rollup's Errors (Sum over 5 minutes) at the stage threshold",
      (stage) => {
        // Arrange
        const s = synthesized(stage);

        // Act
        const props = alarmOn(s, 'Errors');

        // Assert
        expect(props).toMatchObject({
          Namespace: 'AWS/Lambda',
          Dimensions: [{ Name: 'FunctionName', Value: { Ref: rollupId(s) } }],
          Statistic: 'Sum',
          Period: 300,
          Threshold: s.config.alarms.errorsPer5Minutes,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          EvaluationPeriods: 1,
        });
      },
    );

    it('dev (no alarmEmail): no operations topic (the alerts topic only), the alarms exist without actions', () => {
      // Arrange
      const s = synthesized('dev');

      // Act
      const alarms = alarmsOf(s);
      const topicIds = Object.keys(s.template.findResources('AWS::SNS::Topic'));

      // Assert
      expect(s.config.alarmEmail).toBeUndefined();
      expect(s.stack.operationsAlarms.topic).toBeUndefined();
      expect(topicIds).toEqual([alertsTopicId(s)]);
      expect(alarms.length).toBeGreaterThan(3);
      for (const alarm of alarms) {
        expect(alarm.Properties.AlarmActions).toBeUndefined();
        expect(alarm.Properties.OKActions).toBeUndefined();
      }
    });

    it('prod (alarmEmail): an operations topic beside the alerts topic, the e-mail subscribed, every alarm notifies it on ALARM and OK', () => {
      // Arrange
      const s = synthesized('prod');
      const opsTopicId = operationsTopicId(s);

      // Act
      const topicIds = Object.keys(s.template.findResources('AWS::SNS::Topic'));
      const subscriptions = Object.values(s.template.findResources('AWS::SNS::Subscription'));

      // Assert
      expect(topicIds.sort()).toEqual([opsTopicId, alertsTopicId(s)].sort());
      // Leaders are subscribed at run time by the recipients registry, never by the stack.
      expect(subscriptions.map((sub) => sub.Properties)).toEqual([
        { Protocol: 'email', Endpoint: PROD_ALARM_EMAIL, TopicArn: { Ref: opsTopicId } },
      ]);
      for (const alarm of alarmsOf(s)) {
        expect(alarm.Properties.AlarmActions).toEqual([{ Ref: opsTopicId }]);
        expect(alarm.Properties.OKActions).toEqual([{ Ref: opsTopicId }]);
      }
    });

    it("prod: the operations topic requires TLS and lets this account's CloudWatch alarms publish", () => {
      // Arrange
      const s = synthesized('prod');
      const topicId = operationsTopicId(s);

      // Act
      const statements = Object.values(
        s.template.findResources('AWS::SNS::TopicPolicy', { Properties: { Topics: [{ Ref: topicId }] } }),
      ).flatMap((p) => p.Properties.PolicyDocument.Statement as Record<string, unknown>[]);

      // Assert
      expect(statements).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Action: 'sns:Publish',
          Principal: '*',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      );
      // A topic policy replaces SNS's default one: without this Allow the alarms could not publish.
      expect(statements).toContainEqual(
        expect.objectContaining({
          Effect: 'Allow',
          Action: 'sns:Publish',
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Resource: { Ref: topicId },
          Condition: expect.objectContaining({
            StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
          }),
        }),
      );
      expect(statements.filter((st) => st.Effect === 'Allow')).toHaveLength(1);
    });
  });

  describe('Progress (GET progress, children, daily)', () => {
    const progress = functions.find((f) => f.name === 'Progress');
    const routeKeys = (progress?.routes ?? []).map(routeKeyOf);

    it('is declared with its three GET routes behind the JWT authorizer and read on Campaign', () => {
      // Arrange / Act / Assert
      const scopes = ['progress:read'];
      expect(progress?.routes).toEqual([
        { method: 'GET', path: '/v1/campaigns/{campaignId}/units/{unitId}/progress', auth: 'jwt', scopes },
        { method: 'GET', path: '/v1/campaigns/{campaignId}/units/{unitId}/children', auth: 'jwt', scopes },
        { method: 'GET', path: '/v1/campaigns/{campaignId}/units/{unitId}/daily', auth: 'jwt', scopes },
      ]);
      expect(progress?.tables).toEqual({ campaign: 'read' });
      expect(progress?.stream).toBeUndefined();
    });

    it.each(['dev', 'prod'] as const)(
      'in %s: each route exists once, JWT-authorized, integrated with the Progress function',
      (stage) => {
        // Arrange
        const s = synthesized(stage);
        const authorizerId = Object.keys(s.template.findResources('AWS::ApiGatewayV2::Authorizer'))[0];
        const fnId = logicalIdOf(s.stack, s.stack.functions.get('Progress')?.node.defaultChild as CfnElement);

        // Act
        const routes = routeKeys.map((routeKey) =>
          Object.values(
            s.template.findResources('AWS::ApiGatewayV2::Route', { Properties: { RouteKey: routeKey } }),
          ),
        );

        // Assert
        expect(routeKeys).toHaveLength(3);
        for (const found of routes) {
          expect(found).toHaveLength(1);
          const props = (found[0] as TemplateResource).Properties;
          expect(props.AuthorizationType).toBe('JWT');
          expect(props.AuthorizerId).toEqual({ Ref: authorizerId });
          const integrationId = JSON.stringify(props.Target).match(/"Ref":"([^"]+)"/)?.[1] ?? '';
          const integration = s.template.toJSON().Resources[integrationId];
          expect(JSON.stringify(integration?.Properties.IntegrationUri)).toContain(fnId);
        }
      },
    );

    it.each(['dev', 'prod'] as const)(
      'in %s: read-only on Campaign, nothing on IntakeEvents or its stream, nothing else but its logs',
      (stage) => {
        // Arrange
        const s = synthesized(stage);

        // Act
        const granted = dynamoGrantsOf(s, 'Progress');
        const campaign = granted.get(tableLogicalId(s, 'campaign'))?.actions ?? new Set<string>();
        const { streams, onAnyResource } = streamGrantsOf(s, 'Progress');
        const actions = roleStatementsOf(s, 'Progress').flatMap((st) => [st.Action].flat());

        // Assert
        expect([...granted.keys()]).toEqual([tableLogicalId(s, 'campaign')]);
        for (const read of ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:BatchGetItem']) {
          expect(campaign.has(read)).toBe(true);
        }
        for (const write of DYNAMODB_WRITES) expect(campaign.has(write)).toBe(false);
        expect(streams.size).toBe(0);
        expect(onAnyResource.size).toBe(0);
        expect(actions.filter((a) => !a.startsWith('dynamodb:') && !a.startsWith('logs:'))).toEqual([]);
      },
    );
  });

  describe('HTTP API', () => {
    const expectedRoutes = functions.flatMap((f) =>
      f.routes.map((r) => ({
        routeKey: routeKeyOf(r),
        auth: r.auth,
        scopes: r.auth === 'jwt' ? [...r.scopes] : undefined,
        fn: f.name,
      })),
    );
    const routeResource = (s: Synthesized, routeKey: string) => {
      const found = Object.values(
        s.template.findResources('AWS::ApiGatewayV2::Route', { Properties: { RouteKey: routeKey } }),
      );
      expect(found).toHaveLength(1);
      return found[0] as TemplateResource;
    };

    it('the topology has routes of both kinds, so the per-route checks below check something', () => {
      // Arrange / Act
      const kinds = new Set(expectedRoutes.map((r) => r.auth));

      // Assert
      expect(kinds).toEqual(new Set(['jwt', 'none']));
      expect(expectedRoutes.map((r) => r.routeKey)).toContain('POST /v1/intake-events');
    });

    describe.each(['dev', 'prod'] as const)('in %s', (stage) => {
      it.each(expectedRoutes.filter((r) => r.auth === 'jwt').map((r) => r.routeKey))(
        '%s (auth jwt) is behind the JWT authorizer',
        (routeKey) => {
          // Arrange
          const s = synthesized(stage);
          const authorizerIds = Object.keys(s.template.findResources('AWS::ApiGatewayV2::Authorizer'));

          // Act
          const props = routeResource(s, routeKey).Properties;

          // Assert
          expect(authorizerIds).toHaveLength(1);
          expect(props.AuthorizationType).toBe('JWT');
          expect(props.AuthorizerId).toEqual({ Ref: authorizerIds[0] });
        },
      );

      it.each(expectedRoutes.filter((r) => r.auth === 'none').map((r) => r.routeKey))(
        '%s (auth none) has no authorizer',
        (routeKey) => {
          // Arrange
          const s = synthesized(stage);

          // Act
          const props = routeResource(s, routeKey).Properties;

          // Assert
          expect(props.AuthorizationType).toBe('NONE');
          expect(props.AuthorizerId).toBeUndefined();
          expect(props.AuthorizationScopes).toBeUndefined();
        },
      );
    });

    it('has exactly the topology routes, JWT-authorized or public as declared', () => {
      // Arrange
      const s = synthesized('dev');
      const authorizerId = Object.keys(s.template.findResources('AWS::ApiGatewayV2::Authorizer'))[0];

      // Act
      const routes = Object.values(s.template.findResources('AWS::ApiGatewayV2::Route')).map((r) => ({
        routeKey: r.Properties.RouteKey as string,
        authorizationType: r.Properties.AuthorizationType as string,
        authorizerId: r.Properties.AuthorizerId as unknown,
        scopes: r.Properties.AuthorizationScopes as unknown,
      }));

      // Assert
      expect(routes.map((r) => r.routeKey).sort()).toEqual(expectedRoutes.map((r) => r.routeKey).sort());
      for (const expected of expectedRoutes) {
        const route = routes.find((r) => r.routeKey === expected.routeKey);
        if (expected.auth === 'jwt') {
          // Every JWT route names its scopes: a token without one of them (an ID token) is refused.
          expect(expected.scopes?.length).toBeGreaterThan(0);
          expect(route).toEqual({
            ...route,
            authorizationType: 'JWT',
            authorizerId: { Ref: authorizerId },
            scopes: expected.scopes,
          });
        } else {
          expect(route).toEqual({
            ...route,
            authorizationType: 'NONE',
            authorizerId: undefined,
            scopes: undefined,
          });
        }
      }
    });

    it.each(expectedRoutes.map((r) => [r.routeKey, r.fn] as const))(
      '%s is integrated with %s',
      (routeKey, fnName) => {
        // Arrange
        const s = synthesized('dev');
        const fn = s.stack.functions.get(fnName);
        const fnId = logicalIdOf(s.stack, fn?.node.defaultChild as CfnElement);
        const route = Object.values(
          s.template.findResources('AWS::ApiGatewayV2::Route', { Properties: { RouteKey: routeKey } }),
        )[0];

        // Act
        const target = JSON.stringify(route?.Properties.Target);
        const integrationId = target.match(/"Ref":"([^"]+)"/)?.[1] ?? '';
        const integration = s.template.toJSON().Resources[integrationId];

        // Assert
        expect(integration.Type).toBe('AWS::ApiGatewayV2::Integration');
        expect(integration.Properties.IntegrationType).toBe('AWS_PROXY');
        expect(integration.Properties.PayloadFormatVersion).toBe('2.0');
        expect(JSON.stringify(integration.Properties.IntegrationUri)).toContain(fnId);
      },
    );

    it.each(['dev', 'prod'] as const)(
      "in %s: the JWT authorizer trusts the stage's user pool (identity: cognito, the default)",
      (stage) => {
        // Arrange
        const s = synthesized(stage);
        const poolId = logicalIdOf(s.stack, s.stack.identity?.userPool.node.defaultChild as CfnElement);
        const clientId = logicalIdOf(
          s.stack,
          s.stack.identity?.dashboardClient.node.defaultChild as CfnElement,
        );

        // Act / Assert
        s.template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
        s.template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
          AuthorizerType: 'JWT',
          IdentitySource: ['$request.header.Authorization'],
          JwtConfiguration: {
            Issuer: {
              'Fn::Join': [
                '',
                ['https://cognito-idp.', { Ref: 'AWS::Region' }, '.amazonaws.com/', { Ref: poolId }],
              ],
            },
            Audience: [{ Ref: clientId }],
          },
        });
      },
    );

    it('takes issuer, audience and throttling from -c context', () => {
      // Arrange
      const s = synthesized('prod');

      // Act / Assert
      expect(s.config.jwt).toEqual({
        issuer: PROD_CONTEXT.jwtIssuer,
        audience: ['client-web', 'client-cli'],
      });
      expect(s.config.throttle).toEqual({ rateLimit: 250, burstLimit: 400 });
    });

    it.each(['dev', 'prod'] as const)(
      'in %s: one auto-deployed $default stage, throttled as configured, JSON access logs',
      (stage) => {
        // Arrange
        const s = synthesized(stage);
        const logGroupId = logicalIdOf(
          s.stack,
          s.stack.httpApi.accessLogGroup.node.defaultChild as CfnElement,
        );

        // Act
        const stageResources = Object.values(s.template.findResources('AWS::ApiGatewayV2::Stage'));
        const props = stageResources[0]?.Properties;
        const format = JSON.parse(props.AccessLogSettings.Format) as Record<string, string>;

        // Assert
        expect(stageResources).toHaveLength(1);
        expect(props.StageName).toBe('$default');
        expect(props.AutoDeploy).toBe(true);
        expect(props.DefaultRouteSettings).toEqual({
          ThrottlingRateLimit: s.config.throttle.rateLimit,
          ThrottlingBurstLimit: s.config.throttle.burstLimit,
        });
        expect(props.AccessLogSettings.DestinationArn).toEqual({ 'Fn::GetAtt': [logGroupId, 'Arn'] });
        expect(format).toMatchObject({
          requestId: '$context.requestId',
          ip: '$context.identity.sourceIp',
          routeKey: '$context.routeKey',
          status: '$context.status',
          latency: '$context.responseLatency',
        });
      },
    );

    it.each(['dev', 'prod'] as const)(
      'in %s: per-route throttling from stage config, only on declared routes, stage created after them',
      (stage) => {
        // Arrange
        const s = synthesized(stage);
        const stageResource = Object.values(s.template.findResources('AWS::ApiGatewayV2::Stage'))[0];
        const routeIds = Object.fromEntries(
          Object.entries(s.template.findResources('AWS::ApiGatewayV2::Route')).map(([id, r]) => [
            r.Properties.RouteKey as string,
            id,
          ]),
        );

        // Act
        const routeSettings = stageResource?.Properties.RouteSettings as Record<string, unknown>;

        // Assert
        expect(Object.keys(s.config.routeThrottle)).toContain('POST /v1/intake-events');
        expect(routeSettings).toEqual(
          Object.fromEntries(
            Object.entries(s.config.routeThrottle).map(([key, t]) => [
              key,
              { ThrottlingRateLimit: t.rateLimit, ThrottlingBurstLimit: t.burstLimit },
            ]),
          ),
        );
        for (const key of Object.keys(routeSettings)) {
          expect(expectedRoutes.map((r) => r.routeKey)).toContain(key);
          // CloudFormation rejects RouteSettings naming a route that does not exist yet.
          expect(stageResource?.DependsOn).toContain(routeIds[key]);
        }
      },
    );

    it('intake keeps the default rate and gets a deeper burst than the default', () => {
      // Arrange
      const s = synthesized('dev');

      // Act
      const intake = s.config.routeThrottle['POST /v1/intake-events'];

      // Assert
      expect(intake?.rateLimit).toBe(s.config.throttle.rateLimit);
      expect(intake?.burstLimit).toBeGreaterThan(s.config.throttle.burstLimit);
    });

    it('fails the synth, naming the declared routes, when routeThrottle names an undeclared route', () => {
      // Arrange
      const context = {
        stageConfig: {
          dev: { routeThrottle: { 'POST /v1/no-such-route': { rateLimit: 1, burstLimit: 1 } } },
        },
      };
      let failure: unknown;

      // Act
      try {
        buildApp({ stage: 'dev', context });
      } catch (error) {
        failure = error;
      }

      // Assert
      expect(failure).toBeInstanceOf(Error);
      const message = (failure as Error).message;
      expect(message).toContain(
        'routeThrottle names routes that infra/topology.ts does not declare: POST /v1/no-such-route.',
      );
      for (const route of expectedRoutes) expect(message).toContain(route.routeKey);
    });

    it('leaves CORS off', () => {
      // Arrange
      const s = synthesized('dev');

      // Act / Assert
      s.template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
        ProtocolType: 'HTTP',
        CorsConfiguration: Match.absent(),
      });
    });
  });

  describe('outputs', () => {
    it.each(['dev', 'prod'] as const)(
      '%s exports ApiUrl, one <LogicalName>TableName per table, one <Function>FailureQueueUrl per stream function, AlertsTopicArn and one <Function>ScheduleFailureQueueUrl per scheduled function',
      (stage) => {
        // Arrange
        const s = synthesized(stage);

        // Act
        const outputs = s.template.toJSON().Outputs as Record<string, { Value: unknown }>;

        // Assert
        const expectedIds = [
          API_URL_OUTPUT,
          ...Object.values(tables).map((t) => tableOutputId(t.logicalName)),
          ...functions.filter((f) => f.stream).map((f) => failureQueueOutputId(f.name)),
          ...(alertingFunctions.length > 0 ? [ALERTS_TOPIC_OUTPUT] : []),
          ...scheduledFunctions.map((f) => scheduleFailureQueueOutputId(f.name)),
          // identity: cognito (the default): what the users/clients CLIs and the dashboard read.
          ...(s.stack.identity
            ? ['UserPoolId', 'ResourceServerIdentifier', 'TokenIssuer', 'DashboardClientId', 'SignInDomain']
            : []),
        ];
        expect(s.config.identity).toBe('cognito');
        expect(Object.keys(outputs).sort()).toEqual(expectedIds.sort());
        expect(outputs.CampaignTableName?.Value).toEqual({ Ref: tableLogicalId(s, 'campaign') });
        expect(outputs.IntakeEventsTableName?.Value).toEqual({ Ref: tableLogicalId(s, 'intakeEvents') });
        expect(JSON.stringify(outputs.ApiUrl?.Value)).toContain('.execute-api.');
        expect(failureQueueOutputId('Rollup')).toBe('RollupFailureQueueUrl');
        expect(outputs.AlertsTopicArn?.Value).toEqual({ Ref: alertsTopicId(s) });
        for (const f of scheduledFunctions) {
          expect(outputs[scheduleFailureQueueOutputId(f.name)]?.Value).toEqual({
            Ref: scheduleQueueId(s, f.name),
          });
        }
        expect(outputs.RollupFailureQueueUrl?.Value).toEqual({
          Ref: logicalIdOf(
            s.stack,
            s.stack.streamConsumers.get('Rollup')?.failureQueue.node.defaultChild as CfnElement,
          ),
        });
      },
    );
  });

  describe('cdk-nag AwsSolutions', () => {
    interface Violation {
      ruleName: string;
      severity: string;
      violatingConstructs: { constructPath: string }[];
    }
    const reportOf = (s: Synthesized) => {
      const file = path.join(s.assembly.directory, 'validation-report.json');
      expect(existsSync(file)).toBe(true);
      return JSON.parse(readFileSync(file, 'utf8')) as {
        pluginReports: { pluginName: string; conclusion: string; violations: Violation[] }[];
      };
    };

    it.each(['dev', 'prod'] as const)('%s has no unacknowledged AwsSolutions error or warning', (stage) => {
      // Arrange
      const s = synthesized(stage);

      // Act
      const findings = reportOf(s)
        .pluginReports.filter((r) => r.pluginName === 'AwsSolutions')
        .flatMap((r) => r.violations)
        .filter((v) => v.severity === 'error' || v.severity === 'warning' || v.severity === 'fatal')
        .map((v) => `${v.ruleName} at ${v.violatingConstructs.map((c) => c.constructPath).join(', ')}`);

      // Assert
      expect(findings).toEqual([]);
    });

    it.each(['dev', 'prod'] as const)(
      'in %s: acknowledges only the expected rules, each on the one resource it concerns, each with a reason',
      (stage) => {
        // Arrange
        const s = synthesized(stage);
        const resources = s.template.toJSON().Resources as Record<string, TemplateResource>;
        const streamFunctions = functions.filter((f) => f.stream);
        const expected = [
          ...functions.map(() => ({ type: 'AWS::Lambda::Function', rule: 'AwsSolutions-L1' })),
          // IAM5 only where a wildcard exists: read/readWrite grants on a table with GSIs (index/*).
          ...functions.flatMap((f) =>
            (Object.entries(f.tables) as [TableKey, TableAccess][])
              .filter(
                ([key, access]) =>
                  actionsOf(access).includes('Query') && tables[key].globalIndexes.length > 0,
              )
              .map(([key]) => ({
                type: 'AWS::IAM::Policy',
                rule: `AwsSolutions-IAM5[Resource::<${tableLogicalId(s, key)}.Arn>/index/*]`,
              })),
          ),
          // …and dynamodb:ListStreams, which IAM only grants on *, for each stream function.
          ...streamFunctions.map(() => ({
            type: 'AWS::IAM::Policy',
            rule: 'AwsSolutions-IAM5[Resource::*]',
          })),
          // …and the alerts topic's subscriptions (<topic ARN>:*), for each function that manages them.
          ...subscribingFunctions.map(() => ({
            type: 'AWS::IAM::Policy',
            rule: `AwsSolutions-IAM5[Resource::<${alertsTopicId(s)}>:*]`,
          })),
          // Each on-failure queue, and each schedule failure queue, is itself a dead-letter destination.
          ...streamFunctions.map(() => ({ type: 'AWS::SQS::Queue', rule: 'AwsSolutions-SQS3' })),
          ...scheduledFunctions.map(() => ({ type: 'AWS::SQS::Queue', rule: 'AwsSolutions-SQS3' })),
          // The alarm topic (only with an alarm e-mail) cannot use aws/sns: CloudWatch could not publish.
          ...(s.config.alarmEmail ? [{ type: 'AWS::SNS::Topic', rule: 'AwsSolutions-SNS2' }] : []),
          // The user pool: MFA optional and the Essentials plan (no threat protection), by design.
          ...(s.stack.identity
            ? [
                { type: 'AWS::Cognito::UserPool', rule: 'AwsSolutions-COG2' },
                { type: 'AWS::Cognito::UserPool', rule: 'AwsSolutions-COG8' },
              ]
            : []),
          ...functions
            .flatMap((f) => f.routes)
            .filter((r) => r.auth === 'none')
            .map(() => ({ type: 'AWS::ApiGatewayV2::Route', rule: 'AwsSolutions-APIG4' })),
        ];

        // Act
        const acknowledged = Object.entries(resources).flatMap(([logicalId, r]) =>
          (r.Metadata?.cdk_nag?.rules_to_suppress ?? []).map((ack) => ({
            logicalId,
            type: r.Type,
            rule: ack.id,
            reason: ack.reason,
          })),
        );

        // Assert
        expect(s.config.alarmEmail).toBe(stage === 'prod' ? PROD_ALARM_EMAIL : undefined);
        const order = (a: { type: string; rule: string }, b: { type: string; rule: string }) =>
          `${a.type}${a.rule}`.localeCompare(`${b.type}${b.rule}`);
        expect(acknowledged.map(({ type, rule }) => ({ type, rule })).sort(order)).toEqual(
          expected.sort(order),
        );
        for (const ack of acknowledged) expect(ack.reason.length).toBeGreaterThan(60);
        for (const ack of acknowledged.filter((a) => a.rule === 'AwsSolutions-APIG4')) {
          expect(resources[ack.logicalId]?.Properties.AuthorizationType).toBe('NONE');
        }
        // Each IAM5 acknowledgement names a wildcard resource that this very policy really has.
        for (const ack of acknowledged.filter((a) => a.rule.startsWith('AwsSolutions-IAM5'))) {
          const policy = resources[ack.logicalId]?.Properties as
            | { PolicyDocument?: { Statement: Statement[] } }
            | undefined;
          const statements = policy?.PolicyDocument?.Statement ?? [];
          if (ack.rule === 'AwsSolutions-IAM5[Resource::*]') {
            // The * is there, and carries dynamodb:ListStreams and nothing else.
            const onStar = statements.filter((st) => [st.Resource].flat().includes('*'));
            expect(onStar).toEqual([{ Effect: 'Allow', Action: 'dynamodb:ListStreams', Resource: '*' }]);
            continue;
          }
          if (ack.rule === `AwsSolutions-IAM5[Resource::<${alertsTopicId(s)}>:*]`) {
            // The subscriptions wildcard is there, carrying the registry's subscription actions only.
            const wildcard = { 'Fn::Join': ['', [{ Ref: alertsTopicId(s) }, ':*']] };
            const onSubscriptions = statements.filter((st) =>
              [st.Resource].flat().some((r) => JSON.stringify(r) === JSON.stringify(wildcard)),
            );
            expect(onSubscriptions.flatMap((st) => [st.Action].flat()).sort()).toEqual(
              [...SUBSCRIPTION_ACTIONS].sort(),
            );
            continue;
          }
          const tableId = ack.rule.match(/^AwsSolutions-IAM5\[Resource::<([^.]+)\.Arn>\/index\/\*\]$/)?.[1];
          const wildcard = { 'Fn::Join': ['', [{ 'Fn::GetAtt': [tableId, 'Arn'] }, '/index/*']] };
          expect(statements.flatMap((st) => [st.Resource].flat())).toContainEqual(wildcard);
        }
        // Each SQS3 acknowledgement is on a queue that really is a failure destination: of a stream
        // mapping, or of a schedule (dead-letter) that is also its function's async on-failure destination.
        const scheduleDlqs = Object.values(s.template.findResources('AWS::Scheduler::Schedule')).map((sc) =>
          JSON.stringify(sc.Properties.Target.DeadLetterConfig?.Arn),
        );
        const asyncDestinations = Object.values(
          s.template.findResources('AWS::Lambda::EventInvokeConfig'),
        ).map((c) => JSON.stringify(c.Properties.DestinationConfig?.OnFailure?.Destination));
        const destinations = [
          ...Object.values(s.template.findResources('AWS::Lambda::EventSourceMapping')).map((m) =>
            JSON.stringify(m.Properties.DestinationConfig?.OnFailure?.Destination),
          ),
          ...scheduleDlqs.filter((dlq) => asyncDestinations.includes(dlq)),
        ];
        for (const ack of acknowledged.filter((a) => a.rule === 'AwsSolutions-SQS3')) {
          expect(destinations).toContain(JSON.stringify({ 'Fn::GetAtt': [ack.logicalId, 'Arn'] }));
        }
      },
    );

    it('acknowledges IAM5 where the wildcard is, not by table: put on an indexed table, item reads without Query on another', () => {
      // Arrange: a throwaway topology that crosses the cases the real one does not (yet) have.
      const throwaway: FunctionDeclaration[] = [
        {
          name: 'PutOnIndexed',
          entry: 'functions/openapi.ts',
          description: 'test only: put on the Campaign table, which has a GSI',
          // Carries the route that the stage config throttles per route.
          routes: [{ method: 'POST', path: '/v1/intake-events', auth: 'jwt', scopes: ['intake:write'] }],
          tables: { campaign: { actions: ['PutItem'] } },
          memoryMb: 128,
          timeoutSeconds: 3,
        },
        {
          name: 'ItemReads',
          entry: 'functions/openapi.ts',
          description: 'test only: item reads (no Query) on the IntakeEvents table',
          routes: [],
          tables: { intakeEvents: { actions: ['GetItem', 'BatchGetItem'] } },
          memoryMb: 128,
          timeoutSeconds: 3,
        },
      ];
      expect(tables.campaign.globalIndexes.length).toBeGreaterThan(0);
      expect(tables.intakeEvents.globalIndexes.length).toBeGreaterThan(0);
      const built = buildApp({ stage: 'dev', functions: throwaway });

      // Act: cdk-nag runs in synth and throws on any unacknowledged finding.
      let template: Record<string, unknown>;
      try {
        template = built.app.synth().getStackByName(built.stack.stackName).template;
      } finally {
        rmSync(built.app.outdir, { recursive: true, force: true });
      }
      const resources = (template as { Resources: Record<string, TemplateResource> }).Resources;
      const policies = Object.values(resources).filter((r) => r.Type === 'AWS::IAM::Policy');
      const dynamo = policies
        .flatMap(
          (p) => (p.Properties as { PolicyDocument: { Statement: Statement[] } }).PolicyDocument.Statement,
        )
        .filter((st) => [st.Action].flat().some((a) => a.startsWith('dynamodb:')));
      const campaignId = logicalIdOf(
        built.stack,
        built.stack.tables.byKey.campaign.node.defaultChild as CfnElement,
      );

      // Assert
      const put = dynamo.filter((st) => JSON.stringify(st.Resource).includes(campaignId));
      expect(put).toEqual([
        { Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: { 'Fn::GetAtt': [campaignId, 'Arn'] } },
      ]);
      expect(JSON.stringify(dynamo)).not.toContain('/index/*');
      const acks = policies.flatMap((p) => p.Metadata?.cdk_nag?.rules_to_suppress ?? []);
      expect(acks.filter((a) => a.id.startsWith('AwsSolutions-IAM5'))).toEqual([]);
    });
  });
});
