// ndjson streams in input order and keeps only what waits for an earlier domain: a 10,000-domain
// scan must not hold 10,000 Results (the soak's memory goal).
import { describe, expect, it } from 'vitest';
import { ResultSink, type Destination } from '../../src/report/output.js';
import { emptyServices, type Result } from '../../src/types.js';

function memory(): Destination & { text: string } {
  const d = { text: '', isTTY: false, async write(t: string) { d.text += t; }, async close() {} };
  return d;
}
const result = (i: number): Result => ({ domain: `d${i}.com`, input: { line: i + 1 }, status: 'ok', services: emptyServices(), errors: [] });

describe('ResultSink', () => {
  it('releases streamed ndjson rows and writes them in input order', async () => {
    const dest = memory();
    const sink = new ResultSink(dest, { format: 'ndjson', by: 'domain', color: false, width: 80 });
    sink.add(1, result(1));
    sink.add(2, result(2));
    expect(sink.held).toBe(2); // waiting for index 0
    sink.add(0, result(0));
    expect(sink.held).toBe(0);
    for (let i = 3; i < 1000; i++) sink.add(i, result(i));
    expect(sink.held).toBe(0);
    await sink.finish();
    const domains = dest.text.trim().split('\n').map((l) => (JSON.parse(l) as Result).domain);
    expect(domains).toEqual(Array.from({ length: 1000 }, (_, i) => `d${i}.com`));
  });

  it('after an interrupt, flushes what is done in order, gaps and all', async () => {
    const dest = memory();
    const sink = new ResultSink(dest, { format: 'ndjson', by: 'domain', color: false, width: 80 });
    sink.add(0, result(0));
    sink.add(3, result(3));
    sink.add(2, result(2));
    await sink.finish();
    expect(dest.text.trim().split('\n').map((l) => (JSON.parse(l) as Result).domain)).toEqual(['d0.com', 'd2.com', 'd3.com']);
  });

  it('keeps every result for formats rendered at the end', async () => {
    const dest = memory();
    const sink = new ResultSink(dest, { format: 'json', by: 'domain', color: false, width: 80 });
    for (let i = 0; i < 10; i++) sink.add(i, result(i));
    expect(sink.held).toBe(10);
    await sink.finish();
    expect(JSON.parse(dest.text)).toHaveLength(10);
  });
});
