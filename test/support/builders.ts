/** Typed builders for test data: say only what a test cares about. */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { AlertAttributes } from '../../shared/alerts/publisher.js';
import type { ClientRecord, UserRecord } from '../../shared/domain/identity.js';
import type { UnitReport } from '../../shared/domain/report.js';
import type { CampaignFileInput, UnitInput } from '../../shared/schemas/campaign.js';
import type { IntakeEventInput } from '../../shared/schemas/intake.js';
import type { Recipient } from '../../shared/schemas/recipients.js';

export function aUnit(overrides: Partial<UnitInput> & Pick<UnitInput, 'id'>): UnitInput {
  return {
    parentId: null,
    name: `Unit ${overrides.id}`,
    level: 'commune',
    target: 100,
    deadline: '2021-06-18',
    ...overrides,
  };
}

/** A small valid campaign: root 33 → districts 323, 324 → communes. */
export function aCampaignFile(
  overrides: { campaign?: Partial<CampaignFileInput['campaign']>; units?: UnitInput[] } = {},
) {
  const file: CampaignFileInput = {
    campaign: {
      id: 'cccd-2021-test',
      name: 'Thu nhận hồ sơ CCCD 2021 — thử',
      timeZone: 'Asia/Ho_Chi_Minh',
      startDate: '2021-03-01',
      kinds: ['new', 'renewal'],
      groups: ['official'],
      workingHours: { start: '07:00', end: '22:00' },
      thresholds: { atRisk: 1.0, critical: 0.8 },
      ...overrides.campaign,
    },
    units: overrides.units ?? [
      aUnit({
        id: '33',
        name: 'Tỉnh Hưng Yên',
        level: 'province',
        target: 1000,
        subTargets: [{ group: 'official', target: 50, deadline: '2021-04-30' }],
      }),
      aUnit({ id: '323', parentId: '33', name: 'Huyện Văn Lâm', level: 'district', target: 600 }),
      aUnit({ id: '324', parentId: '33', name: 'Huyện Văn Giang', level: 'district', target: 400 }),
      aUnit({ id: '12001', parentId: '323', name: 'Xã Một', target: 300 }),
      aUnit({ id: '12002', parentId: '323', name: 'Xã Hai', target: 300 }),
      aUnit({ id: '12101', parentId: '324', name: 'Xã Ba', target: 400 }),
    ],
  };
  return file;
}

export interface EventOptions {
  method?: string;
  path?: string;
  routeKey?: string;
  pathParameters?: Record<string, string>;
  queryStringParameters?: Record<string, string>;
  body?: unknown;
  /**
   * The verified token's claims. The event carries them twice, as API Gateway does: flattened into
   * the authorizer context (arrays become "[a b]") and as the bearer token in the Authorization
   * header (here unsigned: in AWS the authorizer has checked the signature before the handler runs).
   * null: no token at all.
   */
  claims?: TokenClaims | null;
}

export interface TokenClaims {
  readonly sub: string;
  readonly scope: string;
  readonly units?: readonly string[];
  readonly [claim: string]: unknown;
}

