/**
 * `npm start [-- --port 3000] [--fresh] [--no-schedules] [--no-demo]`: the whole system on this machine,
 * with the dashboard at `/` and (unless --no-demo) a living demo campaign and a sign-in link for its leader.
 * Prints what runs and how to get a token, then `ready http://127.0.0.1:<port>`; Ctrl-C stops
 * everything (DynamoDB Local included).
 */
import { parseArguments } from './arguments.js';
import { readyLines } from './banner.js';
import { localPaths } from './paths.js';
import { startLocalSystem } from './runtime.js';

const USAGE = 'usage: npm start [-- --port <n>] [--fresh] [--no-schedules] [--no-demo]';

async function main(): Promise<void> {
  const parsed = parseArguments(
    process.argv.slice(2),
    { strings: ['port'], flags: ['fresh', 'no-schedules', 'no-demo', 'help'], short: { help: 'h' } },
    USAGE,
  );
  if (!parsed) process.exit(2);
  const { values } = parsed;
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = values.port === undefined ? 3000 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be a port number, not "${values.port}"\n${USAGE}`);
    process.exit(2);
  }

  const paths = localPaths();
  console.log(`quota-campaign local mode (data in ${paths.dir}${values.fresh ? ', starting fresh' : ''})`);
  const started = Date.now();
  const system = await startLocalSystem({
    port,
    fresh: values.fresh ?? false,
    schedules: !values['no-schedules'],
    demo: !values['no-demo'],
    buildDashboard: true,
    // --no-demo starts empty: no campaign at all.
    ...(values['no-demo'] && { loadDemo: false }),
    paths,
    log: (line) => console.error(line),
  });

  // A terminal's Ctrl-C reaches both npm/tsx and this process, and tsx relays it once more:
  // signals within 2 s of the first are that same Ctrl-C; a later one forces the exit.
  let stoppingSince = 0;
  const shutdown = (signal: string) => {
    if (stoppingSince > 0) {
      if (Date.now() - stoppingSince < 2000) return;
      console.error('forced exit');
      process.exit(1);
    }
    stoppingSince = Date.now();
    console.log(`\n${signal}: stopping (DynamoDB Local, gateway)…`);
    system.stop().then(
      () => {
        console.log('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        console.error(`stop failed: ${String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGHUP', () => shutdown('SIGHUP'));

  for (const line of readyLines({
    url: system.url,
    dynamoEndpoint: system.descriptor.dynamoEndpoint,
    tables: Object.values(system.descriptor.tables),
    notes: system.notes,
    signInLink: system.signInLink,
    startedSeconds: (Date.now() - started) / 1000,
  }))
    console.log(line);
}

main().catch((error: unknown) => {
  console.error(`npm start failed: ${(error as Error).message}`);
  process.exit(1);
});
