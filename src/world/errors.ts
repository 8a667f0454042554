// A refused world: `FILE: path.to.field: reason`, never a stack trace.
export class WorldError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${file}: ${field}: ${reason}`);
    this.name = 'WorldError';
  }
}
