// A refused world: `FILE: path.to.field: reason`, never a stack trace.
import { InputError } from '../errors.js';

export class WorldError extends InputError {
  override name = 'WorldError';
  constructor(
    readonly file: string,
    readonly field: string,
    readonly reason: string,
  ) {
    super('WORLD', `${file}: ${field}: ${reason}`);
  }
}
