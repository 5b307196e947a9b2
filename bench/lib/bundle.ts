/**
 * Bundling a function exactly as infra/constructs/quota-function.ts has CDK's NodejsFunction bundle
 * it (local esbuild, no Docker). NodejsFunction runs the esbuild CLI with: --bundle <entry>
 * --target=node22 --platform=node --format=esm --outfile=index.mjs --minify --sourcemap
 * --sources-content=false --banner:js=… --main-fields=module,main, and no --external because
 * `bundleAwsSDK: true`. These are the same options through esbuild's API; a unit test
 * (test/unit/bench/lib/bundle.test.ts) fails if QuotaFunction's bundling props change without this.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { type BuildOptions, build } from 'esbuild';

/** The banner QuotaFunction passes (ESM output: bundled CommonJS still calls require() for built-ins). */
export const LAMBDA_BANNER =
  "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

export const LAMBDA_BUNDLING = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  minify: true,
  sourcemap: true,
  sourcesContent: false,
  banner: { js: LAMBDA_BANNER },
  mainFields: ['module', 'main'],
  logLevel: 'silent',
} as const satisfies BuildOptions;

export interface Bundle {
  readonly file: string;
  readonly bytes: number;
  readonly mapBytes: number;
  /** The AWS SDK packages the bundle holds (`client-dynamodb`, `lib-dynamodb`, `client-sns`, …). */
  readonly sdkPackages: readonly string[];
}

/** Bundles `entry` (absolute) into `outDir/index.mjs`, as the Lambda asset would hold it. */
export async function bundleFunction(entry: string, outDir: string, absWorkingDir: string): Promise<Bundle> {
  const file = join(outDir, 'index.mjs');
  const result = await build({
    ...LAMBDA_BUNDLING,
    entryPoints: [entry],
    outfile: file,
    absWorkingDir,
    // An entry outside the repository (a generated baseline) resolves packages from the repository's.
    nodePaths: [join(absWorkingDir, 'node_modules')],
    metafile: true,
  });
  const sdkPackages = new Set<string>();
  for (const input of Object.keys(result.metafile.inputs)) {
    const m = /node_modules\/@aws-sdk\/((?:client-[a-z0-9-]+)|lib-dynamodb)\//.exec(input);
    if (m?.[1]) sdkPackages.add(m[1]);
  }
  return {
    file,
    bytes: statSync(file).size,
    mapBytes: statSync(`${file}.map`).size,
    sdkPackages: [...sdkPackages].sort(),
  };
}
