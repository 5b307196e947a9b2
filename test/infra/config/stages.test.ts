import { describe, expect, it } from 'vitest';
import { DEFAULT_SCHEDULES, SCHEDULE_NAMES } from '../../../infra/config/schedules.js';
import {
  loadStageConfig,
  overridesFromContext,
  PLACEHOLDER_ISSUER,
  StageConfigError,
  stageDefaults,
} from '../../../infra/config/stages.js';

const contextOf =
  (values: Record<string, unknown>) =>
  (key: string): unknown =>
    values[key];

/** The dev config with these overrides is refused: a StageConfigError whose message matches. */
function expectRefused(overrides: Record<string, unknown>, message: RegExp): void {
  const act = () => loadStageConfig('dev', overrides);
  expect(act).toThrow(StageConfigError);
  expect(act).toThrow(message);
}

describe('infra/config/stages', () => {
  describe('loadStageConfig()', () => {
    it.each(['dev', 'prod'] as const)('accepts the %s defaults as they are', (stage) => {
      // Arrange
      const overrides = {};

      // Act
      const config = loadStageConfig(stage, overrides);

      // Assert
      expect(config).toEqual({ ...stageDefaults[stage], stage });
      expect(config.jwt.issuer).toBe(PLACEHOLDER_ISSUER);
    });

    it('retains data in prod and destroys it in dev by default', () => {
      // Arrange / Act
      const dev = loadStageConfig('dev', undefined);
      const prod = loadStageConfig('prod', undefined);

      // Assert
      expect(dev.removalPolicy).toBe('destroy');
      expect(prod.removalPolicy).toBe('retain');
    });

    it('merges overrides into the defaults, key by key', () => {
      // Arrange
      const overrides = {
        jwt: { issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Abc' },
        throttle: { burstLimit: 20 },
      };

      // Act
      const config = loadStageConfig('dev', overrides);

      // Assert
      expect(config.jwt).toEqual({
        issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Abc',
        audience: stageDefaults.dev.jwt.audience,
      });
      expect(config.throttle).toEqual({ rateLimit: stageDefaults.dev.throttle.rateLimit, burstLimit: 20 });
    });

    it.each([
      ['http://issuer.example.com/pool', 'must be an https URL'],
      ['not a url', 'must be an https URL'],
      ['https://issuer.example.com/pool/', 'no query, fragment or trailing slash'],
    ])('rejects the issuer %s with a message naming the field and the fix', (issuer, reason) => {
      // Arrange
      const overrides = { jwt: { issuer } };

      // Act
      const act = () => loadStageConfig('prod', overrides);

      // Assert
      expect(act).toThrow(StageConfigError);
      expect(act).toThrow(/Invalid stage config for 'prod':/);
      expect(act).toThrow(new RegExp(`jwt\\.issuer: [^\\n]*${reason}`));
      expect(act).toThrow(/cdk\.json context "stageConfig\.prod"/);
    });

    it('lists every problem at once', () => {
      // Arrange
      const overrides = {
        jwt: { audience: [] },
        throttle: { rateLimit: -1 },
        logRetentionDays: 10,
        alarmEmail: 'ops',
      };

      // Act
      const act = () => loadStageConfig('dev', overrides);

      // Assert
      expect(act).toThrow(/jwt\.audience: needs at least one audience/);
      expect(act).toThrow(/throttle\.rateLimit: must be a positive number/);
      expect(act).toThrow(/logRetentionDays: must be one of CloudWatch's retention periods/);
      expect(act).toThrow(/alarmEmail: must be an e-mail address/);
    });

    it('takes an http(s) dashboardUrl without its trailing slash, and refuses anything else', () => {
      // Act
      const config = loadStageConfig('dev', { dashboardUrl: 'https://dashboard.example.gov.vn/' });
      const none = loadStageConfig('dev', {});
      const act = () => loadStageConfig('dev', { dashboardUrl: 'ftp://dashboard.example.gov.vn' });
      const withQuery = () => loadStageConfig('dev', { dashboardUrl: 'https://d.example.net/?x=1' });

      // Assert
      expect(config.dashboardUrl).toBe('https://dashboard.example.gov.vn');
      expect(none.dashboardUrl).toBeUndefined();
      expect(act).toThrow(/dashboardUrl: must be an http\(s\) URL/);
      expect(withQuery).toThrow(/dashboardUrl: must have no query or fragment/);
    });

    it('rejects an unknown stage', () => {
      // Arrange / Act
      const act = () => loadStageConfig('staging', {});

      // Assert
      expect(act).toThrow("Unknown stage 'staging': expected one of dev, prod");
    });

    it('rejects a misspelt key instead of ignoring it', () => {
      // Arrange
      const overrides = { jwt: { issuer: PLACEHOLDER_ISSUER, audiences: ['x'] } };

      // Act
      const act = () => loadStageConfig('dev', overrides);

      // Assert
      expect(act).toThrow(/jwt: Unrecognized key: "audiences"/);
    });

    it('refuses to let prod destroy its data', () => {
      // Arrange
      const overrides = { removalPolicy: 'destroy' };

      // Act
      const act = () => loadStageConfig('prod', overrides);

      // Assert
      expect(act).toThrow(/removalPolicy: prod must keep its data/);
    });

    it('throttles intake per route in both stages: same steady rate as the default, deeper burst', () => {
      // Arrange / Act
      const configs = [loadStageConfig('dev', {}), loadStageConfig('prod', {})];

      // Assert
      for (const config of configs) {
        const intake = config.routeThrottle['POST /v1/intake-events'];
        expect(intake?.rateLimit).toBe(config.throttle.rateLimit);
        expect(intake?.burstLimit).toBeGreaterThan(config.throttle.burstLimit);
      }
    });

    it('merges a per-route throttle override into the defaults, route by route', () => {
      // Arrange
      const overrides = {
        routeThrottle: {
          'POST /v1/intake-events': { burstLimit: 150 },
          'GET /v1/openapi.json': { rateLimit: 5, burstLimit: 10 },
        },
      };

      // Act
      const config = loadStageConfig('dev', overrides);

      // Assert
      expect(config.routeThrottle).toEqual({
        'POST /v1/intake-events': {
          rateLimit: stageDefaults.dev.routeThrottle['POST /v1/intake-events']?.rateLimit,
          burstLimit: 150,
        },
        'GET /v1/openapi.json': { rateLimit: 5, burstLimit: 10 },
      });
    });

    it.each([
      [
        { '/v1/intake-events': { rateLimit: 1, burstLimit: 1 } },
        /routeThrottle\.\/v1\/intake-events: must be a route key/,
      ],
      [
        { 'PATCH /v1/x': { rateLimit: 1, burstLimit: 1 } },
        /must be a route key such as "POST \/v1\/intake-events"/,
      ],
      [
        { 'POST /v1/intake-events': { rateLimit: 1, burstLimit: 9000 } },
        /routeThrottle\.POST \/v1\/intake-events\.burstLimit:/,
      ],
      [{ 'POST /v1/intake-events': { rateLimit: 1, burst: 1 } }, /Unrecognized key: "burst"/],
    ])('rejects the per-route throttle %j', (routeThrottle, message) => {
      // Arrange / Act / Assert
      expectRefused({ routeThrottle }, message);
    });

    it('merges a partial alarm override into the alarm defaults', () => {
      // Arrange
      const overrides = { alarms: { iteratorAgeSeconds: '120' } };

      // Act
      const config = loadStageConfig('prod', overrides);

      // Assert
      expect(config.alarms).toEqual({ ...stageDefaults.prod.alarms, iteratorAgeSeconds: 120 });
    });

    it.each([
      [{ iteratorAgeSeconds: 0 }, /alarms\.iteratorAgeSeconds:/],
      [{ iteratorAgeSeconds: 1.5 }, /alarms\.iteratorAgeSeconds: must be a whole number of seconds/],
      [{ iteratorAgeMinutes: 61 }, /alarms\.iteratorAgeMinutes:/],
      [{ errorsPer5Minutes: 0 }, /alarms\.errorsPer5Minutes:/],
      [{ failureQueueMessages: 5 }, /alarms: Unrecognized key: "failureQueueMessages"/],
    ])('rejects the alarm thresholds %j, naming the field', (alarms, message) => {
      // Arrange / Act / Assert
      expectRefused({ alarms }, message);
    });

    it.each(['dev', 'prod'] as const)(
      '%s schedules every named rule as infra/config/schedules.ts does',
      (stage) => {
        // Arrange / Act
        const config = loadStageConfig(stage, {});

        // Assert
        expect(Object.keys(config.schedules).sort()).toEqual([...SCHEDULE_NAMES].sort());
        expect(config.schedules).toEqual(DEFAULT_SCHEDULES);
      },
    );

    it('merges a schedule override into its rule, field by field, and leaves the other rules alone', () => {
      // Arrange
      const overrides = { schedules: { riskHourly: { expression: 'cron(30 8-21 * * ? *)' } } };

      // Act
      const config = loadStageConfig('prod', overrides);

      // Assert
      expect(config.schedules.riskHourly).toEqual({
        ...DEFAULT_SCHEDULES.riskHourly,
        expression: 'cron(30 8-21 * * ? *)',
      });
      expect(config.schedules.riskDaily).toEqual(DEFAULT_SCHEDULES.riskDaily);
      expect(config.schedules.weeklyReport).toEqual(DEFAULT_SCHEDULES.weeklyReport);
    });

    it.each([
      [
        { riskHourly: { expression: '0 * * * *' } },
        /schedules\.riskHourly\.expression: must be an EventBridge schedule/,
      ],
      [
        { riskDaily: { expression: 'rate(1 week)' } },
        /schedules\.riskDaily\.expression: must be an EventBridge schedule/,
      ],
      [
        { weeklyReport: { expression: 'cron(0 7 * * MON *)' } },
        /schedules\.weeklyReport\.expression: cron: exactly one of day-of-month \(3rd field\) and day-of-week \(5th field\) must be \?/,
      ],
      [
        { riskDaily: { expression: 'cron(0 7 ? * ? *)' } },
        /schedules\.riskDaily\.expression: cron: exactly one of/,
      ],
      [
        { riskHourly: { timeZone: 'Indochina' } },
        /schedules\.riskHourly\.timeZone: must be an IANA time zone/,
      ],
      [{ riskHourly: { cron: 'cron(0 8 * * ? *)' } }, /schedules\.riskHourly: Unrecognized key: "cron"/],
      [{ risk: { expression: 'cron(5 * * * ? *)' } }, /schedules: Unrecognized key: "risk"/],
    ])('rejects the schedule override %j, naming the field', (schedules, message) => {
      // Arrange / Act / Assert
      expectRefused({ schedules }, message);
    });

    it('accepts a rate expression and any IANA zone', () => {
      // Arrange
      const overrides = { schedules: { riskHourly: { expression: 'rate(30 minutes)', timeZone: 'UTC' } } };

      // Act
      const config = loadStageConfig('dev', overrides);

      // Assert
      expect(config.schedules.riskHourly.expression).toBe('rate(30 minutes)');
      expect(config.schedules.riskHourly.timeZone).toBe('UTC');
    });

    it('alarms on SMS spend above 50 USD in dev and 500 USD in prod unless told otherwise', () => {
      // Arrange / Act
      const dev = loadStageConfig('dev', {});
      const prod = loadStageConfig('prod', { smsSpendAlarmUsd: '750' });

      // Assert
      expect(dev.smsSpendAlarmUsd).toBe(50);
      expect(stageDefaults.prod.smsSpendAlarmUsd).toBe(500);
      expect(prod.smsSpendAlarmUsd).toBe(750);
      expect(() => loadStageConfig('dev', { smsSpendAlarmUsd: -5 })).toThrow(
        /smsSpendAlarmUsd: must be a positive number of US dollars/,
      );
    });
  });

  describe('overridesFromContext()', () => {
    it('reads stageConfig.<stage> from cdk.json and lays -c keys on top, coercing CLI strings', () => {
      // Arrange
      const context = contextOf({
        stageConfig: {
          prod: {
            jwt: { issuer: 'https://issuer.example.com/from-cdk-json', audience: ['a'] },
            logLevel: 'WARN',
          },
          dev: { logLevel: 'DEBUG' },
        },
        jwtIssuer: 'https://issuer.example.com/from-cli',
        jwtAudience: 'web-client, cli-client',
        throttleRateLimit: '12.5',
        throttleBurstLimit: '30',
        logRetentionDays: '30',
        smsSpendAlarmUsd: '80',
      });

      // Act
      const config = loadStageConfig('prod', overridesFromContext('prod', context));

      // Assert
      expect(config.jwt).toEqual({
        issuer: 'https://issuer.example.com/from-cli',
        audience: ['web-client', 'cli-client'],
      });
      expect(config.throttle).toEqual({ rateLimit: 12.5, burstLimit: 30 });
      expect(config.logRetentionDays).toBe(30);
      expect(config.logLevel).toBe('WARN');
      expect(config.smsSpendAlarmUsd).toBe(80);
    });

    it('gives no overrides when the context has none', () => {
      // Arrange
      const context = contextOf({ stage: 'dev' });

      // Act
      const overrides = overridesFromContext('dev', context);

      // Assert
      expect(overrides).toEqual({});
    });

    it('reports a bad -c value under its config path', () => {
      // Arrange
      const context = contextOf({ throttleBurstLimit: 'lots' });

      // Act
      const act = () => loadStageConfig('dev', overridesFromContext('dev', context));

      // Assert
      expect(act).toThrow(/throttle\.burstLimit:/);
    });
  });
});
