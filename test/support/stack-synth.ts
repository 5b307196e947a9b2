/**
 * The synthesized stack for the infra tests (test/infra/), built by `buildApp` exactly as `cdk synth`
 * builds it (cdk.json context, feature flags and cdk-nag included): each stage once per test file
 * ({@link synthesizedStages}) or one synth with its own context or topology ({@link synthesize}), and
 * the readers of its template the tests share: logical ids, IAM statements, DynamoDB grants by table.
 */
import { rmSync } from 'node:fs';
import { CfnElement, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import type { IConstruct } from 'constructs';
import { afterAll, expect } from 'vitest';
import { type BuiltApp, buildApp } from '../../infra/app.js';
import { type FunctionDeclaration, functions } from '../../infra/topology.js';
import type { TableKey } from '../../shared/store/tables.js';

/** A resource of the template as the tests read it. */
export interface TemplateResource {
  Type: string;
  Properties: Record<string, unknown> & {
    /** An IAM policy's (or a topic or queue policy's) document. */
    PolicyDocument?: { Statement: Statement[] };
    /** The roles an IAM policy is attached to. */
    Roles?: unknown[];
  };
  DependsOn?: string[];
  Metadata?: { cdk_nag?: { rules_to_suppress: { id: string; reason: string }[] } };
}

/** An IAM statement; a resource policy's (or a trust policy's) statement also names a Principal. */
export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Principal?: unknown;
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

/** What `grantStreamRead` gives on the stream ARN: the reads Lambda's poller makes. */
export const STREAM_READS = ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'];

/** A synthesized stage: the built app, its cloud assembly, and the API stack's template. */
export interface Synthesized extends BuiltApp {
  readonly assembly: CloudAssembly;
  readonly template: Template;
  /** The template's resources by logical id (what `template.toJSON().Resources` holds). */
  readonly resources: Readonly<Record<string, TemplateResource>>;
  /** The template's outputs by id. */
  readonly outputs: Readonly<Record<string, { Value: unknown }>>;
}

/** Context that skips esbuild: the template is otherwise the same, and cdk-nag still runs. */
export const NO_BUNDLING = { 'aws:cdk:bundling-stacks': [] };

/** The DeletionPolicy of stateful resources (tables, failure queues) per stage: dev is thrown away, prod kept. */
export const DELETION_POLICY_BY_STAGE = [
  ['dev', 'Delete'],
  ['prod', 'Retain'],
] as const;

/**
 * Context as `-c` would pass it (and cdk.json's `stageConfig`): proves the values flow from
 * context into the template. Prod gets an alarm e-mail (so the SNS path is synthesized and
 * checked by cdk-nag) and a non-default iterator-age threshold; dev keeps the defaults and no e-mail.
 */
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

export interface SynthesisOptions {
  /** Context as `-c` would pass it. */
  readonly context?: Readonly<Record<string, unknown>>;
  /** A throwaway topology instead of infra/topology.ts (buildApp's `functions`). */
  readonly functions?: readonly FunctionDeclaration[];
  /** Bundle the functions with esbuild, as `cdk synth` does; default: no ({@link NO_BUNDLING}). */
  readonly bundling?: boolean;
}

/** Builds and synthesizes one stage; the caller removes `app.outdir` (it is removed here if the synth throws). */
function synthesizeKeepingAssembly(stage: 'dev' | 'prod', options: SynthesisOptions): Synthesized {
  const built = buildApp({
    stage,
    context: { ...(options.bundling ? {} : NO_BUNDLING), ...options.context },
    ...(options.functions ? { functions: options.functions } : {}),
  });
  try {
    // Throws (with the full report) if cdk-nag or template validation finds an unacknowledged problem.
    const assembly = built.app.synth();
    const json = assembly.getStackByName(built.stack.stackName).template as {
      Resources: Record<string, TemplateResource>;
      Outputs?: Record<string, { Value: unknown }>;
    };
    const template = Template.fromJSON(json);
    return { ...built, assembly, template, resources: json.Resources, outputs: json.Outputs ?? {} };
  } catch (error) {
    rmSync(built.app.outdir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * One synth, for a test that needs its own context or topology. Its assembly directory is removed
 * before it returns: read the template (and the assembly's manifest), not the files.
 */
export function synthesize(stage: 'dev' | 'prod', options: SynthesisOptions = {}): Synthesized {
  const s = synthesizeKeepingAssembly(stage, options);
  rmSync(s.app.outdir, { recursive: true, force: true });
  return s;
}

/**
 * Synthesizes each stage once for the calling test file, on first use, and removes the assemblies
 * after the file. Dev with no context, prod with {@link PROD_CONTEXT}. `bundling: false` skips esbuild
 * for files that read IAM, tables, routes or alarms rather than function code; the template is
 * otherwise the same, and cdk-nag still runs in every synth. test/infra/stack.test.ts bundles, exactly
 * as `cdk synth` does, and reads the assembly's files.
 */
export function synthesizedStages(options: {
  readonly bundling: boolean;
}): (stage: 'dev' | 'prod') => Synthesized {
  const stages: Partial<Record<'dev' | 'prod', Synthesized>> = {};
  afterAll(() => {
    // Each synth writes its assembly (bundles included) to a fresh temporary directory.
    for (const s of Object.values(stages)) rmSync(s.app.outdir, { recursive: true, force: true });
  });
  return (stage) => {
    stages[stage] ??= synthesizeKeepingAssembly(stage, {
      bundling: options.bundling,
      ...(stage === 'prod' ? { context: PROD_CONTEXT } : {}),
    });
    return stages[stage];
  };
}

/** The logical id of a construct's CloudFormation resource (pass `node.defaultChild`). */
export const logicalIdOf = (stack: Stack, element: IConstruct | undefined): string => {
  if (element === undefined || !CfnElement.isCfnElement(element)) {
    throw new Error('construct has no CloudFormation resource');
  }
  return stack.resolve(element.logicalId) as string;
};
export const ref = (id: string) => ({ Ref: id });

export const tableLogicalId = (s: Synthesized, key: TableKey) =>
  logicalIdOf(s.stack, s.stack.tables.byKey[key].node.defaultChild);
/** Logical id of a topology function's Lambda function. */
export const functionId = (s: Synthesized, name: string) =>
  logicalIdOf(s.stack, s.stack.functions.get(name)?.node.defaultChild);
/** Logical id of a topology function's execution role. */
export const executionRoleId = (s: Synthesized, name: string) =>
  logicalIdOf(s.stack, s.stack.functions.get(name)?.executionRole.node.defaultChild);
/** Logical id of the alerts topic (the topology has alerting functions, so there is one). */
export const alertsTopicId = (s: Synthesized) =>
  logicalIdOf(s.stack, s.stack.alerts?.topic.node.defaultChild);
/** Logical id of the operations alarm topic (only with an alarm e-mail). */
export const operationsTopicId = (s: Synthesized) =>
  logicalIdOf(s.stack, s.stack.operationsAlarms.topic?.node.defaultChild);
/** Logical id of a stream function's on-failure queue. */
export const streamQueueId = (s: Synthesized, name: string) =>
  logicalIdOf(s.stack, s.stack.streamConsumers.get(name)?.failureQueue.node.defaultChild);
/** Logical id of a scheduled function's failure queue. */
export const scheduleQueueId = (s: Synthesized, name: string) =>
  logicalIdOf(s.stack, s.stack.scheduledJobs.get(name)?.failureQueue.node.defaultChild);

export const actionsOf = (st: Statement) => [st.Action].flat();
export const resourcesOf = (st: Statement) => [st.Resource].flat();

/** Every IAM policy (`AWS::IAM::Policy`) of the template. */
export const allPolicies = (s: Synthesized) =>
  Object.values(s.resources).filter((r) => r.Type === 'AWS::IAM::Policy');

/** Every IAM statement of the template: managed/inline policies and roles' inline policies. */
export const allStatements = (s: Synthesized): Statement[] =>
  Object.values(s.resources).flatMap((r) => {
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

/**
 * The statements of every IAM policy attached to the role with this logical id (a function's:
 * {@link executionRoleId}).
 */
export const statementsOfRole = (s: Synthesized, roleId: string): Statement[] =>
  allPolicies(s)
    .filter((r) => JSON.stringify(r.Properties.Roles) === JSON.stringify([ref(roleId)]))
    .flatMap((r) => r.Properties.PolicyDocument?.Statement ?? []);

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
  statementsOfRole(s, executionRoleId(s, functionName))
    .filter((st) => actionsOf(st).some((a) => a.startsWith('dynamodb:')))
    .flatMap((st) => {
      expect(st.Effect).toBe('Allow');
      return resourcesOf(st).map((resource) => ({
        actions: actionsOf(st),
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

/** JSON with object keys sorted, so that equal values compare equal whatever their key order. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
/** The values as canonical JSON, sorted: compares lists of statements or ids whatever their order. */
export const sortedJson = (values: readonly unknown[]) => values.map(canonical).sort();

/** Topology functions with schedules, with alerts of each kind. */
export const scheduledFunctions = functions.filter((f) => (f.schedules ?? []).length > 0);
export const alertingFunctions = functions.filter((f) => f.alerts !== undefined);
export const subscribingFunctions = functions.filter((f) => f.alerts === 'subscribe');
/** Every declared (function, schedule rule) pair. */
export const declaredRules = scheduledFunctions.flatMap((f) =>
  (f.schedules ?? []).map((rule) => [f.name, rule] as const),
);
