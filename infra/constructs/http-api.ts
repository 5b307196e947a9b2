/**
 * The HTTP API: one route per topology route, a JWT authorizer for `auth: 'jwt'` routes,
 * and a `$default` stage with throttling (a default for every route, plus per-route overrides)
 * and JSON access logs.
 */
import type { RemovalPolicy } from 'aws-cdk-lib';
import { Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  type CfnStage,
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  type HttpRoute,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { FunctionDeclaration, HttpMethod as TopologyMethod } from '../topology.js';

export interface QuotaHttpApiProps {
  readonly apiName: string;
  /** The functions and their routes; `handlerOf` gives the deployed function of each. */
  readonly functions: readonly FunctionDeclaration[];
  readonly handlerOf: (declaration: FunctionDeclaration) => IFunction;
  readonly jwt: { readonly issuer: string; readonly audience: readonly string[] };
  /** Default throttling of every route of the `$default` stage. */
  readonly throttle: Throttle;
  /** Per-route overrides by route key (`POST /v1/intake-events`); each must be a declared route. */
  readonly routeThrottle?: Readonly<Record<string, Throttle>>;
  readonly logRetention: RetentionDays;
  readonly logRemovalPolicy: RemovalPolicy;
}

export interface Throttle {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

/** `POST /v1/intake-events`: the key API Gateway gives a route (and uses in RouteSettings). */
export const routeKeyOf = (route: { readonly method: string; readonly path: string }) =>
  `${route.method} ${route.path}`;

const METHODS: Readonly<Record<TopologyMethod, HttpMethod>> = {
  GET: HttpMethod.GET,
  POST: HttpMethod.POST,
  PUT: HttpMethod.PUT,
  DELETE: HttpMethod.DELETE,
};

/**
 * One JSON object per request. Field names follow the local gateway's log lines where they
 * overlap; `sub` is the caller's JWT subject (empty on public routes).
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging-variables.html
 */
export const ACCESS_LOG_FIELDS: Readonly<Record<string, string>> = {
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  httpMethod: '$context.httpMethod',
  routeKey: '$context.routeKey',
  path: '$context.path',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  latency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  integrationStatus: '$context.integrationStatus',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
  sub: '$context.authorizer.claims.sub',
  userAgent: '$context.identity.userAgent',
};

export class QuotaHttpApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogGroup: LogGroup;

  constructor(scope: Construct, id: string, props: QuotaHttpApiProps) {
    super(scope, id);

    // CORS stays off: the callers are server-side apps and the CLI, not browsers on another origin.
    this.api = new HttpApi(this, 'Api', {
      apiName: props.apiName,
      description: 'Quota campaign API v1',
      createDefaultStage: false,
    });

    this.accessLogGroup = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: props.logRemovalPolicy,
    });
    // Created by hand (not `createDefaultStage`) because only an explicit stage takes access-log settings.
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.throttle.rateLimit, burstLimit: props.throttle.burstLimit },
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogGroup),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });

    const jwtAuthorizer = new HttpJwtAuthorizer('JwtAuthorizer', props.jwt.issuer, {
      jwtAudience: [...props.jwt.audience],
    });

    const routesByKey = new Map<string, HttpRoute>();
    for (const fn of props.functions) {
      if (fn.routes.length === 0) continue;
      const integration = new HttpLambdaIntegration(`${fn.name}Integration`, props.handlerOf(fn));
      for (const route of fn.routes) {
        const [created] = this.api.addRoutes({
          path: route.path,
          methods: [METHODS[route.method]],
          integration,
          authorizer: route.auth === 'jwt' ? jwtAuthorizer : new HttpNoneAuthorizer(),
          // A token without one of the route's scopes (an ID token, a reader on an admin route) is
          // refused by API Gateway itself; the local gateway checks the same (infra/local/gateway.ts).
          ...(route.auth === 'jwt' && { authorizationScopes: [...route.scopes] }),
        });
        if (created) routesByKey.set(routeKeyOf(route), created);
        if (route.auth === 'none' && created) {
          Validations.of(created.node.defaultChild ?? created).acknowledge({
            id: 'AwsSolutions-APIG4',
            reason: `${route.method} ${route.path} is public by design (auth: 'none' in infra/topology.ts): ${fn.description}. ${
              Object.keys(fn.tables).length === 0 ? 'Its function has no table access. ' : ''
            }Stage throttling still applies.`,
          });
        }
      }
    }

    this.applyRouteThrottle(props.routeThrottle ?? {}, routesByKey);
  }

  /**
   * Per-route throttling: `RouteSettings` of the stage (the L2 `HttpStage` only sets the default).
   * A key that names no route fails the synth here, naming the routes that exist, instead of
   * failing the deployment ("Unable to find Route by key"). The stage depends on each route it
   * names: CloudFormation rejects RouteSettings for a route that does not exist yet.
   */
  private applyRouteThrottle(
    routeThrottle: Readonly<Record<string, Throttle>>,
    routesByKey: ReadonlyMap<string, HttpRoute>,
  ): void {
    const entries = Object.entries(routeThrottle);
    if (entries.length === 0) return;
    const unknown = entries.map(([key]) => key).filter((key) => !routesByKey.has(key));
    if (unknown.length > 0) {
      throw new Error(
        `routeThrottle names routes that infra/topology.ts does not declare: ${unknown.join(', ')}. Declared routes: ${[...routesByKey.keys()].join(', ')}.`,
      );
    }
    const cfnStage = this.stage.node.defaultChild as CfnStage;
    // A JSON-typed property: CDK passes it through as is, so the keys are CloudFormation's.
    cfnStage.routeSettings = Object.fromEntries(
      entries.map(([key, t]) => [
        key,
        { ThrottlingRateLimit: t.rateLimit, ThrottlingBurstLimit: t.burstLimit },
      ]),
    );
    for (const [key] of entries) {
      const route = routesByKey.get(key);
      if (route) this.stage.node.addDependency(route);
    }
  }

  /** The invoke URL of the `$default` stage, ending with '/'. */
  get url(): string {
    return this.stage.url;
  }
}
