import { defineConfig } from 'vitest/config';

/**
 * Four test projects, one folder each (test/<name>/):
 * - unit: pure logic and handlers with injected fakes; fast.
 * - infra: CDK template assertions and cdk-nag.
 * - integration: against DynamoDB Local (started once by test/support/dynamodb-global-setup.ts).
 * - e2e: the local runtime (`npm start`) over real HTTP.
 */
/** Function modules parse their environment when loaded (fail fast), as in Lambda; tests that import them need it. */
const functionEnv = {
  CAMPAIGN_TABLE: 'Campaign-unit-test',
  INTAKE_EVENTS_TABLE: 'IntakeEvents-unit-test',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  POWERTOOLS_METRICS_DISABLED: 'true',
};

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          env: functionEnv,
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          globalSetup: ['test/support/web-build-global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          env: functionEnv,
          globalSetup: ['test/support/dynamodb-global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/support/web-build-global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
