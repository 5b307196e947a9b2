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
import { API_URL_OUTPUT, tableOutputId } from '../../infra/stack.js';
import { functions, tables } from '../../infra/topology.js';
import { BY_COLLECTION_INDEX, type TableKey } from '../../shared/store/tables.js';

interface TemplateResource {
  Type: string;
  Properties: Record<string, unknown>;
  Metadata?: { cdk_nag?: { rules_to_suppress: { id: string; reason: string }[] } };
}

interface Synthesized extends BuiltApp {
  readonly template: Template;
  readonly assembly: CloudAssembly;
}

/** Context as `-c` would pass it: proves the values flow from context into the template. */
const PROD_CONTEXT = {
  jwtIssuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Prod123',
  jwtAudience: 'client-web, client-cli',
  throttleRateLimit: '250',
  throttleBurstLimit: '400',
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

describe('QuotaCampaignStack', () => {
  describe('stack identity', () => {
    it.each(['dev', 'prod'] as const)('%s is one stack named QuotaCampaign-<stage>', (stage) => {
      // Arrange
      const s = synthesized(stage);

      // Act
      const stackNames = s.assembly.stacks.map((st) => st.stackName);

      // Assert
      expect(stackNames).toEqual([`QuotaCampaign-${stage}`]);
    });

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
        expect(props.Environment.Variables).toMatchObject({
          NODE_OPTIONS: '--enable-source-maps',
          POWERTOOLS_SERVICE_NAME: 'quota-campaign',
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

      it('is granted exactly its declared tables, with writes only where declared readWrite', () => {
        // Arrange
        const s = synthesized('dev');
        const roleId = logicalIdOf(s.stack, lambdaOf(s).executionRole.node.defaultChild as CfnElement);
        const policies = Object.values(
          s.template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } }),
        );

        // Act
        const dynamoStatements = policies
          .flatMap(
            (p) =>
              p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
          )
          .filter((st) => [st.Action].flat().some((a) => a.startsWith('dynamodb:')));
        const granted = new Map<string, Set<string>>();
        for (const st of dynamoStatements) {
          for (const resource of [st.Resource].flat()) {
            const tableId = JSON.stringify(resource).match(/"Fn::GetAtt":\["([^"]+)","Arn"\]/)?.[1];
            if (!tableId) throw new Error(`unexpected resource ${JSON.stringify(resource)}`);
            const actions = granted.get(tableId) ?? new Set<string>();
            for (const a of [st.Action].flat()) actions.add(a);
            granted.set(tableId, actions);
          }
        }

        // Assert
        const declared = Object.entries(declaration.tables) as [TableKey, 'read' | 'readWrite'][];
        expect([...granted.keys()].sort()).toEqual(declared.map(([key]) => tableLogicalId(s, key)).sort());
        for (const [key, access] of declared) {
          const actions = granted.get(tableLogicalId(s, key)) ?? new Set();
          expect(actions.has('dynamodb:Query')).toBe(true);
          expect(actions.has('dynamodb:PutItem')).toBe(access === 'readWrite');
          expect(actions.has('dynamodb:DeleteItem')).toBe(access === 'readWrite');
        }
      });
    });

    it('uses no AWS managed policy and no wildcard beyond a table index path', () => {
      // Arrange
      const s = synthesized('dev');

      // Act
      const roles = Object.values(s.template.findResources('AWS::IAM::Role'));
      const resources = Object.values(s.template.findResources('AWS::IAM::Policy')).flatMap((p) =>
        (p.Properties.PolicyDocument.Statement as { Resource: unknown }[]).flatMap((st) =>
          [st.Resource].flat(),
        ),
      );

      // Assert
      for (const role of roles) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
      for (const resource of resources) {
        const text = JSON.stringify(resource);
        if (text.includes('*')) expect(text).toMatch(/"Arn"\]\},"\/index\/\*"\]\]\}$/);
      }
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

  describe('HTTP API', () => {
    const expectedRoutes = functions.flatMap((f) =>
      f.routes.map((r) => ({ routeKey: `${r.method} ${r.path}`, auth: r.auth, fn: f.name })),
    );

    it('has exactly the topology routes, JWT-authorized or public as declared', () => {
      // Arrange
      const s = synthesized('dev');
      const authorizerId = Object.keys(s.template.findResources('AWS::ApiGatewayV2::Authorizer'))[0];

      // Act
      const routes = Object.values(s.template.findResources('AWS::ApiGatewayV2::Route')).map((r) => ({
        routeKey: r.Properties.RouteKey as string,
        authorizationType: r.Properties.AuthorizationType as string,
        authorizerId: r.Properties.AuthorizerId as unknown,
      }));

      // Assert
      expect(routes.map((r) => r.routeKey).sort()).toEqual(expectedRoutes.map((r) => r.routeKey).sort());
      for (const expected of expectedRoutes) {
        const route = routes.find((r) => r.routeKey === expected.routeKey);
        if (expected.auth === 'jwt') {
          expect(route).toEqual({ ...route, authorizationType: 'JWT', authorizerId: { Ref: authorizerId } });
        } else {
          expect(route).toEqual({ ...route, authorizationType: 'NONE', authorizerId: undefined });
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
      'in %s: the JWT authorizer uses the stage issuer and audience',
      (stage) => {
        // Arrange
        const s = synthesized(stage);

        // Act / Assert
        s.template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
        s.template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
          AuthorizerType: 'JWT',
          IdentitySource: ['$request.header.Authorization'],
          JwtConfiguration: { Issuer: s.config.jwt.issuer, Audience: [...s.config.jwt.audience] },
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
      '%s exports ApiUrl and one <LogicalName>TableName per table',
      (stage) => {
        // Arrange
        const s = synthesized(stage);

        // Act
        const outputs = s.template.toJSON().Outputs as Record<string, { Value: unknown }>;

        // Assert
        const expectedIds = [
          API_URL_OUTPUT,
          ...Object.values(tables).map((t) => tableOutputId(t.logicalName)),
        ];
        expect(Object.keys(outputs).sort()).toEqual(expectedIds.sort());
        expect(outputs.CampaignTableName?.Value).toEqual({ Ref: tableLogicalId(s, 'campaign') });
        expect(JSON.stringify(outputs.ApiUrl?.Value)).toContain('.execute-api.');
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

    it('acknowledges only the expected rules, each on the one resource it concerns, each with a reason', () => {
      // Arrange
      const s = synthesized('dev');
      const resources = s.template.toJSON().Resources as Record<string, TemplateResource>;
      const expected = [
        ...functions.map(() => ({ type: 'AWS::Lambda::Function', rule: 'AwsSolutions-L1' })),
        ...functions.flatMap((f) =>
          (Object.keys(f.tables) as TableKey[])
            .filter((key) => tables[key].globalIndexes.length > 0)
            .map((key) => ({
              type: 'AWS::IAM::Policy',
              rule: `AwsSolutions-IAM5[Resource::<${tableLogicalId(s, key)}.Arn>/index/*]`,
            })),
        ),
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
      const order = (a: { type: string; rule: string }, b: { type: string; rule: string }) =>
        `${a.type}${a.rule}`.localeCompare(`${b.type}${b.rule}`);
      expect(acknowledged.map(({ type, rule }) => ({ type, rule })).sort(order)).toEqual(
        expected.sort(order),
      );
      for (const ack of acknowledged) expect(ack.reason.length).toBeGreaterThan(60);
      for (const ack of acknowledged.filter((a) => a.rule === 'AwsSolutions-APIG4')) {
        expect(resources[ack.logicalId]?.Properties.AuthorizationType).toBe('NONE');
      }
    });
  });
});
