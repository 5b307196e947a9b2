/**
 * The alerts topic, its publishers and subscribers, the SMS spend alarm and the scheduled jobs,
 * synthesized by `buildApp` as `cdk synth` does (cdk.json context, cdk-nag included) from the real
 * topology. Bundling is skipped (`aws:cdk:bundling-stacks: []`): these tests read IAM, SNS,
 * Scheduler, SQS and CloudWatch resources, not function code (stack.test.ts bundles every function).
 */
import { rmSync } from 'node:fs';
import type { CfnElement, Stack } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuiltApp, buildApp } from '../../infra/app.js';
import { DEFAULT_SCHEDULES, type ScheduleName } from '../../infra/config/schedules.js';
import { StageConfigError } from '../../infra/config/stages.js';
import { ALERTS_TOPIC_OUTPUT as CLI_ALERTS_TOPIC_OUTPUT } from '../../infra/local/cli/recipients.js';
import { ALERTS_TOPIC_OUTPUT } from '../../infra/stack.js';
import { type FunctionDeclaration, functions } from '../../infra/topology.js';

interface Resource {
  Type: string;
  Properties: Record<string, unknown> & {
    PolicyDocument?: { Statement: Statement[] };
    Roles?: unknown[];
  };
  DependsOn?: string[];
  Metadata?: { cdk_nag?: { rules_to_suppress: { id: string; reason: string }[] } };
}
interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Principal?: unknown;
  Condition?: unknown;
}
interface Synthesized extends BuiltApp {
  readonly resources: Record<string, Resource>;
  readonly outputs: Record<string, { Value: unknown }>;
}

const NO_BUNDLING = { 'aws:cdk:bundling-stacks': [] };
const ALARM_EMAIL = 'ops@example.com';

function synthesize(
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

const logicalIdOf = (stack: Stack, element: unknown): string => {
  if (!element) throw new Error('construct has no CloudFormation resource');
  return stack.resolve((element as CfnElement).logicalId) as string;
};
const actionsOf = (st: Statement) => [st.Action].flat();
const resourcesOf = (st: Statement) => [st.Resource].flat();
const ref = (id: string) => ({ Ref: id });
const arnOf = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });

const alertsTopicId = (s: Synthesized) => logicalIdOf(s.stack, s.stack.alerts?.topic.node.defaultChild);
const functionId = (s: Synthesized, name: string) =>
  logicalIdOf(s.stack, s.stack.functions.get(name)?.node.defaultChild);
const executionRoleId = (s: Synthesized, name: string) =>
  logicalIdOf(s.stack, s.stack.functions.get(name)?.executionRole.node.defaultChild);

/** The statements of every IAM policy attached to the role with this logical id. */
const statementsOfRole = (s: Synthesized, roleId: string): Statement[] =>
  Object.values(s.resources)
    .filter(
      (r) =>
        r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles) === JSON.stringify([ref(roleId)]),
    )
    .flatMap((r) => r.Properties.PolicyDocument?.Statement ?? []);
const allPolicies = (s: Synthesized) =>
  Object.values(s.resources).filter((r) => r.Type === 'AWS::IAM::Policy');
const snsStatementsOf = (s: Synthesized, name: string) =>
  statementsOfRole(s, executionRoleId(s, name)).filter((st) =>
    actionsOf(st).some((a) => a.startsWith('sns:')),
  );
