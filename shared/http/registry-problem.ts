import { RegistryError } from '../store/recipient-store.js';
import { HttpProblem } from './problem.js';

/** Runs a registry call (recipients, silences), turning its refusals into problem+json. */
export async function orProblem<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof RegistryError) throw new HttpProblem(error.problem);
    throw error;
  }
}
