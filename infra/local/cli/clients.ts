/** `npm run clients -- add|list|remove …` (infra/local/cli/identity.ts). */
import { runClientsCli } from './identity.js';

process.exitCode = await runClientsCli(process.argv.slice(2));
