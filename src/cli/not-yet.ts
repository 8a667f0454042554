import { UsageError } from './errors.js';

/** Commands whose issue has not landed yet say so, plainly. */
export function notYet(command: string): never {
  throw new UsageError(`'${command}' is not yet available in this version`);
}
