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
  it('monthly-recheck.yml: schedule, the last KEEP scans carried as an artifact, diff and history to the summary, fail on U.S. last', () => {
    const src = text('examples/github-actions/monthly-recheck.yml');
    const wf = parse(src) as Workflow & { env: { KEEP: number } };
    expect(Object.keys(wf.on).sort()).toEqual(['schedule', 'workflow_dispatch']);
    expect(wf.env.KEEP).toBeGreaterThan(1);
    const steps = wf.jobs.recheck!.steps;
    const runs = steps.map((s) => s.run ?? '').join('\n').replace(/\s*\\\n\s*/g, ' ');
    expect(runs).toMatch(/gh run download .*--name whoserves-results --dir results/);
    // A run that failed on the diff still uploaded its Results: they must become the baseline.
    expect(runs).not.toContain('--status success');
    expect(runs).toContain('whoserves scan list.csv --format json --meta -o "$file"');
    expect(runs).toContain('file="results/$(date -u +%Y-%m-%d).json"');
    expect(runs).toContain('head -n -"$KEEP" | xargs -r rm --');
    expect(runs).toMatch(/whoserves diff "\$\{\{ steps\.previous\.outputs\.latest \}\}" "\$\{\{ steps\.scan\.outputs\.file \}\}" --format markdown --fail-on us/);
    expect(runs).toContain('whoserves history results --format markdown -o history.md');
    expect(runs).toContain('whoserves history results --format html -o history.html');
    expect(runs).toContain('GITHUB_STEP_SUMMARY');
    const index = (pred: (s: Step) => boolean) => steps.findIndex(pred);
    const scan = index((s) => Boolean(s.run?.includes('whoserves scan')));
    const prune = index((s) => Boolean(s.run?.includes('head -n -')));
    const upload = index((s) => s.with?.name === 'whoserves-results');
    const diff = index((s) => Boolean(s.run?.includes('whoserves diff')));
    const history = index((s) => Boolean(s.run?.includes('whoserves history')));
    const publish = index((s) => s.with?.name === 'whoserves-history');
    const fail = steps.length - 1;
    // Scan, keep the last KEEP, upload (the new baseline is kept even when the diff fails the job),
    // then diff, history, publish; the job fails only at the end, after the history is out.
    expect([scan, prune, upload, diff, history, publish, fail]).toEqual([...[scan, prune, upload, diff, history, publish, fail]].sort((a, b) => a - b));
    expect(new Set([scan, prune, upload, diff, history, publish, fail]).size).toBe(7);
    expect(steps[upload]!.with?.path).toBe('results/');
    expect(steps[fail]!.run).toContain('exit "${{ steps.diff.outputs.code }}"');
    expect(steps[fail]!.if).toContain('steps.diff.outputs.code');
    expect(checkFlags(src)).toBe(5);
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

  it('never runs `npx whoserves` (an unpublished npm name): each installs a pinned commit first', () => {
    for (const file of ['examples/github-actions/monthly-recheck.yml', 'examples/github-actions/sharded-scan.yml', 'examples/kubernetes/indexed-job.yaml', 'examples/kubernetes/merge-job.yaml']) {
      const src = text(file);
      const code = src.replace(/^\s*#.*$/gm, '');
      expect(code, file).not.toMatch(/npx\b[^\n]*whoserves/);
      expect(src, file).toContain('github:OWNER/whoserves#COMMIT_SHA');
      expect(code, file).toMatch(/npm install --global (--no-fund --no-audit )?"\$WHOSERVES_PACKAGE"/);
      const install = src.indexOf('npm install --global');
      expect(install, file).toBeGreaterThan(0);
      // Installed before the first command uses it.
      expect(install, file).toBeLessThan(src.search(/^\s+(run: )?whoserves \w/m));
    }
  });
});
