/**
 * A unit's page; the campaign overview is the page of the caller's top unit. Figures, the burn-up
 * chart and the children (worst first) load at once, in parallel (progress, daily, children); daily
 * bars, sub-targets, level history, alerts and reports below them.
 */
import { useMemo, useState } from 'preact/hooks';
import type { CampaignDetail } from '../../../shared/schemas/dashboard.js';
import type { ChildSummary, ProgressResponse } from '../../../shared/schemas/progress.js';
import { grantedIn } from '../auth.js';
import { BurnUpChart } from '../chart/burnup.js';
import { burnUp } from '../chart/model.js';
import { LevelBadge } from '../components/level.js';
import { Link } from '../components/link.js';
import { UnitSearch } from '../components/search.js';
import { DailyBars, Sparkline } from '../components/spark.js';
import { Status } from '../components/status.js';
import { TableWrap } from '../components/table-wrap.js';
import { useApp, useAsync } from '../context.js';
import { endOfDay, hrefOf } from '../router.js';

const campaignCache = new Map<string, Promise<CampaignDetail>>();
export function campaignDetail(api: ReturnType<typeof useApp>['api'], campaignId: string) {
  let p = campaignCache.get(campaignId);
  if (!p) {
    p = api.campaign(campaignId);
    p.catch(() => campaignCache.delete(campaignId));
    campaignCache.set(campaignId, p);
  }
  return p;
}

/** The campaigns' default zone, until the campaign's own is known. */
const DEFAULT_TIME_ZONE = 'Asia/Ho_Chi_Minh';

/** The campaign's time zone (its settings read once per page load, shared). */
function useTimeZone(campaignId: string): string {
  const { api } = useApp();
  const detail = useAsync(() => campaignDetail(api, campaignId), [campaignId]);
  return detail.data?.campaign.timeZone ?? DEFAULT_TIME_ZONE;
}

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

function Figures({ p }: { p: ProgressResponse }) {
  const { fmt } = useApp();
  const t = fmt.t;
  const pace = p.paceRatio;
  return (
    <dl class="figures">
      <div class="figure big">
        <dt>{t.percent}</dt>
        <dd data-testid="percent">{fmt.pct(p.percent)}</dd>
        <div class="progress-bar" aria-hidden="true">
          <span style={{ width: `${Math.min(100, p.percent)}%` }} />
        </div>
      </div>
      <div class="figure">
        <dt>{t.total}</dt>
        <dd data-testid="total">{fmt.int(p.total)}</dd>
        <dd class="muted small">
          / {fmt.int(p.target)} ({t.target})
        </dd>
      </div>
      <div class="figure">
        <dt>{t.remaining}</dt>
        <dd data-testid="remaining">{fmt.int(p.remaining)}</dd>
      </div>
      <div class="figure">
        <dt>{t.daysLeft}</dt>
        <dd data-testid="days-left">{fmt.int(p.daysLeft)}</dd>
        <dd class="muted small">
          {t.deadline} {fmt.day(p.deadline)}
        </dd>
      </div>
      <div class="figure">
        <dt>{t.requiredPerDay}</dt>
        <dd data-testid="required">
          {fmt.int(p.requiredDailyRate === null ? null : Math.round(p.requiredDailyRate))}
        </dd>
      </div>
      <div class="figure">
        <dt>{t.observedPerDay}</dt>
        <dd data-testid="observed">
          {fmt.int(p.observedDailyRate === null ? null : Math.round(p.observedDailyRate))}
        </dd>
        <dd class="muted small">
          {t.paceRatio} {fmt.dec(pace)}
        </dd>
      </div>
      <div class="figure">
        <dt>{t.projected}</dt>
        <dd data-testid="projected">
          {p.projectedCompletion ? fmt.day(p.projectedCompletion) : p.remaining > 0 ? t.never : '—'}
        </dd>
      </div>
      <div class="figure">
        <dt>{t.today}</dt>
        <dd data-testid="today">{fmt.int(p.today.count)}</dd>
        <dd class="muted small">{fmt.day(p.today.day)}</dd>
      </div>
    </dl>
  );
}

