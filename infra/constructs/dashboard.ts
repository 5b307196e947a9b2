/**
 * The leaders' dashboard in AWS: web/dist in a private S3 bucket (TLS only, no public access), served
 * by CloudFront through origin access control, HTTPS only, with security headers and a strict
 * Content-Security-Policy (scripts, styles and fonts from the dashboard itself; connections to the
 * API and the identity provider only). The app's paths (`/c/…`) are client routes: S3 answers them
 * 403/404, which CloudFront turns into /index.html with 200 (the SPA fallback). `config.json` beside
 * the app tells it the API URL and the sign-in settings.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Duration, type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type CfnBucket,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';

/** Sign-in through an OpenID provider (authorization code + PKCE), written into config.json. */
export interface DashboardAuth {
  readonly issuer: string;
  /** The issuer's origin, for connect-src, when the issuer is a deploy-time value (discovery lives under it). */
  readonly issuerOrigin?: string;
  readonly clientId: string;
  /** Where the token endpoint lives when not under the issuer (Cognito's domain); for connect-src. */
  readonly tokenOrigin?: string;
  readonly scope?: string;
}

export interface DashboardProps {
  /** The HTTP API's URL (https://…/), for config.json and the CSP's connect-src. */
  readonly apiUrl: string;
  readonly auth?: DashboardAuth;
  readonly removalPolicy: RemovalPolicy;
  /** The built app; default web/dist (npm run build:web). */
  readonly distDir?: string;
}

/** The policy the dashboard is built to (no inline script or style, no remote font or CDN). */
export function contentSecurityPolicy(connect: readonly string[]): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ${connect.join(' ')}`,
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "object-src 'none'",
  ].join('; ');
}

const originOf = (url: string) => {
  // Tokens (deploy-time values) pass as they are.
  if (url.includes('${Token')) return url;
  return new URL(url).origin;
};

/** cdk-nag's findings on the distribution, and why each is accepted. */
const DISTRIBUTION_FINDINGS: Readonly<Record<string, string>> = {
  'AwsSolutions-CFR1':
    'Leaders travel and officials use mobile networks; the dashboard holds no data (the API checks every request), so geographic restriction would block users without protecting anything.',
  'AwsSolutions-CFR2':
    'Only static files are served (GET/HEAD); the API behind its own throttled gateway is where requests are authorised. A WAF web ACL is a stage decision (cost) to add in front of both.',
  'AwsSolutions-CFR3':
    'Standard logs of static file downloads carry no audit value here (every figure is read through the API, whose access logs are kept); enable them per stage if needed.',
  'AwsSolutions-CFR4':
    'The distribution uses the default *.cloudfront.net certificate until a stage brings its own domain and ACM certificate (then TLSv1.2_2021 minimum applies); viewers are HTTPS-only.',
};

export class Dashboard extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  readonly url: string;

  constructor(scope: Construct, id: string, props: DashboardProps) {
    super(scope, id);
    const distDir = props.distDir ?? join(import.meta.dirname, '..', '..', 'web', 'dist');
    if (!existsSync(join(distDir, 'index.html'))) {
      throw new Error(`${distDir}/index.html is missing: run \`npm run build:web\` before synth`);
    }

    this.bucket = new Bucket(this, 'Site', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: false,
      removalPolicy: props.removalPolicy,
    });

    const connect = [
      props.apiUrl,
      ...(props.auth ? [props.auth.issuerOrigin ?? originOf(props.auth.issuer)] : []),
      ...(props.auth?.tokenOrigin ? [props.auth.tokenOrigin] : []),
    ];
    const headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Dashboard: strict CSP, HSTS, no framing, no sniffing, no referrer',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: contentSecurityPolicy(connect), override: true },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(365),
          includeSubdomains: true,
          preload: false,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
        xssProtection: { protection: true, modeBlock: true, override: true },
      },
    });

    this.distribution = new Distribution(this, 'Distribution', {
      comment: "Leaders' dashboard",
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_200,
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
        compress: true,
      },
      // Client routes (/c/…) are not objects: S3 answers 403 (no ListBucket) or 404; serve the app.
      errorResponses: [403, 404].map((httpStatus) => ({
        httpStatus,
        responseHttpStatus: 200,
        responsePagePath: '/index.html',
        ttl: Duration.seconds(0),
      })),
    });
    this.url = `https://${this.distribution.distributionDomainName}/`;

    new BucketDeployment(this, 'Deploy', {
      destinationBucket: this.bucket,
      sources: [
        Source.asset(distDir),
        Source.jsonData('config.json', {
          apiUrl: props.apiUrl,
          ...(props.auth && {
            auth: {
              issuer: props.auth.issuer,
              clientId: props.auth.clientId,
              redirectUri: this.url,
              ...(props.auth.scope && { scope: props.auth.scope }),
            },
          }),
        }),
      ],
      distribution: this.distribution,
      distributionPaths: ['/index.html', '/config.json'],
      memoryLimit: 256,
    });

    this.acknowledgeFindings();
  }

  /** What cdk-nag reports on this construct, and why each is accepted. */
  private acknowledgeFindings(): void {
    Validations.of(this.bucket.node.defaultChild ?? this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'The bucket holds only the public static build of the dashboard (no data; the API serves every figure behind its own authorizer), read only by CloudFront through origin access control; its access log would record nothing but CloudFront fetching the same few files.',
    });
    const distribution = this.distribution.node.defaultChild ?? this.distribution;
    for (const [id, reason] of Object.entries(DISTRIBUTION_FINDINGS)) {
      Validations.of(distribution).acknowledge({ id, reason });
    }
    // BucketDeployment's singleton provider (CDK's own code, run only at deploy time) and its role.
    const stack = Stack.of(this);
    const siteArn = stack.resolve((this.bucket.node.defaultChild as CfnBucket).logicalId) as string;
    for (const child of stack.node.children) {
      if (!child.node.id.startsWith('Custom::CDKBucketDeployment')) continue;
      const role = child.node.tryFindChild('ServiceRole');
      const roleResource = role?.node.defaultChild;
      const policy = role?.node.tryFindChild('DefaultPolicy')?.node.defaultChild;
      const fn = child.node.defaultChild;
      if (roleResource) {
        Validations.of(roleResource).acknowledge({
          id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
          reason:
            "CDK's BucketDeployment provider writes its own logs with AWSLambdaBasicExecutionRole; it runs only at deploy time.",
        });
      }
      if (policy) {
        const copy =
          "CDK's BucketDeployment provider copies the build from the CDK assets bucket into the dashboard bucket and replaces what was there: the object-level wildcards are those of copying a directory, limited to these two buckets";
        for (const finding of [
          'Action::s3:Abort*',
          'Action::s3:DeleteObject*',
          'Action::s3:GetBucket*',
          'Action::s3:GetObject*',
          'Action::s3:List*',
          `Resource::<${siteArn}.Arn>/*`,
          'Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*',
        ]) {
          Validations.of(policy).acknowledge({ id: `AwsSolutions-IAM5[${finding}]`, reason: `${copy}.` });
        }
        Validations.of(policy).acknowledge({
          id: 'AwsSolutions-IAM5[Resource::*]',
          reason:
            'cloudfront:CreateInvalidation and GetInvalidation (to refresh index.html and config.json after a deploy) support no resource narrower than "*" in the way CDK grants them; deploy time only.',
        });
      }
      if (fn) {
        Validations.of(fn).acknowledge({
          id: 'AwsSolutions-L1',
          reason:
            "The runtime of CDK's BucketDeployment provider is chosen by aws-cdk-lib, not by this project; it runs only at deploy time.",
        });
      }
    }
  }
}
