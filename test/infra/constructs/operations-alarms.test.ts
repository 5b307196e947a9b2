/**
 * The operations alarms (infra/constructs/operations-alarms.ts) and their topic, per stage.
 */
import { describe, expect, it } from 'vitest';
import { functions } from '../../../infra/topology.js';
import {
  alertingFunctions,
  alertsTopicId,
  functionId,
  operationsTopicId,
  PROD_ALARM_EMAIL,
  PROD_ITERATOR_AGE_SECONDS,
  type Synthesized,
  scheduledFunctions,
  streamQueueId,
  synthesizedStages,
  type TemplateResource,
} from '../../support/stack-synth.js';

const synthesized = synthesizedStages({ bundling: false });

describe('QuotaCampaignStack', () => {
  describe('alarms', () => {
    const alarmsOf = (s: Synthesized) =>
      Object.values(s.template.findResources('AWS::CloudWatch::Alarm')) as TemplateResource[];
    /** The roll-up's alarm on this metric (schedule failure queues have their own, in scheduled-job.test.ts). */
    const alarmOn = (s: Synthesized, metricName: string) => {
      const rollupDimension = (a: TemplateResource) =>
        JSON.stringify(a.Properties.Dimensions).includes(functionId(s, 'Rollup')) ||
        JSON.stringify(a.Properties.Dimensions).includes(queueId(s));
      const found = alarmsOf(s).filter((a) => a.Properties.MetricName === metricName && rollupDimension(a));
      expect(found).toHaveLength(1);
      return (found[0] as TemplateResource).Properties;
    };
    const queueId = (s: Synthesized) => streamQueueId(s, 'Rollup');

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

    /** The roll-up's three alarms: what each test says, its metric, and the properties it must have. */
    const ROLLUP_ALARMS: readonly {
      says: string;
      metric: string;
      expected: (s: Synthesized) => Record<string, unknown>;
    }[] = [
      {
        says: "Rollup's IteratorAge (Maximum per minute) above the stage threshold, minutes in a row",
        metric: 'IteratorAge',
        expected: (s) => ({
          Namespace: 'AWS/Lambda',
          Dimensions: [{ Name: 'FunctionName', Value: { Ref: functionId(s, 'Rollup') } }],
          Statistic: 'Maximum',
          Period: 60,
          Threshold: s.config.alarms.iteratorAgeSeconds * 1000, // IteratorAge is in milliseconds
          ComparisonOperator: 'GreaterThanThreshold',
          EvaluationPeriods: s.config.alarms.iteratorAgeMinutes,
          DatapointsToAlarm: s.config.alarms.iteratorAgeMinutes,
          TreatMissingData: 'notBreaching',
        }),
      },
      {
        says: "the on-failure queue's ApproximateNumberOfMessagesVisible > 0",
        metric: 'ApproximateNumberOfMessagesVisible',
        expected: (s) => ({
          Namespace: 'AWS/SQS',
          Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId(s), 'QueueName'] } }],
          Statistic: 'Maximum',
          Period: 60,
          Threshold: 0,
          ComparisonOperator: 'GreaterThanThreshold',
          EvaluationPeriods: 1,
        }),
      },
      {
        says: "Rollup's Errors (Sum over 5 minutes) at the stage threshold",
        metric: 'Errors',
        expected: (s) => ({
          Namespace: 'AWS/Lambda',
          Dimensions: [{ Name: 'FunctionName', Value: { Ref: functionId(s, 'Rollup') } }],
          Statistic: 'Sum',
          Period: 300,
          Threshold: s.config.alarms.errorsPer5Minutes,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          EvaluationPeriods: 1,
        }),
      },
    ];

    it.each(
      ROLLUP_ALARMS.flatMap((alarm) => (['dev', 'prod'] as const).map((stage) => ({ stage, ...alarm }))),
    )('in $stage: $says', ({ stage, metric, expected }) => {
      // Arrange
      const s = synthesized(stage);

      // Act
      const props = alarmOn(s, metric);

      // Assert
      expect(props).toMatchObject(expected(s));
    });

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
});
