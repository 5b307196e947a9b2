/**
 * The alert policy (docs/ARCHITECTURE.md §4), without I/O: what leaders receive after each risk evaluation.
 *
 * CONTRACT (shared by the risk job and the renderer): the config, evaluation, state and silence
 * shapes in ./alert-policy/types.ts. Pure; messages are rendered by alert-messages.ts. Each concern
 * has its module under ./alert-policy/:
 *
 * - types.ts: the configuration and its defaults, evaluations, states, silences, acknowledgements,
 *   changes and notifications.
 * - levels.ts: alerting classes and the severity order of levels.
 * - step.ts: one unit's (or sub-target's) episode: streaks, alerts, resolved notices, repeats,
 *   silence summaries and escalations; timing.ts: the repeat back-off and the escalation delay.
 * - mutes.ts: silences (who is muted) and acknowledgements (whose repeats are paused).
 * - digest.ts: the grouping of a run's changes into one notification per scope unit, inhibition.
 * - apply.ts: one run (applyPolicy); quiet-hours.ts: when an SMS may go out (smsReleaseTime).
 */

// ---------------------------------------------------------------------------------------------
// The policy
//
// Decisions (where docs/ARCHITECTURE.md §4 leaves a choice):
// - Levels fall into alerting classes: `at_risk`; `critical` and `missed` (critical-final: it
//   alerts, inhibits and escalates like critical, but never repeats, since no pace can mend a
//   passed deadline); `on_track` and `done` (ok: a recovery); `no_data` (unknown: it neither
//   raises nor resolves anything and holds whatever leaders were last told).
// - `streak` counts consecutive evaluations in the same class, so on_track → done is no change.
//   A class must hold `for` evaluations before leaders hear of it (alert, or resolved when they had
//   been alerted); a shorter dip is never sent.
// - An unchanged critical repeats with a back-off: the n-th repeat once `repeatBackoffDays[n]`
//   days (the last value for every later one) have passed since leaders were last told, less
//   REPEAT_TOLERANCE for a schedule that fires a little early or late. A worse level alerts as soon
//   as it holds `for` evaluations and restarts the back-off; so does a silence's end.
// - Acknowledgements pause repeats (of the unit and of its sub-targets) while one holds (made at or
//   before the evaluation, not yet at `until`, not withdrawn) and leaders have not been told of a
//   worse level since it was made. Alerts, resolved notices and escalations still go.
// - `criticalSince` starts at the first critical evaluation and ends only when a recovery holds
//   `for` evaluations (a one-evaluation dip does not restart the escalation clock). A unit whose
//   leaders have been told it is critical, critical for `escalateAfterDays`, appears once per
//   spell in its parent's notification (`escalations`). Escalations are not inhibited: they are
//   the one per-child detail a critical parent still gets.
// - Inhibition: when the scope unit's leaders know it is critical (told now or before), its
//   notification carries no per-child changes (`children` empty) and no sub-target `at_risk`
//   alert; counts are still given, and a notification that would carry nothing else is not sent.
// - Sub-targets (a population group's own target and deadline) go through the same steps, each
//   with its own state; their changes travel in their unit's notification (`groups`), their
//   escalations to the parent like a unit's. They are not part of the parent's digest.
// - Silences mute, they do not postpone. An active silence (asOf < until) on a unit or an ancestor
//   mutes the unit and its sub-targets: nothing about them goes to their leaders or into the
//   parent's digest; streaks and critical spells still advance, leaders are recorded as told
//   nothing, and an escalation falling due is consumed. The state keeps when the mute began, the
//   level then and the worst level meanwhile. At the first evaluation after it, the leaders get one
//   summary (kind 'summary': the level then and now, the worst meanwhile) instead of any replay,
//   and they count as told the level now (the back-off starts again). A child's summary joins its
//   parent's notification only when the parent was muted too (it has its own summary then).
//   `campaignId` is the caller's filter.
// - Idempotence: a unit whose lastEvaluatedAt is at or after asOf is left exactly as it is.
// - Evaluations must be of units the hierarchy knows (an unknown one throws InvalidHierarchyError).

export { applyPolicy } from './alert-policy/apply.js';
export { type AlertClass, alertClassOf, LEVEL_SEVERITY } from './alert-policy/levels.js';
export { smsReleaseTime } from './alert-policy/quiet-hours.js';
export { REPEAT_TOLERANCE_MS, repeatGapDays } from './alert-policy/timing.js';
export {
  type Acknowledgement,
  type AlertPolicyConfig,
  type AlertState,
  DEFAULT_ALERT_POLICY,
  type Notification,
  type PolicyInput,
  type PolicyResult,
  type Silence,
  type SubTargetEvaluation,
  subTargetStateKey,
  type UnitChange,
  type UnitEvaluation,
} from './alert-policy/types.js';
