// The shipped CI examples parse as YAML, contain the steps they claim, and every
// `whoserves` command in them uses only flags the CLI defines.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse, parseAllDocuments } from 'yaml';
import { buildProgram } from '../../src/cli/main.js';
import { fromRoot } from '../../src/paths.js';

type Step = { name?: string; uses?: string; run?: string; if?: string; with?: Record<string, unknown> };
type Workflow = { on: Record<string, unknown>; jobs: Record<string, { steps: Step[]; needs?: string; strategy?: { matrix: { shard: number[] } } }> };

const text = (file: string) => readFileSync(fromRoot(file), 'utf8');

/** Every `whoserves CMD ...` invocation (shell line continuations joined). */
function invocations(source: string): { command: string; flags: string[] }[] {
  const joined = source.replace(/^\s*#.*$/gm, '').replace(/\s*\\\n\s*/g, ' ');
  return [...joined.matchAll(/whoserves (\w+)([^\n]*)/g)].map((m) => ({
    command: m[1]!,
    flags: [...(m[2] ?? '').matchAll(/(?:^|\s)(--?[a-z][a-z-]*)/g)].map((f) => f[1]!),
  }));
}

function checkFlags(source: string): number {
  const program = buildProgram();
  const found = invocations(source);
  for (const { command, flags } of found) {
    const cmd = program.commands.find((c) => c.name() === command);
    expect(cmd, `whoserves ${command}`).toBeDefined();
    const known = new Set(cmd!.options.flatMap((o) => [o.long, o.short]).filter(Boolean));
    for (const f of flags) expect(known.has(f), `whoserves ${command} ${f}`).toBe(true);
  }
  return found.length;
}

describe('examples', () => {
  it('monthly-recheck.yml: schedule, previous artifact, scan with meta, markdown diff to the summary, fail on U.S., upload', () => {
    const src = text('examples/github-actions/monthly-recheck.yml');
    const wf = parse(src) as Workflow;
    expect(Object.keys(wf.on).sort()).toEqual(['schedule', 'workflow_dispatch']);
    const steps = wf.jobs.recheck!.steps;
    const runs = steps.map((s) => s.run ?? '').join('\n').replace(/\s*\\\n\s*/g, ' ');
    expect(runs).toMatch(/gh run download .*--name whoserves-results/);
    // A run that failed on the diff still uploaded its Results: they must become the baseline.
    expect(runs).not.toContain('--status success');
    expect(runs).toContain('whoserves scan list.csv --format json --meta -o results.json');
    expect(runs).toMatch(/whoserves diff previous\/results\.json results\.json --format markdown --fail-on us/);
    expect(runs).toContain('GITHUB_STEP_SUMMARY');
    const upload = steps.findIndex((s) => s.uses?.startsWith('actions/upload-artifact'));
    const diff = steps.findIndex((s) => s.run?.includes('whoserves diff'));
    expect(upload).toBeGreaterThan(-1);
    expect(upload).toBeLessThan(diff); // the new baseline is kept even when the diff fails the job
    expect(steps[upload]!.with?.name).toBe('whoserves-results');
    expect(checkFlags(src)).toBe(2);
  });

  it('sharded-scan.yml: a matrix of --shard K/N scans, then a merge job', () => {
    const src = text('examples/github-actions/sharded-scan.yml');
    const wf = parse(src) as Workflow & { env: { SHARDS: number } };
    expect(wf.jobs.scan!.strategy!.matrix.shard).toEqual(Array.from({ length: wf.env.SHARDS }, (_, i) => i + 1));
    expect(wf.jobs.merge!.needs).toBe('scan');
    expect(src).toMatch(/--shard "\$\{\{ matrix\.shard \}\}\/\$SHARDS"/);
    expect(wf.jobs.merge!.steps.map((s) => s.run ?? '').join()).toContain('whoserves merge shards/results-*.json');
    expect(checkFlags(src)).toBe(2);
  });

  it('kubernetes: an Indexed Job mapping JOB_COMPLETION_INDEX to --shard, and a merge Job', () => {
    const src = text('examples/kubernetes/indexed-job.yaml');
    const docs = parseAllDocuments(src).map((d) => d.toJS() as { kind: string; spec: Record<string, unknown> });
    const job = docs.find((d) => d.kind === 'Job')!;
    expect(job.spec.completionMode).toBe('Indexed');
    expect(src).toContain('K=$((JOB_COMPLETION_INDEX + 1))');
    expect(src).toContain('--shard "$K/$SHARDS"');
    expect(src).toMatch(/value: "4"/);
    expect(job.spec.completions).toBe(4);
    expect(checkFlags(src)).toBe(1);
    const merge = text('examples/kubernetes/merge-job.yaml');
    expect((parse(merge) as { kind: string }).kind).toBe('Job');
    expect(checkFlags(merge)).toBe(1);
  });
});
