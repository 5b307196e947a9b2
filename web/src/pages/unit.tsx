/**
 * A unit's page; the campaign overview is the page of the caller's top unit. Figures, the burn-up
 * chart and the children (worst first) load at once, in parallel (progress, daily, children); daily
 * bars, sub-targets, level history, alerts, reports and corrections below them (each panel in ./unit/).
 */
import { useMemo } from 'preact/hooks';
import type { CampaignDetail } from '../../../shared/schemas/dashboard.js';
import { grantedIn } from '../auth.js';
import { BurnUpChart } from '../chart/burnup.js';
import { burnUp } from '../chart/model.js';
import { LevelBadge } from '../components/level.js';
import { Link } from '../components/link.js';
import { UnitSearch } from '../components/search.js';
import { DailyBars } from '../components/spark.js';
import { Status } from '../components/status.js';
import { useApp, useAsync } from '../context.js';
import { endOfDay, hrefOf } from '../router.js';
import { Alerts } from './unit/alerts.js';
import { Breadcrumbs } from './unit/breadcrumbs.js';
import { campaignDetail, DEFAULT_TIME_ZONE } from './unit/campaign.js';
import { ChildrenTable } from './unit/children.js';
import { Corrections } from './unit/corrections.js';
import { Figures } from './unit/figures.js';
import { Lazy } from './unit/lazy.js';
import { Legend } from './unit/legend.js';
import { MergedNotice } from './unit/merged-notice.js';
import { Reports } from './unit/reports.js';
import { RiskHistory } from './unit/risk-history.js';
import { SubTargets } from './unit/sub-targets.js';

export function CampaignPage({ campaignId, unitId }: { campaignId: string; unitId: string | null }) {
  const { api, claims, asOf } = useApp();
  const granted = grantedIn(claims, campaignId);
  // The top unit is known from the token when it names one unit here; otherwise from the campaign.
  const fromToken = Array.isArray(granted) && granted.length === 1 ? (granted[0] ?? null) : null;
  // The campaign's settings are read only when needed (which unit is on top, or the time zone that
  // ends a past day), so the overview of a leader's own unit costs three requests.
  const needCampaign = (unitId === null && fromToken === null) || asOf !== null;
  const campaign = useAsync(
    () => (needCampaign ? campaignDetail(api, campaignId) : Promise.resolve(undefined)),
    [campaignId, needCampaign],
  );
  const tops = campaign.data?.topUnits ?? [];
  const unit = unitId ?? fromToken ?? (tops.length === 1 ? (tops[0]?.id ?? null) : null);
  const tz = campaign.data?.campaign.timeZone;

  if (unit === null) {
    if (campaign.data && tops.length > 1)
      return (
        <section>
          <h1>{campaign.data.campaign.name}</h1>
          <ul class="cards">
            {tops.map((u) => (
              <li key={u.id}>
                <Link href={hrefOf({ page: 'unit', campaignId, unitId: u.id }, asOf)}>{u.name}</Link>
              </li>
            ))}
          </ul>
        </section>
      );
    return <Status state={campaign} />;
  }
  // A past day needs the campaign's time zone to say when that day ended.
  if (asOf && !tz) return <Status state={campaign} />;
  const asOfIso = asOf && tz ? endOfDay(asOf, tz) : undefined;
  return (
    <UnitView
      key={`${campaignId}/${unit}/${asOfIso ?? ''}`}
      campaignId={campaignId}
      unitId={unit}
      isTop={unitId === null || unit === fromToken || tops.some((t) => t.id === unit)}
      asOfIso={asOfIso}
      campaign={campaign.data}
    />
  );
}

