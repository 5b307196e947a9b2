/**
 * The environment the function modules read when they load (imported first by bench/run.ts, so it
 * is in place before any section imports a function). The handlers are driven with in-memory fakes:
 * these names only satisfy the modules' start-up checks. Logs and EMF metrics are off so that the
 * CPU figures measure the handlers, not console output.
 */
const defaults: Record<string, string> = {
  CAMPAIGN_TABLE: 'Campaign-bench',
  INTAKE_EVENTS_TABLE: 'IntakeEvents-bench',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  POWERTOOLS_METRICS_DISABLED: 'true',
  AWS_REGION: 'us-east-1',
};
for (const [name, value] of Object.entries(defaults)) process.env[name] ??= value;
