/**
 * The stack of one stage: tables, functions, stream triggers (with their on-failure queues and
 * alarms), the alerts topic, the schedules and the HTTP API, all derived from the topology
 * (infra/topology.ts) so that nothing here names a table, a function, a route or a grant by hand.
 */
import { Annotations, CfnOutput, RemovalPolicy, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { TableKey } from '../shared/store/tables.js';
import { RESOURCE_SERVER_OUTPUT, USER_POOL_ID_OUTPUT } from './config/identity-outputs.js';
import { PLACEHOLDER_ISSUER, type StageConfig } from './config/stages.js';
import { AlertsTopic } from './constructs/alerts-topic.js';
import { QuotaHttpApi } from './constructs/http-api.js';
import { QuotaIdentity, RESOURCE_SERVER_IDENTIFIER } from './constructs/identity.js';
import { OperationsAlarms } from './constructs/operations-alarms.js';
import { QuotaFunction } from './constructs/quota-function.js';
import { ScheduledJob, scheduleFailureQueueOutputId } from './constructs/scheduled-job.js';
import { failureQueueOutputId, StreamConsumer } from './constructs/stream-consumer.js';
import { DataTables } from './constructs/tables.js';
import {
  type FunctionDeclaration,
  functions as topologyFunctions,
  tables as topologyTables,
} from './topology.js';

export interface QuotaCampaignStackProps extends StackProps {
  readonly config: StageConfig;
  /** The functions to deploy; the real topology unless a test passes its own. */
  readonly functions?: readonly FunctionDeclaration[];
}

/** Stack name (and construct id) of a stage: `QuotaCampaign-dev`, `QuotaCampaign-prod`. */
export const stackNameOf = (stage: string) => `QuotaCampaign-${stage}`;

/** Output id holding the physical name of a table: `CampaignTableName`. The CLI reads these for `--stage`. */
export const tableOutputId = (logicalName: string) => `${logicalName}TableName`;
export const API_URL_OUTPUT = 'ApiUrl';
/** The export of ApiUrl that the dashboard's stack imports. */
export const apiUrlExportName = (stage: string) => `${stackNameOf(stage)}-ApiUrl`;
/** ARN of the alerts topic; the recipients CLI (`--stage`) reads it (infra/local/cli/recipients.ts). */
export const ALERTS_TOPIC_OUTPUT = 'AlertsTopicArn';

export const ISSUER_OUTPUT = 'TokenIssuer';
export const DASHBOARD_CLIENT_OUTPUT = 'DashboardClientId';
export const SIGN_IN_DOMAIN_OUTPUT = 'SignInDomain';
/** Exports of the sign-in settings that the dashboard's stack imports for its config.json. */
export const identityExportName = (stage: string, output: string) => `${stackNameOf(stage)}-${output}`;

export class QuotaCampaignStack extends Stack {
  readonly config: StageConfig;
  readonly tables: DataTables<TableKey>;
  readonly functions: ReadonlyMap<string, QuotaFunction>;
  /** One per topology function with a `stream`, by function name. */
  readonly streamConsumers: ReadonlyMap<string, StreamConsumer>;
  readonly operationsAlarms: OperationsAlarms;
  /** The leaders' alerts topic: only when some topology function declares `alerts`. */
  readonly alerts: AlertsTopic | undefined;
  /** One per topology function with `schedules`, by function name. */
  readonly scheduledJobs: ReadonlyMap<string, ScheduledJob>;
  readonly httpApi: QuotaHttpApi;
  /** The user pool and its clients (stage setting `identity: cognito`). */
  readonly identity: QuotaIdentity | undefined;

  constructor(scope: Construct, id: string, props: QuotaCampaignStackProps) {
    super(scope, id, {
      terminationProtection: props.config.stage === 'prod',
      description: `Quota campaign backend (${props.config.stage})`,
      ...props,
    });
    const { config } = props;
    this.config = config;
    const removalPolicy = config.removalPolicy === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    Tags.of(this).add('project', 'quota-campaign');
    Tags.of(this).add('stage', config.stage);

    if (config.identity === 'external' && config.jwt.issuer === PLACEHOLDER_ISSUER) {
      Annotations.of(this).addWarningV2(
        'quota-campaign:placeholderJwtIssuer',
        `jwt.issuer is the placeholder ${PLACEHOLDER_ISSUER}: no real token will pass the authorizer. Set yours in cdk.json context "stageConfig.${config.stage}.jwt" (issuer and audience) or with -c jwtIssuer=... -c jwtAudience=...`,
      );
    }

    this.tables = new DataTables(this, 'Tables', { definitions: topologyTables, removalPolicy });

    // With identity: external the user pool, its trigger and the registry's functions are not deployed.
    const declarations = (props.functions ?? topologyFunctions).filter(
      (d) => config.identity === 'cognito' || d.identity === undefined,
    );
    const built = new Map<string, QuotaFunction>();
    for (const declaration of declarations) {
      built.set(
        declaration.name,
        new QuotaFunction(this, declaration.name, {
          declaration,
          tables: this.tables.byKey,
          logRetention: config.logRetentionDays,
          logRemovalPolicy: removalPolicy,
          logLevel: config.logLevel,
        }),
      );
    }
    this.functions = built;
    // Links in alerts: the stage's dashboardUrl (the dashboard's deployed URL when it is set there).
    for (const declaration of declarations) {
      if (declaration.dashboardLinks && config.dashboardUrl)
        built.get(declaration.name)?.addEnvironment('DASHBOARD_URL', config.dashboardUrl);
    }

    this.operationsAlarms = new OperationsAlarms(this, 'OperationsAlarms', {
      ...(config.alarmEmail ? { alarmEmail: config.alarmEmail } : {}),
      displayName: `Quota campaign ${config.stage} alarms`,
    });
    const consumers = new Map<string, StreamConsumer>();
    for (const declaration of declarations) {
      const fn = built.get(declaration.name);
      if (!declaration.stream || !fn) continue;
      const consumer = new StreamConsumer(this, `${declaration.name}Stream`, {
        fn,
        trigger: declaration.stream,
        table: this.tables.byKey[declaration.stream.table],
        alarms: config.alarms,
        removalPolicy,
      });
      for (const alarm of consumer.alarms) this.operationsAlarms.watch(alarm);
      consumers.set(declaration.name, consumer);
    }
    this.streamConsumers = consumers;

    // The alerts topic exists when some function uses it; each such function gets the topic ARN
    // and the grants of its declared access together (AlertsTopic.bind).
    const alerting = declarations.filter((d) => d.alerts !== undefined);
    this.alerts =
      alerting.length > 0
        ? new AlertsTopic(this, 'Alerts', { smsSpendAlarmUsd: config.smsSpendAlarmUsd })
        : undefined;
    for (const declaration of alerting) {
      const fn = built.get(declaration.name);
      if (this.alerts && fn && declaration.alerts) this.alerts.bind(fn, declaration.alerts);
    }
    if (this.alerts) this.operationsAlarms.watch(this.alerts.smsSpendAlarm);

    const jobs = new Map<string, ScheduledJob>();
    for (const declaration of declarations) {
      const fn = built.get(declaration.name);
      if (!declaration.schedules || declaration.schedules.length === 0 || !fn) continue;
      const job = new ScheduledJob(this, `${declaration.name}Schedules`, {
        fn,
        rules: declaration.schedules.map((name) => [name, config.schedules[name]] as const),
        removalPolicy,
      });
      this.operationsAlarms.watch(job.failureQueueAlarm);
      jobs.set(declaration.name, job);
    }
    this.scheduledJobs = jobs;

    const trigger = declarations.find((d) => d.identity === 'preTokenTrigger');
    const triggerFn = trigger ? built.get(trigger.name) : undefined;
    this.identity =
      config.identity === 'cognito' && triggerFn
        ? new QuotaIdentity(this, 'Identity', {
            stage: config.stage,
            dev: config.stage !== 'prod',
            ...(config.dashboardUrl && { dashboardUrl: config.dashboardUrl }),
            domainPrefix: config.identityDomainPrefix ?? `quota-campaign-${config.stage}-${this.account}`,
            removalPolicy,
            trigger: triggerFn,
            managers: declarations
              .filter((d) => d.identity === 'manage')
              .map((d) => built.get(d.name))
              .filter((fn) => fn !== undefined),
          })
        : undefined;
    // The authorizer trusts the pool: Cognito access tokens carry `client_id` (no `aud`), which the
    // authorizer compares with the audience list.
    const jwt = this.identity
      ? {
          issuer: this.identity.issuer,
          audience: [this.identity.dashboardClient.userPoolClientId, ...config.machineClientAudience],
        }
      : config.jwt;

    this.httpApi = new QuotaHttpApi(this, 'Http', {
      apiName: `quota-campaign-${config.stage}`,
      functions: declarations,
      handlerOf: (declaration) => {
        const fn = built.get(declaration.name);
        if (!fn) throw new Error(`No function built for ${declaration.name}`);
        return fn;
      },
      jwt,
      throttle: config.throttle,
      routeThrottle: config.routeThrottle,
      logRetention: config.logRetentionDays,
      logRemovalPolicy: removalPolicy,
    });

    new CfnOutput(this, API_URL_OUTPUT, {
      value: this.httpApi.url,
      // The dashboard's stack (infra/dashboard-stack.ts) imports it for config.json and its CSP.
      exportName: apiUrlExportName(config.stage),
      description: 'Invoke URL of the HTTP API ($default stage)',
    });
    for (const key of Object.keys(topologyTables) as TableKey[]) {
      const definition = topologyTables[key];
      new CfnOutput(this, tableOutputId(definition.logicalName), {
        value: this.tables.byKey[key].tableName,
        description: `Physical name of the ${definition.logicalName} table (${definition.envVar})`,
      });
    }
    for (const [name, consumer] of consumers) {
      new CfnOutput(this, failureQueueOutputId(name), {
        value: consumer.failureQueue.queueUrl,
        description: `On-failure queue of ${name}: stream batches it gave up on and poison records it set aside`,
      });
    }
    if (this.identity) {
      new CfnOutput(this, USER_POOL_ID_OUTPUT, {
        value: this.identity.userPool.userPoolId,
        description: 'Cognito user pool of the stage (npm run users/clients -- --stage read it)',
      });
      new CfnOutput(this, RESOURCE_SERVER_OUTPUT, {
        value: RESOURCE_SERVER_IDENTIFIER,
        description: 'Identifier of the API resource server (scopes <identifier>/intake:write …)',
      });
      new CfnOutput(this, ISSUER_OUTPUT, {
        value: this.identity.issuer,
        exportName: identityExportName(config.stage, ISSUER_OUTPUT),
        description: 'Token issuer (discovery at <issuer>/.well-known/openid-configuration)',
      });
      new CfnOutput(this, DASHBOARD_CLIENT_OUTPUT, {
        value: this.identity.dashboardClient.userPoolClientId,
        exportName: identityExportName(config.stage, DASHBOARD_CLIENT_OUTPUT),
        description: "The dashboard's app client id (authorization code with PKCE)",
      });
      new CfnOutput(this, SIGN_IN_DOMAIN_OUTPUT, {
        value: this.identity.domain.baseUrl(),
        exportName: identityExportName(config.stage, SIGN_IN_DOMAIN_OUTPUT),
        description: 'Managed login domain: /oauth2/authorize, /oauth2/token, /logout',
      });
    }
    if (this.alerts) {
      new CfnOutput(this, ALERTS_TOPIC_OUTPUT, {
        value: this.alerts.topic.topicArn,
        description: "Leaders' alerts topic (SNS): the recipients registry subscribes leaders to it",
      });
    }
    for (const [name, job] of jobs) {
      new CfnOutput(this, scheduleFailureQueueOutputId(name), {
        value: job.failureQueue.queueUrl,
        description: `Scheduled runs of ${name} that did not happen (undeliverable, or failed every retry)`,
      });
    }
  }
}