function UnitView({
  campaignId,
  unitId,
  isTop,
  asOfIso,
  campaign,
}: {
  campaignId: string;
  unitId: string;
  isTop: boolean;
  asOfIso: string | undefined;
  campaign: CampaignDetail | undefined;
}) {
  const { api, fmt, asOf, claims } = useApp();
  const progress = useAsync(() => api.progress(campaignId, unitId, asOfIso), [campaignId, unitId, asOfIso]);
  const daily = useAsync(() => api.daily(campaignId, unitId, asOfIso), [campaignId, unitId, asOfIso]);
  const children = useAsync(() => api.children(campaignId, unitId, asOfIso), [campaignId, unitId, asOfIso]);
  const p = progress.data;
  // The daily series starts at the campaign's start by default.
  const startDate = campaign?.campaign.startDate ?? daily.data?.from;
  const model = useMemo(
    () => (p && daily.data && startDate ? burnUp(p, startDate, daily.data.days) : null),
    [p, daily.data, startDate],
  );
  const t = fmt.t;
  const tz = campaign?.campaign.timeZone ?? DEFAULT_TIME_ZONE;
  const isAdmin = claims.scope.includes('admin');

  return (
    <div class="unit-page">
      <div class="toolbar">
        <Breadcrumbs campaignId={campaignId} unitId={unitId} isTop={isTop} />
        <UnitSearch campaignId={campaignId} />
      </div>
      <Status state={progress} />
      {p && (
        <>
          <header class="unit-head">
            <h1>
              <span class="unit-level">{t.levelNames[p.unit.level] ?? p.unit.level}</span> {p.unit.name}
            </h1>
            <p class="risk-line">
              {/* A merged unit is no longer judged (the risk job skips it): its notice says why. */}
              {p.mergedInto === undefined && <LevelBadge level={p.risk.level} fmt={fmt} />}
              {p.mergedInto === undefined && p.risk.since && (
                <span class="muted"> {t.since(fmt.dateTime(p.risk.since, tz))}</span>
              )}
              {isAdmin && (
                <Link class="admin-link" href={hrefOf({ page: 'admin', campaignId }, asOf)}>
                  {t.admin}
                </Link>
              )}
            </p>
          </header>
          {p.mergedInto !== undefined && <MergedNotice campaignId={campaignId} successor={p.mergedInto} />}
          {p.reorganising && (
            <p class="notice" role="status" data-testid="reorganising">
              {t.reorganising}
            </p>
          )}
          <Figures p={p} />
        </>
      )}
      <section class="panel" aria-labelledby="burnup-title">
        <h2 id="burnup-title">{t.burnUp}</h2>
        <Status state={daily} />
        {model && <BurnUpChart model={model} fmt={fmt} />}
        {model && <Legend hasSub={model.subTargets.length > 0} />}
      </section>
      <section class="panel" aria-labelledby="children-title">
        <h2 id="children-title">{t.children(children.data?.children.length ?? 0)}</h2>
        <Status state={children} />
        {children.data && <ChildrenTable campaignId={campaignId} rows={children.data.children} />}
      </section>
      {p && daily.data && (
        <section class="panel" aria-labelledby="daily-title">
          <h2 id="daily-title">{t.daily}</h2>
          <p class="muted small">{t.dailyHelp}</p>
          <DailyBars
            days={daily.data.days}
            required={p.requiredDailyRate}
            label={t.daily}
            dayLabel={fmt.day}
            countLabel={fmt.int}
          />
        </section>
      )}
      {p && p.subTargets.length > 0 && <SubTargets p={p} />}
      <Lazy title={t.riskHistory} open={!isTop} id="risk-history">
        {() => <RiskHistory campaignId={campaignId} unitId={unitId} asOfIso={asOfIso} />}
      </Lazy>
      <Lazy title={t.alerts} open={!isTop} id="alerts">
        {() => <Alerts campaignId={campaignId} unitId={unitId} />}
      </Lazy>
      <Lazy title={t.reports} open={!isTop} id="reports">
        {() => <Reports campaignId={campaignId} unitId={unitId} />}
      </Lazy>
      <Lazy title={t.corrections} open={false} id="corrections">
        {() => <Corrections campaignId={campaignId} unitId={unitId} />}
      </Lazy>
    </div>
  );
}