function Legend({ hasSub }: { hasSub: boolean }) {
  const { fmt } = useApp();
  const t = fmt.t;
  return (
    <ul class="legend">
      <li>
        <span class="swatch actual" aria-hidden="true" />
        {t.seriesActual}
      </li>
      <li>
        <span class="swatch target" aria-hidden="true" />
        {t.seriesTarget}
      </li>
      <li>
        <span class="swatch required" aria-hidden="true" />
        {t.seriesRequired}
      </li>
      <li>
        <span class="swatch projection" aria-hidden="true" />
        {t.seriesProjection}
      </li>
      {hasSub && (
        <li>
          <span class="swatch sub" aria-hidden="true" />
          {t.subTargets}
        </li>
      )}
    </ul>
  );
}

function ChildrenTable({ campaignId, rows }: { campaignId: string; rows: readonly ChildSummary[] }) {
  const { fmt, asOf } = useApp();
  const t = fmt.t;
  if (rows.length === 0) return <p class="muted">{t.noChildren}</p>;
  return (
    <TableWrap label={t.children(rows.length)}>
      <table class="children">
        <thead>
          <tr>
            <th scope="col">{t.unit}</th>
            <th scope="col" class="num">
              {t.percent}
            </th>
            <th scope="col" class="num hide-narrow">
              {t.paceRatio}
            </th>
            <th scope="col">{t.level}</th>
            <th scope="col" class="hide-narrow">
              {t.last14}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((c) => {
            const recent = c.last14Days;
            return (
              <tr key={c.unit.id} data-unit={c.unit.id}>
                <th scope="row">
                  <Link href={hrefOf({ page: 'unit', campaignId, unitId: c.unit.id }, asOf)}>
                    {c.unit.name}
                  </Link>
                </th>
                <td class="num">
                  {fmt.pct(c.percent)}
                  <div class="progress-bar thin" aria-hidden="true">
                    <span style={{ width: `${Math.min(100, c.percent)}%` }} />
                  </div>
                </td>
                <td class="num hide-narrow">{fmt.dec(c.paceRatio)}</td>
                <td>
                  <LevelBadge level={c.risk.level} fmt={fmt} />
                </td>
                <td class="hide-narrow">
                  {recent ? (
                    <Sparkline
                      counts={recent.map((d) => d.count)}
                      label={`${c.unit.name}: ${recent.map((d) => fmt.int(d.count)).join(', ')}`}
                    />
                  ) : (
                    '—'
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableWrap>
  );
}

function SubTargets({ p }: { p: ProgressResponse }) {
  const { fmt } = useApp();
  const t = fmt.t;
  return (
    <section class="panel" aria-labelledby="sub-title">
      <h2 id="sub-title">{t.subTargets}</h2>
      <TableWrap label={t.subTargets}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t.group}</th>
              <th scope="col" class="num">
                {t.total}
              </th>
              <th scope="col" class="num">
                {t.target}
              </th>
              <th scope="col" class="num">
                {t.percent}
              </th>
              <th scope="col">{t.deadline}</th>
              <th scope="col">{t.level}</th>
            </tr>
          </thead>
          <tbody>
            {p.subTargets.map((s) => (
              <tr key={s.group}>
                <th scope="row">{s.group}</th>
                <td class="num">{fmt.int(s.total)}</td>
                <td class="num">{fmt.int(s.target)}</td>
                <td class="num">{fmt.pct(s.percent)}</td>
                <td>{fmt.day(s.deadline)}</td>
                <td>
                  <LevelBadge level={s.risk.level} fmt={fmt} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </section>
  );
}

/** A section loaded only when opened (so the overview costs no request for it). */
function Lazy({
  title,
  open,
  id,
  children,
}: {
  title: string;
  open: boolean;
  id: string;
  children: () => preact.ComponentChildren;
}) {
  const [shown, setShown] = useState(open);
  return (
    <details
      class="panel"
      id={id}
      open={open}
      onToggle={(e) => setShown((e.target as HTMLDetailsElement).open)}
    >
      <summary>
        <h2>{title}</h2>
      </summary>
      {shown && children()}
    </details>
  );
}

function RiskHistory({
  campaignId,
  unitId,
  asOfIso,
}: {
  campaignId: string;
  unitId: string;
  asOfIso: string | undefined;
}) {
  const { api, fmt } = useApp();
  const tz = useTimeZone(campaignId);
  const state = useAsync(() => api.riskHistory(campaignId, unitId, asOfIso), [campaignId, unitId, asOfIso]);
  const t = fmt.t;
  if (!state.data) return <Status state={state} />;
  if (state.data.changes.length === 0) return <p class="muted">{t.noRiskHistory}</p>;
  return (
    <ol class="timeline">
      {[...state.data.changes].reverse().map((c) => (
        <li key={c.at}>
          <time dateTime={c.at}>{fmt.dateTime(c.at, tz)}</time>{' '}
          {c.from && (
            <>
              <LevelBadge level={c.from} fmt={fmt} /> →{' '}
            </>
          )}
          <LevelBadge level={c.to} fmt={fmt} />
        </li>
      ))}
    </ol>
  );
}

function Alerts({ campaignId, unitId }: { campaignId: string; unitId: string }) {
  const { api, fmt } = useApp();
  const tz = useTimeZone(campaignId);
  const state = useAsync(() => api.alerts(campaignId, unitId), [campaignId, unitId]);
  const [ackError, setAckError] = useState<string | null>(null);
  const t = fmt.t;
  if (state.data === undefined) return <Status state={state} />;
  if (state.data === null) return <p class="muted">{t.alertsUnavailable}</p>;
  const acknowledge = async (e: Event) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const note = (form.elements.namedItem('note') as HTMLInputElement | null)?.value.trim() ?? '';
    try {
      await api.acknowledge(campaignId, unitId, note.length > 0 ? { note } : {});
      form.reset();
      setAckError(null);
      state.reload();
    } catch (error) {
      setAckError(error instanceof Error ? error.message : String(error));
    }
  };
  const ackForm = (
    <form class="ack" onSubmit={acknowledge}>
      <label>
        {t.ackNote} <input name="note" maxLength={200} />
      </label>
      <button type="submit">{t.acknowledge}</button>
      {ackError && (
        <p class="error" role="alert">
          {ackError}
        </p>
      )}
    </form>
  );
  if (state.data.alerts.length === 0)
    return (
      <>
        <p class="muted">{t.noAlerts}</p>
        {ackForm}
      </>
    );
  return (
    <>
      {ackForm}
      <ul class="alerts">
        {[...state.data.alerts].reverse().map((a, i) => (
          <li key={`${a.at}-${i}`} class="alert-item">
            <div class="alert-meta">
              <time dateTime={a.at}>{fmt.dateTime(a.at, tz)}</time>
              <span class="tag">{t.alertKinds[a.kind] ?? a.kind}</span>
              {a.severity && a.severity in t.levels && (
                <LevelBadge level={a.severity as keyof typeof t.levels} fmt={fmt} />
              )}
              {a.channel && <span class="tag">{t.channels[a.channel] ?? a.channel}</span>}
              {a.recipient && (
                <span>
                  {a.recipient.name} <span class="muted">{a.recipient.endpoint}</span>
                </span>
              )}
              {a.by && <span class="muted">{a.by}</span>}
            </div>
            {a.subject && <strong>{a.subject}</strong>}
            {(a.body ?? a.note) && <p class="alert-body">{a.body ?? a.note}</p>}
          </li>
        ))}
      </ul>
    </>
  );
}

function Reports({ campaignId, unitId }: { campaignId: string; unitId: string }) {
  const { api, fmt } = useApp();
  const tz = useTimeZone(campaignId);
  const state = useAsync(() => api.reports(campaignId, unitId), [campaignId, unitId]);
  const t = fmt.t;
  const own = state.data?.reports.filter((r) => r.unitId === unitId) ?? [];
  if (!state.data) return <Status state={state} />;
  if (own.length === 0) return <p class="muted">{t.noReports}</p>;
  const download = async (reportId: string) => {
    const blob = await api.reportCsv(campaignId, reportId, fmt.lang);
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = `${fmt.lang === 'vi' ? 'bao-cao' : 'report'}-${reportId.replace(':', '-')}.csv`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  return (
    <TableWrap label={t.reports}>
      <table>
        <thead>
          <tr>
            <th scope="col">{t.period}</th>
            <th scope="col" class="num">
              {t.percent}
            </th>
            <th scope="col">{t.level}</th>
            <th scope="col">{t.when}</th>
            <th scope="col">CSV</th>
          </tr>
        </thead>
        <tbody>
          {[...own].reverse().map((r) => (
            <tr key={r.reportId}>
              <th scope="row">
                {r.period.kind === 'final' ? t.finalReport : t.week(r.reportId.split(':')[1] ?? '')}
              </th>
              <td class="num">{fmt.pct(r.atEnd.percent)}</td>
              <td>
                <LevelBadge level={r.atEnd.level} fmt={fmt} />
              </td>
              <td>{fmt.dateTime(r.generatedAt, tz)}</td>
              <td>
                <button type="button" class="link-button" onClick={() => void download(r.reportId)}>
                  {t.downloadCsv}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

/** Who corrected which figure of this unit (or below it), when and why: newest first. */
/**
 * A merged unit's page keeps its past; it says where the unit went, by name when the caller may read
 * the successor (a commune's officer may not: then its code).
 */
function MergedNotice({ campaignId, successor }: { campaignId: string; successor: string }) {
  const { api, fmt, asOf } = useApp();
  const next = useAsync(() => api.progress(campaignId, successor).catch(() => null), [campaignId, successor]);
  const t = fmt.t;
  return (
    <p class="notice" role="status" data-testid="merged">
      {t.mergedInto}{' '}
      <Link href={hrefOf({ page: 'unit', campaignId, unitId: successor }, asOf)}>
        {next.data?.unit.name ?? successor}
      </Link>
      . {t.mergedPast}
    </p>
  );
}

function Corrections({ campaignId, unitId }: { campaignId: string; unitId: string }) {
  const { api, fmt } = useApp();
  const tz = useTimeZone(campaignId);
  const state = useAsync(() => api.corrections(campaignId, unitId), [campaignId, unitId]);
  const t = fmt.t;
  if (!state.data) return <Status state={state} />;
  if (state.data.corrections.length === 0) return <p class="muted">{t.noCorrections}</p>;
  return (
    <TableWrap label={t.corrections}>
      <table>
        <thead>
          <tr>
            <th scope="col">{t.when}</th>
            <th scope="col">{t.unit}</th>
            <th scope="col">{t.correctedDay}</th>
            <th scope="col" class="num">
              {t.correctionChange}
            </th>
            <th scope="col">{t.reason}</th>
            <th scope="col">{t.correctedBy}</th>
          </tr>
        </thead>
        <tbody>
          {[...state.data.corrections].reverse().map((c) => (
            <tr key={c.eventId}>
              <th scope="row">{fmt.dateTime(c.receivedAt, tz)}</th>
              <td>{c.unitId}</td>
              <td>{fmt.day(c.day)}</td>
              <td class="num">
                {c.from === null ? '…' : fmt.int(c.from)} → {fmt.int(c.to)}
              </td>
              <td>{c.reason}</td>
              <td>{c.sub}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

function Breadcrumbs({ campaignId, unitId, isTop }: { campaignId: string; unitId: string; isTop: boolean }) {
  const { api, fmt, claims, asOf } = useApp();
  const granted = grantedIn(claims, campaignId);
  const found = useAsync(
    () =>
      isTop
        ? Promise.resolve(null)
        : api.search(campaignId, unitId, 50).then((r) => r.units.find((u) => u.id === unitId) ?? null),
    [campaignId, unitId, isTop],
  );
  const u = found.data;
  if (!u) return <nav aria-label="breadcrumb" class="crumbs" />;
  // From the caller's top unit down: links above it would only be refused.
  const ids = u.ancestorIds;
  const first =
    granted === 'all'
      ? 0
      : Math.max(
          0,
          ids.findIndex((id) => granted.includes(id)),
        );
  const crumbs = ids.map((id, i) => ({ id, name: u.path[i] ?? id })).slice(first);
  return (
    <nav aria-label="breadcrumb" class="crumbs">
      <ol>
        {crumbs.map((c) => (
          <li key={c.id}>
            <Link href={hrefOf({ page: 'unit', campaignId, unitId: c.id }, asOf)}>{c.name}</Link>
          </li>
        ))}
        <li aria-current="page">{u.name}</li>
      </ol>
      <span class="sr-only">{fmt.t.unit}</span>
    </nav>
  );
}