const envOf = (s: Synthesized, name: string): Record<string, unknown> => {
  const environment = s.resources[functionId(s, name)]?.Properties.Environment as
    | { Variables: Record<string, unknown> }
    | undefined;
  if (!environment) throw new Error(`${name} has no environment`);
  return environment.Variables;
};
/** JSON with object keys sorted, so that equal values compare equal whatever their key order. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
const sortedJson = (values: readonly unknown[]) => values.map(canonical).sort();

const publishers = functions.filter((f) => f.alerts === 'publish');
const subscribers = functions.filter((f) => f.alerts === 'subscribe');
const scheduled = functions.filter((f) => (f.schedules ?? []).length > 0);
const declaredRules = scheduled.flatMap((f) => (f.schedules ?? []).map((rule) => [f.name, rule] as const));

const stages: Partial<Record<'dev' | 'prod', Synthesized>> = {};
const synthesized = (stage: 'dev' | 'prod'): Synthesized => {
  const s = stages[stage];
  if (!s) throw new Error(`${stage} was not synthesized`);
  return s;
};

beforeAll(() => {
  stages.dev = synthesize('dev');
  stages.prod = synthesize('prod', { alarmEmail: ALARM_EMAIL });
});

afterAll(() => {
  for (const key of Object.keys(stages)) delete stages[key as 'dev' | 'prod'];
});

describe('the topology these tests rely on', () => {
  it('has a publisher, a subscriber and a scheduled function, so the checks below check something', () => {
    // Arrange
    const byName = new Map(functions.map((f) => [f.name, f]));

    // Act / Assert
    expect(byName.get('Risk')?.alerts).toBe('publish');
    expect(byName.get('Risk')?.schedules).toEqual(['riskHourly', 'riskDaily']);
    expect(byName.get('Recipients')?.alerts).toBe('subscribe');
    expect(byName.get('Silences')?.alerts).toBeUndefined();
    expect(publishers.length).toBeGreaterThan(0);
    expect(subscribers.length).toBeGreaterThan(0);
    expect(declaredRules.length).toBeGreaterThan(0);
  });
});

describe.each(['dev', 'prod'] as const)('alerts topic in %s', (stage) => {
  it('is one topic, encrypted with KMS (AWS-managed aws/sns), without a display name (SNS would prefix every SMS with it)', () => {
    // Arrange
    const s = synthesized(stage);
    const operationsTopic = s.stack.operationsAlarms.topic;
    const expectedTopics = operationsTopic ? 2 : 1;

    // Act
    const topics = Object.entries(s.resources).filter(([, r]) => r.Type === 'AWS::SNS::Topic');
    const alerts = s.resources[alertsTopicId(s)];

    // Assert
    expect(topics).toHaveLength(expectedTopics);
    expect(alerts?.Type).toBe('AWS::SNS::Topic');
    expect(alerts?.Properties.KmsMasterKeyId).toBe('alias/aws/sns');
    // A display name becomes "NAME> " in front of every SMS: a 160-character message would need two segments.
    expect(alerts?.Properties.DisplayName).toBeUndefined();
    expect(alerts?.Properties.TopicName).toBeUndefined();
  });

  it('refuses a Publish without TLS (aws:SecureTransport) and opens nothing to anyone', () => {
    // Arrange
    const s = synthesized(stage);
    const topicId = alertsTopicId(s);

    // Act
    const policies = Object.values(s.resources).filter(
      (r) =>
        r.Type === 'AWS::SNS::TopicPolicy' &&
        JSON.stringify(r.Properties.Topics) === JSON.stringify([ref(topicId)]),
    );
    const statements = policies.flatMap((p) => p.Properties.PolicyDocument?.Statement ?? []);

    // Assert
    expect(policies).toHaveLength(1);
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Principal: '*',
        Action: 'sns:Publish',
        Resource: ref(topicId),
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
    expect(statements.filter((st) => st.Effect === 'Allow')).toEqual([]);
  });

  it('no IAM statement holds an SNS wildcard or any KMS action (aws/sns needs no key grant)', () => {
    // Arrange
    const s = synthesized(stage);

    // Act
    const actions = allPolicies(s).flatMap((p) =>
      (p.Properties.PolicyDocument?.Statement ?? []).flatMap(actionsOf),
    );

    // Assert
    expect(actions.filter((a) => a.startsWith('sns:') && a.includes('*'))).toEqual([]);
    expect(actions).not.toContain('*');
    expect(actions.filter((a) => a.startsWith('kms:'))).toEqual([]);
  });

  it('only the publishers may Publish, each on the alerts topic alone', () => {
    // Arrange
    const s = synthesized(stage);
    const publisherRoles = publishers.map((f) => executionRoleId(s, f.name));

    // Act
    const withPublish = allPolicies(s).flatMap((p) =>
      (p.Properties.PolicyDocument?.Statement ?? [])
        .filter((st) => actionsOf(st).includes('sns:Publish'))
        .map((st) => ({ roles: p.Properties.Roles, resources: resourcesOf(st) })),
    );

    // Assert
    expect(sortedJson(withPublish.map((w) => w.roles))).toEqual(
      sortedJson(publisherRoles.map((id) => [ref(id)])),
    );
    for (const w of withPublish) expect(w.resources).toEqual([ref(alertsTopicId(s))]);
  });

  it.each(functions.map((f) => [f.name, f.alerts ?? 'none'] as const))(
    '%s (alerts: %s) has ALERTS_TOPIC_ARN exactly when it declares alerts',
    (name, access) => {
      // Arrange
      const s = synthesized(stage);

      // Act
      const env = envOf(s, name);

      // Assert
      if (access === 'none') expect(env.ALERTS_TOPIC_ARN).toBeUndefined();
      else expect(env.ALERTS_TOPIC_ARN).toEqual(ref(alertsTopicId(s)));
    },
  );

  it.each(functions.filter((f) => !f.alerts).map((f) => f.name))('%s holds no SNS permission', (name) => {
    // Arrange
    const s = synthesized(stage);

    // Act / Assert
    expect(snsStatementsOf(s, name)).toEqual([]);
  });

  it('Risk gets ALERTS_TOPIC_ARN and sns:Publish on that topic, nothing else on SNS', () => {
    // Arrange
    const s = synthesized(stage);
    const topicId = alertsTopicId(s);

    // Act
    const sns = snsStatementsOf(s, 'Risk');

    // Assert
    expect(envOf(s, 'Risk').ALERTS_TOPIC_ARN).toEqual(ref(topicId));
    expect(sns).toEqual([{ Effect: 'Allow', Action: 'sns:Publish', Resource: ref(topicId) }]);
  });

  it('Recipients may Subscribe to the topic and manage its subscriptions, never Publish', () => {
    // Arrange
    const s = synthesized(stage);
    const topicId = alertsTopicId(s);
    const subscriptions = { 'Fn::Join': ['', [ref(topicId), ':*']] };

    // Act
    const sns = snsStatementsOf(s, 'Recipients');
    const granted = sns.flatMap((st) =>
      actionsOf(st).map((action) => ({ action, resources: resourcesOf(st) })),
    );

    // Assert
    expect(envOf(s, 'Recipients').ALERTS_TOPIC_ARN).toEqual(ref(topicId));
    expect(granted.map((g) => g.action).sort()).toEqual([
      'sns:GetSubscriptionAttributes',
      'sns:SetSubscriptionAttributes',
      'sns:Subscribe',
      'sns:Unsubscribe',
    ]);
    for (const g of granted) {
      expect(g.resources.length).toBeGreaterThan(0);
      if (g.action === 'sns:Subscribe') expect(g.resources).toEqual([ref(topicId)]);
      else expect(sortedJson(g.resources)).toEqual(sortedJson([ref(topicId), subscriptions]));
    }
    expect(sns.every((st) => st.Effect === 'Allow')).toBe(true);
  });

  it("acknowledges IAM5 for <topic ARN>:* on each subscriber's policy only", () => {
    // Arrange
    const s = synthesized(stage);
    const rule = `AwsSolutions-IAM5[Resource::<${alertsTopicId(s)}>:*]`;

    // Act
    const acknowledgedOn = allPolicies(s)
      .filter((p) => (p.Metadata?.cdk_nag?.rules_to_suppress ?? []).some((a) => a.id === rule))
      .map((p) => p.Properties.Roles);

    // Assert
    expect(sortedJson(acknowledgedOn)).toEqual(
      sortedJson(subscribers.map((f) => [ref(executionRoleId(s, f.name))])),
    );
  });

  it('outputs AlertsTopicArn, the output the recipients CLI reads', () => {
    // Arrange
    const s = synthesized(stage);

    // Act
    const output = s.outputs[ALERTS_TOPIC_OUTPUT];

    // Assert
    expect(ALERTS_TOPIC_OUTPUT).toBe('AlertsTopicArn');
    expect(CLI_ALERTS_TOPIC_OUTPUT).toBe(ALERTS_TOPIC_OUTPUT);
    expect(output?.Value).toEqual(ref(alertsTopicId(s)));
  });
});

describe('without any alerts in the topology', () => {
  it('builds no alerts topic, no spend alarm and no AlertsTopicArn output', () => {
    // Arrange
    const quiet = functions.map(({ alerts: _alerts, ...f }) => f);

    // Act
    const s = synthesize('dev', {}, quiet);

    // Assert
    expect(s.stack.alerts).toBeUndefined();
    expect(Object.values(s.resources).filter((r) => r.Type === 'AWS::SNS::Topic')).toEqual([]);
    expect(s.outputs[ALERTS_TOPIC_OUTPUT]).toBeUndefined();
    const metrics = Object.values(s.resources)
      .filter((r) => r.Type === 'AWS::CloudWatch::Alarm')
      .map((r) => r.Properties.MetricName);
    expect(metrics).not.toContain('SMSMonthToDateSpentUSD');
  });
});

describe('SMS spend alarm', () => {
  const spendAlarm = (s: Synthesized) => {
    const found = Object.values(s.resources).filter(
      (r) => r.Type === 'AWS::CloudWatch::Alarm' && r.Properties.MetricName === 'SMSMonthToDateSpentUSD',
    );
    expect(found).toHaveLength(1);
    return (found[0] as Resource).Properties;
  };

  it.each([
    ['dev', 50],
    ['prod', 500],
  ] as const)(
    'in %s: AWS/SNS SMSMonthToDateSpentUSD (Maximum, 5 min, account-wide) above %i USD',
    (stage, usd) => {
      // Arrange
      const s = synthesized(stage);

      // Act
      const props = spendAlarm(s);

      // Assert
      expect(s.config.smsSpendAlarmUsd).toBe(usd);
      expect(props).toMatchObject({
        Namespace: 'AWS/SNS',
        MetricName: 'SMSMonthToDateSpentUSD',
        Statistic: 'Maximum',
        Period: 300,
        Threshold: usd,
        ComparisonOperator: 'GreaterThanThreshold',
        EvaluationPeriods: 1,
        TreatMissingData: 'ignore',
      });
      expect(props.Dimensions).toBeUndefined();
    },
  );

  it('notifies the operations alarm topic when there is one (prod with alarmEmail), nobody in dev', () => {
    // Arrange
    const dev = synthesized('dev');
    const prod = synthesized('prod');
    const opsTopicId = logicalIdOf(prod.stack, prod.stack.operationsAlarms.topic?.node.defaultChild);

    // Act
    const devProps = spendAlarm(dev);
    const prodProps = spendAlarm(prod);

    // Assert
    expect(devProps.AlarmActions).toBeUndefined();
    expect(prodProps.AlarmActions).toEqual([ref(opsTopicId)]);
    expect(prodProps.OKActions).toEqual([ref(opsTopicId)]);
  });

  it('takes its threshold from -c smsSpendAlarmUsd and refuses a non-positive one', () => {
    // Arrange / Act
    const s = synthesize('dev', { smsSpendAlarmUsd: '120' });
    const refused = () => buildApp({ stage: 'dev', context: { ...NO_BUNDLING, smsSpendAlarmUsd: '0' } });

    // Assert
    expect(spendAlarm(s).Threshold).toBe(120);
    expect(refused).toThrow(StageConfigError);
    expect(refused).toThrow(/smsSpendAlarmUsd: must be a positive number of US dollars/);
  });
});

describe.each(['dev', 'prod'] as const)('schedules in %s', (stage) => {
  const scheduleId = (s: Synthesized, fn: string, rule: ScheduleName) =>
    logicalIdOf(s.stack, s.stack.scheduledJobs.get(fn)?.schedules.get(rule)?.node.defaultChild);
  const jobPart = (s: Synthesized, fn: string, part: 'role' | 'failureQueue') => {
    const job = s.stack.scheduledJobs.get(fn);
    if (!job) throw new Error(`no scheduled job for ${fn}`);
    return logicalIdOf(s.stack, job[part].node.defaultChild);
  };

  it('has exactly one schedule per declared (function, rule)', () => {
    // Arrange
    const s = synthesized(stage);

    // Act
    const ids = Object.entries(s.resources)
      .filter(([, r]) => r.Type === 'AWS::Scheduler::Schedule')
      .map(([id]) => id);

    // Assert
    expect(ids.sort()).toEqual(declaredRules.map(([fn, rule]) => scheduleId(s, fn, rule)).sort());
    expect([...s.stack.scheduledJobs.keys()].sort()).toEqual(scheduled.map((f) => f.name).sort());
  });

  it.each(declaredRules)(
    '%s on %s: the rule’s expression in Asia/Ho_Chi_Minh, ENABLED, no flexible window, input {}',
    (fn, rule) => {
      // Arrange
      const s = synthesized(stage);

      // Act
      const props = s.resources[scheduleId(s, fn, rule)]?.Properties as Record<string, unknown>;

      // Assert
      expect(s.config.schedules[rule]).toEqual(DEFAULT_SCHEDULES[rule]);
      expect(props.ScheduleExpression).toBe(DEFAULT_SCHEDULES[rule].expression);
      expect(props.ScheduleExpressionTimezone).toBe('Asia/Ho_Chi_Minh');
      expect(props.State).toBe('ENABLED');
      expect(props.FlexibleTimeWindow).toEqual({ Mode: 'OFF' });
      expect(props.GroupName).toBeUndefined(); // the default group, which the role's trust names
      expect(props.Target).toEqual({
        Arn: arnOf(functionId(s, fn)),
        RoleArn: arnOf(jobPart(s, fn, 'role')),
        Input: '{}',
        RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 },
        DeadLetterConfig: { Arn: arnOf(jobPart(s, fn, 'failureQueue')) },
      });
    },
  );

  it.each(scheduled.map((f) => f.name))(
    "%s's schedule role: assumed by EventBridge Scheduler for this account only, invokes that function only",
    (fn) => {
      // Arrange
      const s = synthesized(stage);
      const roleId = jobPart(s, fn, 'role');

      // Act
      const role = s.resources[roleId]?.Properties as {
        AssumeRolePolicyDocument: { Statement: Statement[] };
        ManagedPolicyArns?: unknown;
        Policies?: unknown;
      };
      const statements = statementsOfRole(s, roleId);

      // Assert
      expect(role.ManagedPolicyArns).toBeUndefined();
      expect(role.Policies).toBeUndefined();
      expect(role.AssumeRolePolicyDocument.Statement).toEqual([
        {
          Effect: 'Allow',
          Action: 'sts:AssumeRole',
          Principal: { Service: 'scheduler.amazonaws.com' },
          Condition: {
            StringEquals: {
              'aws:SourceAccount': ref('AWS::AccountId'),
              'aws:SourceArn': expect.objectContaining({
                'Fn::Join': ['', expect.arrayContaining([':schedule-group/default'])],
              }),
            },
          },
        },
      ]);
      expect(sortedJson(statements)).toEqual(
        sortedJson([
          { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: arnOf(functionId(s, fn)) },
          { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: arnOf(jobPart(s, fn, 'failureQueue')) },
        ]),
      );
    },
  );

  it('nothing else may invoke a function: every lambda:InvokeFunction is a schedule role on its own function', () => {
    // Arrange
    const s = synthesized(stage);
    const expected = scheduled.map((f) => ({
      roles: [ref(jobPart(s, f.name, 'role'))],
      resources: [arnOf(functionId(s, f.name))],
    }));

    // Act
    const invokes = allPolicies(s).flatMap((p) =>
      (p.Properties.PolicyDocument?.Statement ?? [])
        .filter((st) => actionsOf(st).some((a) => a.startsWith('lambda:')))
        .map((st) => ({ roles: p.Properties.Roles, resources: resourcesOf(st) })),
    );

    // Assert
    expect(sortedJson(invokes)).toEqual(sortedJson(expected));
  });

  it.each(scheduled.map((f) => f.name))(
    '%s: a failed run is retried twice within an hour by Lambda, then recorded on the failure queue (alarmed)',
    (fn) => {
      // Arrange
      const s = synthesized(stage);
      const queueId = jobPart(s, fn, 'failureQueue');

      // Act
      const configs = Object.values(s.resources).filter(
        (r) =>
          r.Type === 'AWS::Lambda::EventInvokeConfig' &&
          JSON.stringify(r.Properties.FunctionName) === JSON.stringify(ref(functionId(s, fn))),
      );
      const queue = s.resources[queueId]?.Properties;
      const alarms = Object.values(s.resources).filter(
        (r) =>
          r.Type === 'AWS::CloudWatch::Alarm' &&
          JSON.stringify(r.Properties.Dimensions) ===
            JSON.stringify([{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }]),
      );

      // Assert
      expect(configs.map((c) => c.Properties)).toEqual([
        {
          FunctionName: ref(functionId(s, fn)),
          Qualifier: '$LATEST',
          MaximumRetryAttempts: 2,
          MaximumEventAgeInSeconds: 3600,
          DestinationConfig: { OnFailure: { Destination: arnOf(queueId) } },
        },
      ]);
      expect(queue).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
      expect(statementsOfRole(s, executionRoleId(s, fn))).toContainEqual({
        Effect: 'Allow',
        Action: 'sqs:SendMessage',
        Resource: arnOf(queueId),
      });
      expect(alarms.map((a) => a.Properties)).toEqual([
        expect.objectContaining({
          MetricName: 'ApproximateNumberOfMessagesVisible',
          Threshold: 0,
          ComparisonOperator: 'GreaterThanThreshold',
        }),
      ]);
    },
  );
});

describe('schedule overrides in stage config', () => {
  it('honours an overridden expression and time zone, rule by rule, keeping the rest from schedules.ts', () => {
    // Arrange
    const context = {
      stageConfig: {
        dev: {
          schedules: {
            riskHourly: { expression: 'cron(30 7-21 ? * MON-SAT *)' },
            riskDaily: { timeZone: 'Asia/Bangkok' },
          },
        },
      },
    };

    // Act
    const s = synthesize('dev', context);
    const schedule = (rule: ScheduleName) =>
      s.resources[
        logicalIdOf(s.stack, s.stack.scheduledJobs.get('Risk')?.schedules.get(rule)?.node.defaultChild)
      ]?.Properties;

    // Assert
    expect(schedule('riskHourly')).toMatchObject({
      ScheduleExpression: 'cron(30 7-21 ? * MON-SAT *)',
      ScheduleExpressionTimezone: DEFAULT_SCHEDULES.riskHourly.timeZone,
    });
    expect(schedule('riskDaily')).toMatchObject({
      ScheduleExpression: DEFAULT_SCHEDULES.riskDaily.expression,
      ScheduleExpressionTimezone: 'Asia/Bangkok',
    });
  });

  it.each([
    [
      { riskHourly: { expression: '0 * * * *' } },
      /schedules\.riskHourly\.expression: must be an EventBridge schedule/,
    ],
    [
      { riskHourly: { expression: 'cron(0 8 * * MON *)' } },
      /schedules\.riskHourly\.expression: cron: exactly one of/,
    ],
    [
      { riskDaily: { timeZone: 'Mars/Olympus_Mons' } },
      /schedules\.riskDaily\.timeZone: must be an IANA time zone/,
    ],
    [{ riskHourlyy: { expression: 'cron(0 8 * * ? *)' } }, /schedules: Unrecognized key: "riskHourlyy"/],
  ])('refuses the synth on %j, naming the field', (schedules, message) => {
    // Arrange
    const context = { ...NO_BUNDLING, stageConfig: { dev: { schedules } } };

    // Act
    const act = () => buildApp({ stage: 'dev', context });

    // Assert
    expect(act).toThrow(StageConfigError);
    expect(act).toThrow(message);
  });
});
