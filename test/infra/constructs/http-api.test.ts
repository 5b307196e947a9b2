/**
 * The HTTP API (infra/constructs/http-api.ts): routes from the topology, the JWT authorizer, throttling,
 * and the Progress routes.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../../infra/app.js';
import { routeKeyOf } from '../../../infra/constructs/http-api.js';
import { functions } from '../../../infra/topology.js';
import {
  DYNAMODB_WRITES,
  dynamoGrantsOf,
  executionRoleId,
  functionId,
  logicalIdOf,
  NO_BUNDLING,
  PROD_CONTEXT,
  type Synthesized,
  statementsOfRole,
  streamGrantsOf,
  synthesizedStages,
  type TemplateResource,
  tableLogicalId,
} from '../../support/stack-synth.js';

const synthesized = synthesizedStages({ bundling: false });

describe('QuotaCampaignStack', () => {
  describe('Progress (GET progress, children, daily)', () => {
    const progress = functions.find((f) => f.name === 'Progress');
    const routeKeys = (progress?.routes ?? []).map(routeKeyOf);

    it('is declared with its three GET routes behind the JWT authorizer and read on Campaign', () => {
      // Arrange / Act / Assert
      const scopes = ['progress:read'];
      expect(progress?.routes).toEqual([
        { method: 'GET', path: '/v1/campaigns/{campaignId}/units/{unitId}/progress', auth: 'jwt', scopes },
        { method: 'GET', path: '/v1/campaigns/{campaignId}/units/{unitId}/children', auth: 'jwt', scopes },
        { method: 'GET', path: '/v1/campaigns/{campaignId}/units/{unitId}/daily', auth: 'jwt', scopes },
      ]);
      expect(progress?.tables).toEqual({ campaign: 'read' });
      expect(progress?.stream).toBeUndefined();
    });

    it.each(['dev', 'prod'] as const)(
      'in %s: each route exists once, JWT-authorized, integrated with the Progress function',
      (stage) => {
        // Arrange
        const s = synthesized(stage);
        const authorizerId = Object.keys(s.template.findResources('AWS::ApiGatewayV2::Authorizer'))[0];
        const fnId = functionId(s, 'Progress');

        // Act
        const routes = routeKeys.map((routeKey) =>
          Object.values(
            s.template.findResources('AWS::ApiGatewayV2::Route', { Properties: { RouteKey: routeKey } }),
          ),
        );

        // Assert
        expect(routeKeys).toHaveLength(3);
        for (const found of routes) {
          expect(found).toHaveLength(1);
          const props = (found[0] as TemplateResource).Properties;
          expect(props.AuthorizationType).toBe('JWT');
          expect(props.AuthorizerId).toEqual({ Ref: authorizerId });
          const integrationId = JSON.stringify(props.Target).match(/"Ref":"([^"]+)"/)?.[1] ?? '';
          const integration = s.template.toJSON().Resources[integrationId];
          expect(JSON.stringify(integration?.Properties.IntegrationUri)).toContain(fnId);
        }
      },
    );

    it.each(['dev', 'prod'] as const)(
      'in %s: read-only on Campaign, nothing on IntakeEvents or its stream, nothing else but its logs',
      (stage) => {
        // Arrange
        const s = synthesized(stage);

        // Act
        const granted = dynamoGrantsOf(s, 'Progress');
        const campaign = granted.get(tableLogicalId(s, 'campaign'))?.actions ?? new Set<string>();
        const { streams, onAnyResource } = streamGrantsOf(s, 'Progress');
        const actions = statementsOfRole(s, executionRoleId(s, 'Progress')).flatMap((st) =>
          [st.Action].flat(),
        );

        // Assert
        expect([...granted.keys()]).toEqual([tableLogicalId(s, 'campaign')]);
        for (const read of ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:BatchGetItem']) {
          expect(campaign.has(read)).toBe(true);
        }
        for (const write of DYNAMODB_WRITES) expect(campaign.has(write)).toBe(false);
        expect(streams.size).toBe(0);
        expect(onAnyResource.size).toBe(0);
        expect(actions.filter((a) => !a.startsWith('dynamodb:') && !a.startsWith('logs:'))).toEqual([]);
      },
    );
  });

  describe('HTTP API', () => {
    const expectedRoutes = functions.flatMap((f) =>
      f.routes.map((r) => ({
        routeKey: routeKeyOf(r),
        auth: r.auth,
        scopes: r.auth === 'jwt' ? [...r.scopes] : undefined,
        fn: f.name,
      })),
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
        scopes: r.Properties.AuthorizationScopes as unknown,
      }));

      // Assert
      expect(routes.map((r) => r.routeKey).sort()).toEqual(expectedRoutes.map((r) => r.routeKey).sort());
      for (const expected of expectedRoutes) {
        const route = routes.find((r) => r.routeKey === expected.routeKey);
        if (expected.auth === 'jwt') {
          // Every JWT route names its scopes: a token without one of them (an ID token) is refused.
          expect(expected.scopes?.length).toBeGreaterThan(0);
          expect(route).toEqual({
            ...route,
            authorizationType: 'JWT',
            authorizerId: { Ref: authorizerId },
            scopes: expected.scopes,
          });
        } else {
          expect(route).toEqual({
            ...route,
            authorizationType: 'NONE',
            authorizerId: undefined,
            scopes: undefined,
          });
        }
      }
    });

    it.each(expectedRoutes.map((r) => [r.routeKey, r.fn] as const))(
      '%s is integrated with %s',
      (routeKey, fnName) => {
        // Arrange
        const s = synthesized('dev');
        const fnId = functionId(s, fnName);
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
      "in %s: the JWT authorizer trusts the stage's user pool (identity: cognito, the default)",
      (stage) => {
        // Arrange
        const s = synthesized(stage);
        const poolId = logicalIdOf(s.stack, s.stack.identity?.userPool.node.defaultChild);
        const clientId = logicalIdOf(s.stack, s.stack.identity?.dashboardClient.node.defaultChild);

        // Act / Assert
        s.template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
        s.template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
          AuthorizerType: 'JWT',
          IdentitySource: ['$request.header.Authorization'],
          JwtConfiguration: {
            Issuer: {
              'Fn::Join': [
                '',
                ['https://cognito-idp.', { Ref: 'AWS::Region' }, '.amazonaws.com/', { Ref: poolId }],
              ],
            },
            Audience: [{ Ref: clientId }],
          },
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
        const logGroupId = logicalIdOf(s.stack, s.stack.httpApi.accessLogGroup.node.defaultChild);

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
        ...NO_BUNDLING,
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
});
