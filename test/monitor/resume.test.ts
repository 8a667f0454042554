import { afterAll, describe, expect, it } from 'vitest';
import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ResumeLog } from '../../src/monitor/resume.js';
import { toNdjsonLine } from '../../src/report/json.js';
import { attr, result } from './fixtures.js';

const dir = await mkdtemp(path.join(tmpdir(), 'whoserves-resume-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

const rows = Array.from({ length: 150 }, (_, i) => result(`d${i}.example`, { cdn: [attr('amazon', 'US')] }));

describe('ResumeLog', () => {
  it('starts empty on a new file and persists every appended row (batches of 64 and the tail)', async () => {
    const file = path.join(dir, 'fresh.ndjson');
    const log = await ResumeLog.open(file);
    expect(log.done.size).toBe(0);
    for (const r of rows) await log.append(r);
    await log.close();
    const text = await readFile(file, 'utf8');
    expect(text).toBe(rows.map(toNdjsonLine).join(''));
  });

  it('after a crash mid-write: drops the torn line, truncates, resumes without dup or loss', async () => {
    const file = path.join(dir, 'crash.ndjson');
    const log = await ResumeLog.open(file);
    for (const r of rows.slice(0, 40)) await log.append(r);
    await log.close();
    // Simulate a kill during the 41st write: half of its line, no newline.
    const torn = toNdjsonLine(rows[40]);
    await appendFile(file, torn.slice(0, Math.floor(torn.length / 2)));

    const again = await ResumeLog.open(file);
    expect(again.warnings.join()).toMatch(/crash\.ndjson:41: dropped a half-written last line/);
    expect(again.previous.map((r) => r.domain)).toEqual(rows.slice(0, 40).map((r) => r.domain));
    for (const r of rows) if (!again.done.has(r.domain)) await again.append(r);
    await again.close();

    expect(await readFile(file, 'utf8')).toBe(rows.map(toNdjsonLine).join(''));
    const third = await ResumeLog.open(file);
    expect(third.done.size).toBe(rows.length);
    expect(third.warnings).toEqual([]);
    await third.close();
  });

  it('rows appended without close() reach the disk within the batch delay', async () => {
    const file = path.join(dir, 'timer.ndjson');
    const log = await ResumeLog.open(file);
    await log.append(rows[0]!);
    await new Promise((r) => setTimeout(r, 200));
    expect(await readFile(file, 'utf8')).toBe(toNdjsonLine(rows[0]));
    await log.close();
  });

  it('rejects a corrupt line in the middle, naming FILE:LINE', async () => {
    const file = path.join(dir, 'corrupt.ndjson');
    await writeFile(file, toNdjsonLine(rows[0]) + 'garbage\n' + toNdjsonLine(rows[1]));
    await expect(ResumeLog.open(file)).rejects.toThrow(/corrupt\.ndjson:2: not valid JSON.*--resume-repair/);
  });

  it('reading a log changes nothing: a torn last line is cut only by begin()', async () => {
    const file = path.join(dir, 'read-only.ndjson');
    const text = toNdjsonLine(rows[0]) + toNdjsonLine(rows[1]).slice(0, 30);
    await writeFile(file, text);
    const log = await ResumeLog.read(file);
    expect(log.done.size).toBe(1);
    expect(await readFile(file, 'utf8')).toBe(text);
    await log.begin();
    await log.close();
    expect(await readFile(file, 'utf8')).toBe(toNdjsonLine(rows[0]));
  });
});

describe('ResumeLog with repair (--resume-repair)', () => {
  it('keeps every valid line, drops corrupt middle lines with a warning each, and redoes their domains', async () => {
    const file = path.join(dir, 'repair.ndjson');
    const good = rows.slice(0, 5).map(toNdjsonLine);
    // Line 2 is garbage, line 4 a Result without services, line 6 a torn tail.
    await writeFile(file, good[0]! + 'garbage\n' + good[1]! + '{"domain":"d3.example"}\n' + good[2]! + good[3]!.slice(0, 20));
    const log = await ResumeLog.open(file, { repair: true });
    expect(log.previous.map((r) => r.domain)).toEqual(['d0.example', 'd1.example', 'd2.example']);
    expect(log.warnings).toEqual([
      expect.stringMatching(/repair\.ndjson:2: not valid JSON: dropped/),
      expect.stringMatching(/repair\.ndjson:4: .*services.*: dropped/),
      expect.stringMatching(/repair\.ndjson:6: dropped a half-written last line/),
    ]);
    // The log now holds the valid lines only, byte for byte, and appends after them.
    expect(await readFile(file, 'utf8')).toBe(good[0]! + good[1]! + good[2]!);
    for (const r of rows.slice(0, 5)) if (!log.done.has(r.domain)) await log.append(r);
    await log.close();
    expect(await readFile(file, 'utf8')).toBe(good[0]! + good[1]! + good[2]! + good[3]! + good[4]!);
    // A second run reads it cleanly, without repair.
    const again = await ResumeLog.open(file);
    expect([again.done.size, again.warnings]).toEqual([5, []]);
    await again.close();
  });

  it('leaves a file with no valid line alone: it is not a resume log', async () => {
    const file = path.join(dir, 'not-a-log.txt');
    await writeFile(file, 'example.com\nexample.org\n');
    await expect(ResumeLog.open(file, { repair: true })).rejects.toThrow(/no valid line.*not repaired/);
    expect(await readFile(file, 'utf8')).toBe('example.com\nexample.org\n');
  });
});
