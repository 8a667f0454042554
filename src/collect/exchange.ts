// One GET over an undici Client, through its dispatch handler rather than `client.request()`:
// the response head arrives as a callback, and a body without content coding goes straight into
// a list of chunks under the cap, with no stream, pipeline, AbortSignal or error object on the way.
// A coded body still goes through readBody's decoders. undici's llhttp parser and its limits are
// the same either way. Nothing here throws: outcomes are values.
import { Readable } from 'node:stream';
import type { Client, Dispatcher } from 'undici';
import { readBody, type BodyRead } from './body.js';

export type Head = { status: number; raw: Buffer[] } | { error: unknown } | { interrupted: true };

/** The error every abort of ours carries: made once, so an abort costs no stack trace. */
export const ABORTED = Object.assign(new Error('request abandoned'), { code: 'WHOSERVES_ABORTED' });

export class GetExchange implements Dispatcher.DispatchHandler {
  private abortRequest: ((err: Error) => void) | undefined;
  private headDone: ((h: Head) => void) | undefined;
  private bodyDone: ((r: BodyRead) => void) | undefined;
  /** Identity body: chunks kept so far (at most maxBody bytes). */
  private chunks: Buffer[] = [];
  private size = 0;
  private tooLarge = false;
  /** Coded body: the stream readBody decodes. */
  private stream: Readable | undefined;
  private resume: (() => void) | undefined;
  private ended = false;
  private failure: unknown;
  private hasFailed = false;
  private interrupted = false;
  private maxBody = 0;
  private wantsBody = false;

  /** Sends the request; `head()` then resolves with the status and raw headers, or what went wrong. */
  constructor(client: Client, opts: Dispatcher.DispatchOptions) {
    client.dispatch(opts, this);
  }

  head(): Promise<Head> {
    if (this.interrupted) return Promise.resolve({ interrupted: true });
    if (this.hasFailed) return Promise.resolve({ error: this.failure });
    return new Promise((resolve) => (this.headDone = resolve));
  }

  /**
   * The body after head(): kept up to maxBody bytes after decoding (`contentEncoding` as the
   * response said). A failure mid-body (or an interrupt) ends it with what arrived.
   */
  body(contentEncoding: string | undefined, maxBody: number): Promise<BodyRead> {
    this.maxBody = maxBody;
    if (contentEncoding !== undefined && contentEncoding.trim() !== '') {
      // Coded: a stream, as undici's own body is, with its backpressure.
      const s = new Readable({ read: () => this.resume?.() });
      for (const c of this.chunks) s.push(c);
      this.chunks = [];
      this.stream = s;
      if (this.ended) s.push(null);
      else if (this.hasFailed) s.destroy(this.failure as Error);
      else if (this.interrupted) s.destroy(ABORTED);
      return readBody(s, contentEncoding, maxBody);
    }
    this.wantsBody = true;
    this.take([]);
    if (this.ended || this.hasFailed || this.interrupted || this.tooLarge) return Promise.resolve(this.identityResult());
    return new Promise((resolve) => (this.bodyDone = resolve));
  }

  /** Stop now (timeout, deadline, or done with it): whoever waits hears it at once. */
  interrupt(): void {
    if (this.interrupted) return;
    this.interrupted = true;
    this.abortRequest?.(ABORTED);
    this.headDone?.({ interrupted: true });
    this.headDone = undefined;
    this.stream?.destroy(ABORTED);
    this.finishBody();
  }

  // undici's handler interface ------------------------------------------------------------

  onConnect(abort: (err?: Error) => void): void {
    this.abortRequest = abort;
    if (this.interrupted) abort(ABORTED);
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void): boolean {
    // 1xx: informational, the real head follows (as undici's request() does).
    if (statusCode < 200) return true;
    this.resume = resume;
    this.headDone?.({ status: statusCode, raw: rawHeaders });
    this.headDone = undefined;
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.interrupted) return true;
    if (this.stream) return this.stream.push(chunk);
    this.take([chunk]);
    return true;
  }

  onComplete(): void {
    this.ended = true;
    this.stream?.push(null);
    this.finishBody();
  }

  onError(err: Error): void {
    if (this.hasFailed) return;
    this.hasFailed = true;
    this.failure = err;
    this.headDone?.({ error: err });
    this.headDone = undefined;
    this.stream?.destroy(err);
    this.finishBody();
  }

  // ---------------------------------------------------------------------------------------

  /** Keeps identity chunks within maxBody (before body() is called, everything that came). */
  private take(more: Buffer[]): void {
    if (!this.wantsBody) {
      for (const c of more) this.chunks.push(c);
      return;
    }
    // Chunks that came before body() was called are counted now.
    const all = this.size === 0 && this.chunks.length > 0 ? [...this.chunks.splice(0), ...more] : more;
    for (const chunk of all) {
      if (this.tooLarge) return;
      const room = this.maxBody - this.size;
      if (chunk.length > room) {
        if (room > 0) this.chunks.push(chunk.subarray(0, room));
        this.size = this.maxBody;
        this.tooLarge = true;
        this.abortRequest?.(ABORTED);
        this.finishBody();
        return;
      }
      this.chunks.push(chunk);
      this.size += chunk.length;
    }
  }

  private finishBody(): void {
    const done = this.bodyDone;
    if (!done) return;
    this.bodyDone = undefined;
    done(this.identityResult());
  }

  private identityResult(): BodyRead {
    const r: BodyRead = { body: Buffer.concat(this.chunks, this.size), tooLarge: this.tooLarge };
    // As readBody: the cap wins over whatever ended the stream after it.
    if (!this.tooLarge && !this.ended) {
      if (this.hasFailed) r.streamError = this.failure;
      else if (this.interrupted) r.streamError = ABORTED;
    }
    return r;
  }
}
