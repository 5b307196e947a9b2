import { Logger } from '@aws-lambda-powertools/logger';
import { lazyInstance } from '../util/lazy.js';

/**
 * One structured logger per function (Powertools). Never log tokens or whole bodies:
 * log ids, counts and outcomes.
 *
 * The logger is constructed at its first use, not when the module loads: constructing a Powertools
 * Logger takes 3–5 ms, a measurable share of a cold start (bench: the coldstart rows). It reads the
 * environment then, which in Lambda is the same environment as at load.
 */
export function createLogger(serviceName: string): Logger {
  return lazyInstance(() => new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? serviceName }));
}