/** A JWT-shaped bearer token holding the claims (header.payload.signature, the signature a placeholder). */
export function aBearerToken(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'RS256', typ: 'JWT' })}.${part(claims)}.${Buffer.from('unsigned').toString('base64url')}`;
}

/** API Gateway's flattening of claims for the authorizer context. */
function flattened(claims: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(claims).map(([k, v]) => [k, Array.isArray(v) ? `[${v.join(' ')}]` : String(v)]),
  );
}

/** An HTTP API payload 2.0 event, as API Gateway (or the local gateway) builds it. */
export function anHttpEvent(options: EventOptions = {}): APIGatewayProxyEventV2 {
  const method = options.method ?? 'GET';
  const path = options.path ?? '/';
  const claims =
    options.claims === undefined
      ? { sub: 'admin-1', scope: 'admin progress:read', units: ['*'] }
      : options.claims;
  return {
    version: '2.0',
    routeKey: options.routeKey ?? `${method} ${path}`,
    rawPath: path,
    rawQueryString: '',
    headers: {
      'content-type': 'application/json',
      ...(claims && { authorization: `Bearer ${aBearerToken(claims)}` }),
    },
    isBase64Encoded: false,
    ...(options.pathParameters && { pathParameters: options.pathParameters }),
    ...(options.queryStringParameters && { queryStringParameters: options.queryStringParameters }),
    ...(options.body !== undefined && {
      body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
    }),
    requestContext: {
      accountId: 'test',
      apiId: 'test',
      domainName: 'test',
      domainPrefix: 'test',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'vitest' },
      requestId: 'req-1',
      routeKey: `${method} ${path}`,
      stage: '$default',
      time: '',
      timeEpoch: 0,
      ...(claims && { authorizer: { jwt: { claims: flattened(claims), scopes: [] } } }),
    } as APIGatewayProxyEventV2['requestContext'],
  };
}

/** An intake event for the small campaign of aCampaignFile(), at a commune, during the campaign. */
export function anIntakeEvent(overrides: Partial<IntakeEventInput> = {}): IntakeEventInput {
  return {
    eventId: `evt-${Math.random().toString(36).slice(2, 12).padEnd(10, '0')}`,
    campaignId: 'cccd-2021-test',
    unitId: '12001',
    occurredAt: '2021-03-13T09:30:00+07:00',
    count: 1,
    kind: 'new',
    channel: 'fixed',
    ...overrides,
  };
}

/** A leader of district 323 in the test campaign, Vietnamese, at_risk and worse, no channel subscribed yet. */
export function aRecipient(overrides: Partial<Recipient> = {}): Recipient {
  const id = overrides.id ?? 'r-lan0000001';
  return {
    id,
    campaignId: 'cccd-2021-test',
    unitId: '323',
    name: `Leader ${id}`,
    lang: 'vi',
    minSeverity: 'at_risk',
    subscriptions: {},
    createdAt: '2021-03-01T00:00:00.000Z',
    updatedAt: '2021-03-01T00:00:00.000Z',
    createdBy: 'admin-1',
    ...overrides,
  };
}

/** Hưng Yên province's week 14 report (5/4..11/4/2021), without children or notes; figures made up but consistent. */
export function aReport(overrides: Partial<UnitReport> = {}): UnitReport {
  return {
    reportId: '33:2021-W14',
    campaignId: 'cccd-2021-hy',
    campaignName: 'Thu nhận hồ sơ CCCD 2021',
    unit: { id: '33', name: 'Tỉnh Hưng Yên', level: 'province', parentId: null },
    period: { kind: 'week', id: '2021-W14', from: '2021-04-05', to: '2021-04-11' },
    generatedAt: '2021-04-12T00:00:00.000Z',
    target: 1_109_100,
    deadline: '2021-06-18',
    atStart: { total: 95_000, percent: 8.57, level: 'critical' },
    atEnd: { total: 158_500, percent: 14.29, level: 'at_risk' },
    received: 63_500,
    dailyAverage: 9_071.43,
    requiredDailyRate: 13_763.29,
    levelChanged: true,
    subTargets: [],
    children: [],
    best: [],
    worst: [],
    notes: [],
    ...overrides,
  };
}

/** A registered user: Văn Lâm district's chairman, reading progress of 323. */
export function aUserRecord(overrides: Partial<UserRecord> = {}): UserRecord {
  return {
    kind: 'user',
    email: 'chu.tich@vanlam.hungyen.gov.vn',
    sub: '7f1c2d3e-0000-4000-8000-000000000001',
    name: 'Chủ tịch UBND huyện Văn Lâm',
    units: ['cccd-2021-hung-yen:323'],
    scopes: ['progress:read'],
    disabled: false,
    createdAt: '2021-03-01T00:00:00.000Z',
    createdBy: 'cli:admin',
    updatedAt: '2021-03-01T00:00:00.000Z',
    ...overrides,
  };
}

/** A registered machine client: Văn Lâm's intake tablets. */
export function aClientRecord(overrides: Partial<ClientRecord> = {}): ClientRecord {
  return {
    kind: 'client',
    clientId: '4b1tablets',
    name: 'Văn Lâm tablets',
    units: ['cccd-2021-hung-yen:323'],
    scopes: ['intake:write'],
    createdAt: '2021-03-01T00:00:00.000Z',
    createdBy: 'cli:admin',
    ...overrides,
  };
}

/** The message attributes of an at-risk alert on district 323 of the test campaign, Vietnamese, by SMS. */
export function anAlertAttributes(overrides: Partial<AlertAttributes> = {}): AlertAttributes {
  return {
    campaignId: 'cccd-2021-test',
    scope: '323',
    severity: 'at_risk',
    kind: 'alert',
    lang: 'vi',
    channel: 'sms',
    ...overrides,
  };
}
