/**
 * The synthesized stack as a whole, built by `buildApp` exactly as `cdk synth` builds it (cdk.json
 * context, feature flags and cdk-nag included, functions bundled): its identity per stage, its outputs,
 * and cdk-nag's AwsSolutions report. Each construct's own tests are in test/infra/constructs/.
 */

import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SUBSCRIPTION_ACTIONS } from '../../infra/constructs/alerts-topic.js';
import { scheduleFailureQueueOutputId } from '../../infra/constructs/scheduled-job.js';
import { failureQueueOutputId } from '../../infra/constructs/stream-consumer.js';
import { ALERTS_TOPIC_OUTPUT, API_URL_OUTPUT, tableOutputId } from '../../infra/stack.js';
import {
  actionsOf,
  type FunctionDeclaration,
  functions,
  type TableAccess,
  tables,
} from '../../infra/topology.js';
import type { TableKey } from '../../shared/store/tables.js';
import {
  alertingFunctions,
  alertsTopicId,
  allPolicies,
  PROD_ALARM_EMAIL,
  type Statement,
  type Synthesized,
  scheduledFunctions,
  scheduleQueueId,
  streamQueueId,
  subscribingFunctions,
  synthesize,
  synthesizedStages,
  tableLogicalId,
} from '../support/stack-synth.js';

const synthesized = synthesizedStages({ bundling: true });

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

  describe('outputs', () => {
    it.each(['dev', 'prod'] as const)(
      '%s exports ApiUrl, one <LogicalName>TableName per table, one <Function>FailureQueueUrl per stream function, AlertsTopicArn and one <Function>ScheduleFailureQueueUrl per scheduled function',
      (stage) => {
        // Arrange
        const s = synthesized(stage);

        // Act
        const outputs = s.outputs;

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
          Ref: streamQueueId(s, 'Rollup'),
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
        const resources = s.resources;
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
          const statements = resources[ack.logicalId]?.Properties.PolicyDocument?.Statement ?? [];
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

      // Act: cdk-nag runs in synth and throws on any unacknowledged finding.
      const s = synthesize('dev', { functions: throwaway, bundling: true });
      const policies = allPolicies(s);
      const dynamo = policies
        .flatMap(
          (p) => (p.Properties as { PolicyDocument: { Statement: Statement[] } }).PolicyDocument.Statement,
        )
        .filter((st) => [st.Action].flat().some((a) => a.startsWith('dynamodb:')));
      const campaignId = tableLogicalId(s, 'campaign');

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
