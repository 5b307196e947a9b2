import { Logger } from '@aws-lambda-powertools/logger';
import { currentEnv } from '../config/env.js';

/**
 * One structured logger per function (Powertools). Never log tokens or whole bodies:
 * log ids, counts and outcomes.
 */
export function createLogger(serviceName: string): Logger {
  return new Logger({ serviceName: currentEnv().POWERTOOLS_SERVICE_NAME ?? serviceName });
}
