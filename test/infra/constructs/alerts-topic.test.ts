/**
 * The alerts topic (infra/constructs/alerts-topic.ts), its publishers and subscribers and the SMS spend
 * alarm, synthesized by `buildApp` as `cdk synth` does (cdk.json context, cdk-nag included) from the real
 * topology, without bundling (see test/support/stack-synth.ts).
 */
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../../infra/app.js';
import { StageConfigError } from '../../../infra/config/stages.js';
import { ALERTS_TOPIC_OUTPUT as CLI_ALERTS_TOPIC_OUTPUT } from '../../../infra/local/cli/recipients.js';
import { ALERTS_TOPIC_OUTPUT } from '../../../infra/stack.js';
import { functions } from '../../../infra/topology.js';
import {
  actionsOf,
  alertsTopicId,
  allPolicies,
  declaredRules,
  executionRoleId,
  functionId,
  NO_BUNDLING,
  operationsTopicId,
  ref,
  resourcesOf,
  type Synthesized,
  sortedJson,
  statementsOfRole,
  subscribingFunctions,
  synthesize,
  synthesizedStages,
  type TemplateResource,
} from '../../support/stack-synth.js';

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

const publishers = functions.filter((f) => f.alerts === 'publish');

const synthesized = synthesizedStages({ bundling: false });

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
    expect(subscribingFunctions.length).toBeGreaterThan(0);
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
      sortedJson(subscribingFunctions.map((f) => [ref(executionRoleId(s, f.name))])),
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
    const s = synthesize('dev', { functions: quiet });

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
    return (found[0] as TemplateResource).Properties;
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
    const opsTopicId = operationsTopicId(prod);

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
    const s = synthesize('dev', { context: { smsSpendAlarmUsd: '120' } });
    const refused = () => buildApp({ stage: 'dev', context: { ...NO_BUNDLING, smsSpendAlarmUsd: '0' } });

    // Assert
    expect(spendAlarm(s).Threshold).toBe(120);
    expect(refused).toThrow(StageConfigError);
    expect(refused).toThrow(/smsSpendAlarmUsd: must be a positive number of US dollars/);
  });
});
