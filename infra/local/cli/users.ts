/** `npm run users -- add|list|disable|enable|remove …` (infra/local/cli/identity.ts). */
import { runUsersCli } from './identity.js';

process.exitCode = await runUsersCli(process.argv.slice(2));
