/**
 * The scheduled jobs (infra/constructs/scheduled-job.ts) and their schedules of infra/config/schedules.ts,
 * synthesized by `buildApp` as `cdk synth` does (cdk.json context, cdk-nag included) from the real
 * topology, without bundling (see test/support/stack-synth.ts).
 */
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../../infra/app.js';
import { DEFAULT_SCHEDULES, type ScheduleName } from '../../../infra/config/schedules.js';
import { StageConfigError } from '../../../infra/config/stages.js';
import {
  actionsOf,
  allPolicies,
  declaredRules,
  executionRoleId,
  functionId,
  logicalIdOf,
  NO_BUNDLING,
  ref,
  resourcesOf,
  type Statement,
  type Synthesized,
  scheduledFunctions,
  scheduleQueueId,
  sortedJson,
  statementsOfRole,
  synthesize,
  synthesizedStages,
} from '../../support/stack-synth.js';

const arnOf = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });

const synthesized = synthesizedStages({ bundling: false });

describe.each(['dev', 'prod'] as const)('schedules in %s', (stage) => {
  const scheduleId = (s: Synthesized, fn: string, rule: ScheduleName) =>
    logicalIdOf(s.stack, s.stack.scheduledJobs.get(fn)?.schedules.get(rule)?.node.defaultChild);
  const scheduleRoleId = (s: Synthesized, fn: string) =>
    logicalIdOf(s.stack, s.stack.scheduledJobs.get(fn)?.role.node.defaultChild);

  it('has exactly one schedule per declared (function, rule)', () => {
    // Arrange
    const s = synthesized(stage);

    // Act
    const ids = Object.entries(s.resources)
      .filter(([, r]) => r.Type === 'AWS::Scheduler::Schedule')
      .map(([id]) => id);

    // Assert
    expect(ids.sort()).toEqual(declaredRules.map(([fn, rule]) => scheduleId(s, fn, rule)).sort());
    expect([...s.stack.scheduledJobs.keys()].sort()).toEqual(scheduledFunctions.map((f) => f.name).sort());
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
        RoleArn: arnOf(scheduleRoleId(s, fn)),
        Input: '{}',
        RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 },
        DeadLetterConfig: { Arn: arnOf(scheduleQueueId(s, fn)) },
      });
    },
  );

  it.each(scheduledFunctions.map((f) => f.name))(
    "%s's schedule role: assumed by EventBridge Scheduler for this account only, invokes that function only",
    (fn) => {
      // Arrange
      const s = synthesized(stage);
      const roleId = scheduleRoleId(s, fn);

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
          { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: arnOf(scheduleQueueId(s, fn)) },
        ]),
      );
    },
  );

  it('nothing else may invoke a function: every lambda:InvokeFunction is a schedule role on its own function', () => {
    // Arrange
    const s = synthesized(stage);
    const expected = scheduledFunctions.map((f) => ({
      roles: [ref(scheduleRoleId(s, f.name))],
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

  it.each(scheduledFunctions.map((f) => f.name))(
    '%s: a failed run is retried twice within an hour by Lambda, then recorded on the failure queue (alarmed)',
    (fn) => {
      // Arrange
      const s = synthesized(stage);
      const queueId = scheduleQueueId(s, fn);

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
    const s = synthesize('dev', { context });
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
