// The stages stay visible and ordered: input → collect → classify → report, with vendors, world
// and monitor beside them and cli on top. Nothing below src/cli imports from it; the pure
// classifier never reaches the network code; collect never renders. Read from the import lines.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromRoot } from '../../src/paths.js';

const SRC = fromRoot('src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** The top-level folder of src/ a file is in ('' for src/*.ts). */
const stage = (file: string): string => {
  const rel = path.relative(SRC, file).split(path.sep);
  return rel.length > 1 ? rel[0]! : '';
};

const edges: { from: string; to: string; file: string }[] = [];
for (const file of files(SRC)) {
  for (const m of readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)[^'"]*from\s+'(\.{1,2}\/[^']+)'/gm)) {
    const target = path.resolve(path.dirname(file), m[1]!);
    edges.push({ from: stage(file), to: stage(target), file: path.relative(SRC, file) });
  }
}

/** What each stage may import besides itself and the shared root files (types, errors, paths). */
const ALLOWED: Record<string, string[]> = {
  input: [],
  vendors: [],
  collect: ['input'],
  classify: ['vendors'],
  report: ['vendors'],
  eval: ['report'],
  monitor: ['report', 'input', 'classify', 'vendors', 'eval'],
  world: ['vendors', 'collect'], // the IP parsing of collect/asn, for Cymru answers
  cli: ['input', 'collect', 'classify', 'vendors', 'report', 'world', 'monitor', 'eval'],
};

describe('layering', () => {
  it('reads a meaningful number of imports', () => {
    expect(edges.length).toBeGreaterThan(100);
  });

  it('nothing below src/cli imports from it', () => {
    expect(edges.filter((e) => e.to === 'cli' && e.from !== 'cli').map((e) => e.file)).toEqual([]);
  });

  it('each stage imports only what lies below it', () => {
    const bad = edges.filter((e) => e.to !== e.from && e.to !== '' && !(ALLOWED[e.from] ?? []).includes(e.to)).map((e) => `${e.file} → ${e.to}`);
    expect([...new Set(bad)]).toEqual([]);
  });
});
