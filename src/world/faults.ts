// Fault lookup. DNS faults apply to every name at or under their key; connection and HTTP
// faults to the site (host name) they are keyed by, or to every host under a zone key.
import type { FaultName, World } from './types.js';

export type FaultIndex = Map<string, FaultName[]>;

export function indexFaults(world: World): FaultIndex {
  const index: FaultIndex = new Map();
  for (const [key, value] of Object.entries(world.faults ?? {})) {
    const name = key.toLowerCase().replace(/\.$/, '');
    index.set(name, Array.isArray(value) ? [...value] : [value]);
  }
  return index;
}

/** Faults in force for a name: those keyed by the name itself or by any parent of it. */
export function faultsFor(index: FaultIndex, name: string): FaultName[] {
  if (index.size === 0) return [];
  const found: FaultName[] = [];
  let n = name.toLowerCase().replace(/\.$/, '');
  for (;;) {
    const f = index.get(n);
    if (f) found.push(...f);
    const dot = n.indexOf('.');
    if (dot < 0) break;
    n = n.slice(dot + 1);
  }
  return found;
}
