/**
 * The synthesized stack of each stage for the infra tests (test/infra/), built by `buildApp` exactly
 * as `cdk synth` builds it (cdk.json context, feature flags and cdk-nag included), and the readers of
 * its template they share: IAM statements, DynamoDB grants by table, logical ids.
 */
import { rmSync } from 'node:fs';
import type { CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { afterAll, expect } from 'vitest';
import { type BuiltApp, buildApp } from '../../infra/app.js';
import { functions } from '../../infra/topology.js';
import type { TableKey } from '../../shared/store/tables.js';

export interface TemplateResource {
  Type: string;
  Properties: Record<string, unknown>;
  Metadata?: { cdk_nag?: { rules_to_suppress: { id: string; reason: string }[] } };
}

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

/** Every write a DynamoDB grant could carry (data-plane writes and the transaction entry points). */
export const DYNAMODB_WRITES = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:TransactWriteItems',
  'dynamodb:PartiQLInsert',
  'dynamodb:PartiQLUpdate',
  'dynamodb:PartiQLDelete',
];

export interface Synthesized extends BuiltApp {
  readonly template: Template;
  readonly assembly: CloudAssembly;
}

/**
 * Context as `-c` would pass it (and cdk.json's `stageConfig`): proves the values flow from
 * context into the template. Prod gets an alarm e-mail (so the SNS path is synthesized and
 * checked by cdk-nag) and a non-default iterator-age threshold; dev keeps the defaults and no e-mail.
 */
const NO_BUNDLING = { 'aws:cdk:bundling-stacks': [] };

/** The DeletionPolicy of stateful resources (tables, failure queues) per stage: dev is thrown away, prod kept. */
export const DELETION_POLICY_BY_STAGE = [
  ['dev', 'Delete'],
  ['prod', 'Retain'],
] as const;

export const PROD_ALARM_EMAIL = 'ops@example.com';
export const PROD_ITERATOR_AGE_SECONDS = 90;
export const PROD_CONTEXT = {
  jwtIssuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Prod123',
  jwtAudience: 'client-web, client-cli',
  throttleRateLimit: '250',
  throttleBurstLimit: '400',
  alarmEmail: PROD_ALARM_EMAIL,
  dashboardUrl: 'https://d111111abcdef8.cloudfront.net/',
  stageConfig: { prod: { alarms: { iteratorAgeSeconds: PROD_ITERATOR_AGE_SECONDS } } },
};

export function synthesize(stage: 'dev' | 'prod', context?: Record<string, unknown>): Synthesized {
  const built = buildApp({ stage, ...(context ? { context } : {}) });
  // Throws (with the full report) if cdk-nag or template validation finds an unacknowledged problem.
  const assembly = built.app.synth();
  const template = Template.fromJSON(assembly.getStackByName(built.stack.stackName).template);
  return { ...built, assembly, template };
}

export const logicalIdOf = (stack: Stack, element: CfnElement | undefined): string => {
  if (!element) throw new Error('construct has no CloudFormation resource');
  return stack.resolve(element.logicalId) as string;
};

/**
 * Synthesizes each stage once for the calling test file, on first use, and removes the assemblies
 * after the file. `bundling: false` skips esbuild (`aws:cdk:bundling-stacks: []`) for files that read
 * IAM, tables, routes or alarms rather than function code; the template is otherwise the same, and
 * cdk-nag still runs in every synth. test/infra/stack.test.ts bundles, exactly as `cdk synth` does.
 */
export function synthesizedStages(options: {
  readonly bundling: boolean;
}): (stage: 'dev' | 'prod') => Synthesized {
  const stages: Partial<Record<'dev' | 'prod', Synthesized>> = {};
  const extra = options.bundling ? {} : NO_BUNDLING;
  afterAll(() => {
    // Each synth writes its assembly (bundles included) to a fresh temporary directory.
    for (const s of Object.values(stages)) rmSync(s.app.outdir, { recursive: true, force: true });
  });
  return (stage) => {
    stages[stage] ??=
      stage === 'dev'
        ? synthesize('dev', options.bundling ? undefined : extra)
        : synthesize('prod', { ...PROD_CONTEXT, ...extra });
    return stages[stage];
  };
}

export const tableLogicalId = (s: Synthesized, key: TableKey) =>
  logicalIdOf(s.stack, s.stack.tables.byKey[key].node.defaultChild as CfnElement);

/** Every IAM statement of the template: managed/inline policies and roles' inline policies. */
export const allStatements = (s: Synthesized): Statement[] => {
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
export const roleStatementsOf = (s: Synthesized, functionName: string): Statement[] => {
  const fn = s.stack.functions.get(functionName);
  if (!fn) throw new Error(`no function ${functionName}`);
  const roleId = logicalIdOf(s.stack, fn.executionRole.node.defaultChild as CfnElement);
  return Object.values(
    s.template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } }),
  ).flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
};

/** What a DynamoDB statement's resource is; anything else throws (an unexpected resource is a failure). */
export type DynamoResource =
  | { kind: 'table' | 'index' | 'stream'; tableId: string; text: string }
  | { kind: 'any' };
export const classifyDynamoResource = (resource: unknown): DynamoResource => {
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
export const dynamoEntriesOf = (s: Synthesized, functionName: string) =>
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
export const dynamoGrantsOf = (s: Synthesized, functionName: string) => {
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
export const streamGrantsOf = (s: Synthesized, functionName: string) => {
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
export const scheduledFunctions = functions.filter((f) => (f.schedules ?? []).length > 0);
export const alertingFunctions = functions.filter((f) => f.alerts !== undefined);
export const subscribingFunctions = functions.filter((f) => f.alerts === 'subscribe');

/** Logical id of the alerts topic (the topology has alerting functions, so there is one). */
export const alertsTopicId = (s: Synthesized) =>
  logicalIdOf(s.stack, s.stack.alerts?.topic.node.defaultChild as CfnElement | undefined);
/** Logical id of the operations alarm topic (only with an alarm e-mail). */
export const operationsTopicId = (s: Synthesized) =>
  logicalIdOf(s.stack, s.stack.operationsAlarms.topic?.node.defaultChild as CfnElement | undefined);
/** Logical id of a scheduled function's failure queue. */
export const scheduleQueueId = (s: Synthesized, name: string) =>
  logicalIdOf(
    s.stack,
    s.stack.scheduledJobs.get(name)?.failureQueue.node.defaultChild as CfnElement | undefined,
  );

/** What `grantStreamRead` gives on the stream ARN: the reads Lambda's poller makes. */
export const STREAM_READS = ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'];
