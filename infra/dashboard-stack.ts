/**
 * The leaders' dashboard in a stack of its own (`QuotaCampaign-<stage>-Dashboard`, deployed after
 * the API's): static hosting and the deploy-time copy of web/dist (CDK's BucketDeployment, whose
 * provider function is CDK's own code) stay apart from the API stack, where every function is a
 * topology function with exactly its grants.
 */
import { CfnOutput, Fn, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { StageConfig } from './config/stages.js';
import { Dashboard, type DashboardAuth } from './constructs/dashboard.js';
import { apiUrlExportName, stackNameOf } from './stack.js';

export const DASHBOARD_URL_OUTPUT = 'DashboardUrl';
export const dashboardStackNameOf = (stage: string) => `${stackNameOf(stage)}-Dashboard`;

export interface DashboardStackProps extends StackProps {
  readonly config: StageConfig;
  /** Sign-in through the identity provider (code + PKCE); without it, the token link only. */
  readonly auth?: DashboardAuth;
  readonly distDir?: string;
}

export class DashboardStack extends Stack {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: DashboardStackProps) {
    super(scope, id, { description: `Quota campaign leaders' dashboard (${props.config.stage})`, ...props });
    this.dashboard = new Dashboard(this, 'Dashboard', {
      apiUrl: Fn.importValue(apiUrlExportName(props.config.stage)),
      removalPolicy: props.config.removalPolicy === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      ...(props.auth && { auth: props.auth }),
      ...(props.distDir && { distDir: props.distDir }),
    });
    new CfnOutput(this, DASHBOARD_URL_OUTPUT, {
      value: this.dashboard.url,
      description: "The leaders' dashboard (CloudFront)",
    });
  }
}
