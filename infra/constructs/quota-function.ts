/**
 * The house Lambda function: every function of the topology is one of these, so runtime,
 * architecture, bundling, logging and table access are decided once, here.
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { CfnTable, ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { TableKey } from '../../shared/store/tables.js';
import {
  actionsOf,
  type FunctionDeclaration,
  type TableAccess,
  tableEnvironment,
  tables,
} from '../topology.js';

/** The repository root: topology entries are relative to it, and it holds package-lock.json. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Service name for Powertools (logger, metrics): one service, many functions. */
export const SERVICE_NAME = 'quota-campaign';

/**
 * CloudWatch namespace of the Powertools metrics (`POWERTOOLS_METRICS_NAMESPACE`). Metrics leave
 * the function as EMF lines in its log group, so they need no `cloudwatch:PutMetricData` grant.
 */
export const METRICS_NAMESPACE = 'QuotaCampaign';

export interface QuotaFunctionProps {
  /** The topology entry: entry file, description, memory, timeout, tables and their access. */
  readonly declaration: FunctionDeclaration;
  /** The stack's tables, by topology key; only those the declaration names are bound. */
  readonly tables: Readonly<Record<TableKey, ITable>>;
  /** Retention of the function's log group (stage config). */
  readonly logRetention: RetentionDays;
  /** What happens to the log group when the stack is deleted (stage config). */
  readonly logRemovalPolicy: RemovalPolicy;
  /** LOG_LEVEL for the Powertools logger (stage config). */
  readonly logLevel: string;
}

/**
 * A `NodejsFunction` with the house defaults:
 *
 * - **Runtime Node.js 22** on **ARM64** (Graviton: cheaper per GB-second, same code). 22 rather
 *   than 24 because the code is developed and tested on Node 20 here (TOOLCHAIN.md); 22 is the
 *   nearest Lambda runtime and is supported until 2027.
 * - **Local esbuild bundling** (`esbuild` is a devDependency; Docker is never used), ESM output,
 *   minified. **Source maps are written into the asset but not enabled at start** (no
 *   `NODE_OPTIONS=--enable-source-maps`): enabling them cost a third more cold-start time, which
 *   Lambda bills (bench: coldstart rows). They are used on the error path only: the house logger
 *   (shared/observability/logger.ts) maps a logged error's stack back to the TypeScript sources with
 *   the `index.mjs.map` beside the code, read the first time an error is logged. An uncaught crash
 *   outside the logger still names minified positions: resolve them with that map (downloadable
 *   with the function), or set `NODE_OPTIONS=--enable-source-maps` on the function while investigating.
 *   Cold start also keeps module loading to what runs: zod schemas are built at first use
 *   (shared/schemas/lazy.ts), the logger and metrics constructed at first use (shared/util/lazy.ts).
 * - **`bundleAwsSDK: true`**: the SDK clients we tested against (pinned in package-lock.json)
 *   are the ones that run. The SDK inside the Lambda runtime changes without notice and will
 *   eventually differ from the locally tested version, and `@aws-sdk/lib-dynamodb` must match
 *   `@aws-sdk/client-dynamodb` exactly. The price is a larger bundle (a few hundred KB, tree-shaken).
 * - An **explicit log group** per function with the stage's retention and removal policy, and
 *   an explicit role whose only logging permission is writing to that group (no
 *   `AWSLambdaBasicExecutionRole`, which would allow creating any log group in the account).
 * - **Memory and timeout** from the topology declaration.
 * - **Environment**: `POWERTOOLS_SERVICE_NAME`, `POWERTOOLS_METRICS_NAMESPACE`,
 *   `LOG_LEVEL`, and one variable per declared table, set by `bindTables` together with the
 *   matching IAM grant. Powertools Metrics writes EMF to stdout, which CloudWatch Logs turns into
 *   metrics: the log-group write permission above is all it needs.
 */
export class QuotaFunction extends NodejsFunction {
  readonly declaration: FunctionDeclaration;
  readonly functionLogGroup: LogGroup;
  readonly executionRole: Role;

