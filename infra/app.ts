/**
 * The CDK app: `npx cdk synth` (stage dev) or `npx cdk synth -c stage=prod`.
 * One stack per stage, `QuotaCampaign-<stage>`, checked by cdk-nag's AwsSolutions pack.
 *
 * `buildApp` is what both `cdk synth` (the main block below) and the tests in test/infra/ run,
 * so the tests synthesize exactly what the CLI does, cdk.json context and feature flags included.
 */
import { readFileSync, rmdirSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { App, Aws, Fn, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import {
  loadStageConfig,
  overridesFromContext,
  type StageConfig,
  StageConfigError,
} from './config/stages.js';
import { RESOURCE_SERVER_IDENTIFIER } from './constructs/identity.js';
import { REPO_ROOT } from './constructs/quota-function.js';
import { DashboardStack, dashboardStackNameOf } from './dashboard-stack.js';
import {
  DASHBOARD_CLIENT_OUTPUT,
  ISSUER_OUTPUT,
  identityExportName,
  QuotaCampaignStack,
  SIGN_IN_DOMAIN_OUTPUT,
  stackNameOf,
} from './stack.js';
import type { FunctionDeclaration } from './topology.js';

export const DEFAULT_STAGE = 'dev';

export interface BuildAppOptions {
  /** Stage to build; default: context `stage` (`-c stage=...`, cdk.json), then 'dev'. */
  readonly stage?: string;
  /** Extra context, as `-c key=value` would give it (highest precedence). */
  readonly context?: Readonly<Record<string, unknown>>;
  /** Only for tests that need a throwaway topology; the app always uses the real one. */
  readonly functions?: readonly FunctionDeclaration[];
  /** Cloud assembly directory; default: the CLI's (CDK_OUTDIR) or a fresh temporary one. */
  readonly outdir?: string;
}

export interface BuiltApp {
  readonly app: App;
  readonly stack: QuotaCampaignStack;
  /** The dashboard's own stack (static hosting); it imports the API stack's ApiUrl. */
  readonly dashboard: DashboardStack;
  readonly config: StageConfig;
}

/** The `context` block of cdk.json: feature flags and defaults the CLI would pass. */
function cdkJsonContext(): Record<string, unknown> {
  const raw = JSON.parse(readFileSync(path.join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context?: unknown };
  return typeof raw.context === 'object' && raw.context !== null
    ? (raw.context as Record<string, unknown>)
    : {};
}

export function buildApp(options: BuildAppOptions = {}): BuiltApp {
  const app = new App({
    // Lowest precedence: under the CLI the same values also arrive (with -c on top) through
    // CDK_CONTEXT_JSON; outside it (tests) this is how cdk.json's feature flags still apply.
    context: cdkJsonContext(),
    postCliContext: { ...options.context, ...(options.stage ? { stage: options.stage } : {}) },
    ...(options.outdir ? { outdir: options.outdir } : {}),
  });
  try {
    return buildStacks(app, options);
  } catch (error) {
    // The App has made its assembly directory already: a refused config leaves none behind empty.
    rmEmptyDir(app.outdir);
    throw error;
  }
}

function rmEmptyDir(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // not empty (a previous synth's output under the CLI) or already gone: leave it
  }
}

function buildStacks(app: App, options: BuildAppOptions): BuiltApp {
  const stage = String(app.node.tryGetContext('stage') ?? DEFAULT_STAGE);
  const config = loadStageConfig(
    stage,
    overridesFromContext(stage, (key) => app.node.tryGetContext(key)),
  );

  const stack = new QuotaCampaignStack(app, stackNameOf(config.stage), {
    stackName: stackNameOf(config.stage),
    config,
    ...(config.env ? { env: config.env } : {}),
    ...(options.functions ? { functions: options.functions } : {}),
  });

  // With the stack's user pool, the dashboard signs leaders in through its managed login (code + PKCE).
  const identity = stack.identity;
  const dashboard = new DashboardStack(app, dashboardStackNameOf(config.stage), {
    stackName: dashboardStackNameOf(config.stage),
    config,
    // Imported by export name (as the API URL is), so the API stack's outputs stay the documented ones.
    ...(identity && {
      auth: {
        issuer: Fn.importValue(identityExportName(config.stage, ISSUER_OUTPUT)),
        issuerOrigin: `https://cognito-idp.${Aws.REGION}.amazonaws.com`,
        clientId: Fn.importValue(identityExportName(config.stage, DASHBOARD_CLIENT_OUTPUT)),
        tokenOrigin: Fn.importValue(identityExportName(config.stage, SIGN_IN_DOMAIN_OUTPUT)),
        scope: `openid ${RESOURCE_SERVER_IDENTIFIER}/progress:read ${RESOURCE_SERVER_IDENTIFIER}/admin`,
      },
    }),
    ...(config.env ? { env: config.env } : {}),
  });
  dashboard.addStackDependency(stack, "the dashboard imports the API stack's exports");

  // cdk-nag v3 is a policy-validation plugin: it runs during synth, writes its findings to
  // validation-report.json in the cloud assembly and fails the synth on unacknowledged ones.
  Validations.of(app).addPlugins(
    new AwsSolutionsChecks(app, { verbose: true, writeSuppressionsToCloudFormation: true }),
  );

  return { app, stack, dashboard, config };
}

const isMain =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (isMain) {
  try {
    buildApp().app.synth();
  } catch (error) {
    if (error instanceof StageConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}
