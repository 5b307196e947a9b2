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
import { routeKeyOf } from '../../infra/constructs/http-api.js';
import { METRICS_NAMESPACE } from '../../infra/constructs/quota-function.js';
import { API_URL_OUTPUT, tableOutputId } from '../../infra/stack.js';
import { type FunctionDeclaration, functions, type TableAccess, tables } from '../../infra/topology.js';
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

/**
 * The DynamoDB actions a function's role holds, by table logical id. Each resource must be a
 * table ARN or `<table ARN>/index/*`; anything else throws (an unexpected resource is a failure).
 */
const dynamoGrantsOf = (s: Synthesized, functionName: string) => {
  const fn = s.stack.functions.get(functionName);
  if (!fn) throw new Error(`no function ${functionName}`);
  const roleId = logicalIdOf(s.stack, fn.executionRole.node.defaultChild as CfnElement);
  const statements = Object.values(
    s.template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } }),
  )
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[])
    .filter((st) => [st.Action].flat().some((a) => a.startsWith('dynamodb:')));
  const granted = new Map<string, { actions: Set<string>; resources: string[] }>();
  for (const st of statements) {
    expect(st.Effect).toBe('Allow');
    for (const resource of [st.Resource].flat()) {
      const text = JSON.stringify(resource);
      const tableId =
        text.match(/^\{"Fn::GetAtt":\["([^"]+)","Arn"\]\}$/)?.[1] ??
        text.match(/^\{"Fn::Join":\["",\[\{"Fn::GetAtt":\["([^"]+)","Arn"\]\},"\/index\/\*"\]\]\}$/)?.[1];
      if (!tableId) throw new Error(`unexpected resource ${text}`);
      const entry = granted.get(tableId) ?? { actions: new Set<string>(), resources: [] };
      for (const a of [st.Action].flat()) entry.actions.add(a);
      entry.resources.push(text);
      granted.set(tableId, entry);
    }
  }
  return granted;
};

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
        expect(props.Environment.Variables).toMatchObject({
          NODE_OPTIONS: '--enable-source-maps',
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
          const { actions } = granted.get(tableLogicalId(s, key)) ?? { actions: new Set<string>() };
          if (access === 'put') {
            expect([...actions]).toEqual(['dynamodb:PutItem']);
            continue;
          }
          expect(actions.has('dynamodb:GetItem')).toBe(true);
          expect(actions.has('dynamodb:Query')).toBe(true);
          for (const write of ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem']) {
            expect(actions.has(write)).toBe(access === 'readWrite');
          }
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
        expect(intake?.tables).toEqual({ campaign: 'read', intakeEvents: 'put' });
        expect(intake?.routes).toEqual([{ method: 'POST', path: '/v1/intake-events', auth: 'jwt' }]);
      });

      it.each(['dev', 'prod'] as const)(
        'in %s: may only PutItem on IntakeEvents, on the table ARN alone (no read, update, delete, index)',
        (stage) => {
          // Arrange
          const s = synthesized(stage);
          const intakeEventsId = tableLogicalId(s, 'intakeEvents');

          // Act
          const grant = dynamoGrantsOf(s, 'Intake').get(intakeEventsId);

          // Assert
          expect(grant && [...grant.actions]).toEqual(['dynamodb:PutItem']);
          expect(grant?.resources).toEqual([JSON.stringify({ 'Fn::GetAtt': [intakeEventsId, 'Arn'] })]);
          for (const forbidden of [
            'dynamodb:GetItem',
            'dynamodb:BatchGetItem',
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

  describe('HTTP API', () => {
    const expectedRoutes = functions.flatMap((f) =>
      f.routes.map((r) => ({ routeKey: routeKeyOf(r), auth: r.auth, fn: f.name })),
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
        expect(outputs.IntakeEventsTableName?.Value).toEqual({ Ref: tableLogicalId(s, 'intakeEvents') });
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
        // IAM5 only where a wildcard exists: read/readWrite grants on a table with GSIs (index/*).
        ...functions.flatMap((f) =>
          (Object.entries(f.tables) as [TableKey, TableAccess][])
            .filter(([key, access]) => access !== 'put' && tables[key].globalIndexes.length > 0)
            .map(([key]) => ({
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
      // Each IAM5 acknowledgement names a wildcard resource that this very policy really has.
      for (const ack of acknowledged.filter((a) => a.rule.startsWith('AwsSolutions-IAM5'))) {
        const tableId = ack.rule.match(/^AwsSolutions-IAM5\[Resource::<([^.]+)\.Arn>\/index\/\*\]$/)?.[1];
        const policy = resources[ack.logicalId]?.Properties as
          | { PolicyDocument?: { Statement: Statement[] } }
          | undefined;
        const statements = policy?.PolicyDocument?.Statement ?? [];
        const wildcard = { 'Fn::Join': ['', [{ 'Fn::GetAtt': [tableId, 'Arn'] }, '/index/*']] };
        expect(statements.flatMap((st) => [st.Resource].flat())).toContainEqual(wildcard);
      }
    });

    it('acknowledges IAM5 where the wildcard is, not by table: put on an indexed table, read on an index-less one', () => {
      // Arrange: a throwaway topology that crosses the cases the real one does not (yet) have.
      const throwaway: FunctionDeclaration[] = [
        {
          name: 'PutOnIndexed',
          entry: 'functions/openapi.ts',
          description: 'test only: put on the Campaign table, which has a GSI',
          // Carries the route that the stage config throttles per route.
          routes: [{ method: 'POST', path: '/v1/intake-events', auth: 'jwt' }],
          tables: { campaign: 'put' },
          memoryMb: 128,
          timeoutSeconds: 3,
        },
        {
          name: 'ReadIndexless',
          entry: 'functions/openapi.ts',
          description: 'test only: read on the IntakeEvents table, which has no GSI',
          routes: [],
          tables: { intakeEvents: 'read' },
          memoryMb: 128,
          timeoutSeconds: 3,
        },
      ];
      expect(tables.campaign.globalIndexes.length).toBeGreaterThan(0);
      expect(tables.intakeEvents.globalIndexes).toEqual([]);
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