  constructor(scope: Construct, id: string, props: QuotaFunctionProps) {
    const { declaration } = props;
    const logGroup = new LogGroup(scope, `${id}LogGroup`, {
      retention: props.logRetention,
      removalPolicy: props.logRemovalPolicy,
    });
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${declaration.name}`,
    });
    logGroup.grantWrite(role);

    super(scope, id, {
      entry: path.join(REPO_ROOT, declaration.entry),
      handler: 'handler',
      description: declaration.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: declaration.memoryMb,
      timeout: Duration.seconds(declaration.timeoutSeconds),
      role,
      logGroup,
      projectRoot: REPO_ROOT,
      depsLockFilePath: path.join(REPO_ROOT, 'package-lock.json'),
      environment: {
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        LOG_LEVEL: props.logLevel,
      },
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        target: 'node22',
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        bundleAwsSDK: true,
        // ESM output: some bundled CommonJS dependencies still call require() for Node built-ins.
        banner:
          "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
        mainFields: ['module', 'main'],
      },
    });
    this.declaration = declaration;
    this.functionLogGroup = logGroup;
    this.executionRole = role;

    // Node 22 is a deliberate choice (see the class comment); cdk-nag L1 wants the newest (24).
    Validations.of(this.node.defaultChild ?? this).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Node.js 22 is chosen on purpose: the code is developed and tested on Node 20 (TOOLCHAIN.md) and 22 is the nearest supported Lambda runtime (supported until 2027); move to 24 together with the local toolchain.',
    });

    this.bindTables(props.tables);
  }

  /**
   * Gives this function its declared tables: the environment variables (through
   * `tableEnvironment`, the same mapping the local runtime uses) and, for each table, exactly the
   * DynamoDB actions its code calls (infra/topology.ts), so a function that never deletes cannot
   * delete and none may Scan. Both come from `declaration.tables` in one place, so a variable
   * without a grant (or a grant without a variable) cannot happen.
   *
   * Resources: the table's ARN, and `<arn>/index/*` only when the function Queries a table that has
   * global secondary indexes. `leadingKeys` adds a `dynamodb:LeadingKeys` condition (StringLike):
   * the function may touch only items whose partition key matches.
   */
  private bindTables(byKey: Readonly<Record<TableKey, ITable>>): void {
    const env = tableEnvironment(this.declaration, (key) => byKey[key].tableName);
    for (const [name, value] of Object.entries(env)) this.addEnvironment(name, value);

    for (const [key, access] of Object.entries(this.declaration.tables) as [TableKey, TableAccess][]) {
      const table = byKey[key];
      const definition = tables[key];
      const actions = actionsOf(access);
      const withIndexes = actions.includes('Query') && definition.globalIndexes.length > 0;
      const leadingKeys = access === 'read' ? undefined : access.leadingKeys;
      this.addToRolePolicy(
        new PolicyStatement({
          actions: actions.map((a) => `dynamodb:${a}`),
          resources: withIndexes ? [table.tableArn, `${table.tableArn}/index/*`] : [table.tableArn],
          ...(leadingKeys && {
            conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...leadingKeys] } },
          }),
        }),
      );

      // Only a Query on a table WITH global secondary indexes produces a wildcard:
      // `<table arn>/index/*` (Query on an index needs the index ARN). Every index of the table is
      // ours and the wildcard never reaches another table, so that one resource is acknowledged,
      // on this role's policy only.
      if (!withIndexes) continue;
      const cfnTable = table.node.defaultChild as CfnTable | undefined;
      const policy = this.executionRole.node.tryFindChild('DefaultPolicy')?.node.defaultChild;
      if (!cfnTable || !policy) continue;
      const logicalId = Stack.of(this).resolve(cfnTable.logicalId) as string;
      Validations.of(policy).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>/index/*]`,
        reason: `Query on the ${definition.logicalName} table includes its own global secondary indexes (${definition.globalIndexes.map((g) => g.indexName).join(', ')}); the wildcard is confined to that table's /index/ path.`,
      });
    }
  }
}
