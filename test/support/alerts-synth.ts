/** The stack synthesized without bundling for the alerts topic and schedule tests (test/infra/constructs/alerts-topic.test.ts, scheduled-job.test.ts), and readers of its template. */
import { rmSync } from 'node:fs';
import type { CfnElement, Stack } from 'aws-cdk-lib';
import { afterAll, beforeAll } from 'vitest';
import { type BuiltApp, buildApp } from '../../infra/app.js';
import { type FunctionDeclaration, functions } from '../../infra/topology.js';
import type { TemplateResource, Statement as TemplateStatement } from './stack-synth.js';

/** A template resource as these tests read it: policies with their statements, and the roles they attach to. */
export interface Resource extends TemplateResource {
  Properties: Record<string, unknown> & {
    PolicyDocument?: { Statement: Statement[] };
    Roles?: unknown[];
  };
  DependsOn?: string[];
}
/** An IAM statement; the topic's resource policy names a Principal. */
export interface Statement extends TemplateStatement {
  Principal?: unknown;
}
export interface Synthesized extends BuiltApp {
  readonly resources: Record<string, Resource>;
  readonly outputs: Record<string, { Value: unknown }>;
}

export const NO_BUNDLING = { 'aws:cdk:bundling-stacks': [] };
export const ALARM_EMAIL = 'ops@example.com';

export function synthesize(
  stage: 'dev' | 'prod',
  context: Record<string, unknown> = {},
  fns?: readonly FunctionDeclaration[],
): Synthesized {
  const built = buildApp({
    stage,
    context: { ...NO_BUNDLING, ...context },
    ...(fns ? { functions: fns } : {}),
  });
  try {
    // Throws on any unacknowledged cdk-nag finding.
    const template = built.app.synth().getStackByName(built.stack.stackName).template as {
      Resources: Record<string, Resource>;
      Outputs: Record<string, { Value: unknown }>;
    };
    return { ...built, resources: template.Resources, outputs: template.Outputs };
  } finally {
    rmSync(built.app.outdir, { recursive: true, force: true });
  }
}

export const logicalIdOf = (stack: Stack, element: unknown): string => {
  if (!element) throw new Error('construct has no CloudFormation resource');
  return stack.resolve((element as CfnElement).logicalId) as string;
};
export const actionsOf = (st: Statement) => [st.Action].flat();
export const resourcesOf = (st: Statement) => [st.Resource].flat();
export const ref = (id: string) => ({ Ref: id });
export const functionId = (s: Synthesized, name: string) =>
  logicalIdOf(s.stack, s.stack.functions.get(name)?.node.defaultChild);
export const executionRoleId = (s: Synthesized, name: string) =>
  logicalIdOf(s.stack, s.stack.functions.get(name)?.executionRole.node.defaultChild);

/** The statements of every IAM policy attached to the role with this logical id. */
export const statementsOfRole = (s: Synthesized, roleId: string): Statement[] =>
  Object.values(s.resources)
    .filter(
      (r) =>
        r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles) === JSON.stringify([ref(roleId)]),
    )
    .flatMap((r) => r.Properties.PolicyDocument?.Statement ?? []);
export const allPolicies = (s: Synthesized) =>
  Object.values(s.resources).filter((r) => r.Type === 'AWS::IAM::Policy');
/** JSON with object keys sorted, so that equal values compare equal whatever their key order. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
export const sortedJson = (values: readonly unknown[]) => values.map(canonical).sort();
export const scheduled = functions.filter((f) => (f.schedules ?? []).length > 0);
export const declaredRules = scheduled.flatMap((f) =>
  (f.schedules ?? []).map((rule) => [f.name, rule] as const),
);

/** Synthesizes dev and prod (prod with an alarm e-mail) once before the calling test file's tests. */
export function synthesizedOncePerFile(): (stage: 'dev' | 'prod') => Synthesized {
  const stages: Partial<Record<'dev' | 'prod', Synthesized>> = {};
  beforeAll(() => {
    stages.dev = synthesize('dev');
    stages.prod = synthesize('prod', { alarmEmail: ALARM_EMAIL });
  });
  afterAll(() => {
    for (const key of Object.keys(stages)) delete stages[key as 'dev' | 'prod'];
  });
  return (stage) => {
    const s = stages[stage];
    if (!s) throw new Error(`${stage} was not synthesized`);
    return s;
  };
}
