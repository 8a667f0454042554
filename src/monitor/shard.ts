// --shard K/N: a deterministic 1/N slice of the input, by a hash of the domain, so every
// runner of a CI matrix or Indexed Job picks the same slice on every run and machine.
import { createHash } from 'node:crypto';
import { UsageError } from '../errors.js';

export interface Shard {
  /** 1-based index of this shard. */
  k: number;
  /** Number of shards. */
  n: number;
}

/** Bounds N so a typo (a timestamp, say) is caught rather than scanning nothing. */
const MAX_SHARDS = 10_000;

export function parseShard(s: string): Shard {
  const m = /^\s*(\d{1,6})\s*\/\s*(\d{1,6})\s*$/.exec(s);
  if (!m?.[1] || !m[2]) throw new UsageError(`--shard: expected K/N (e.g. 2/8: the second of 8 shards), got '${s}'`);
  const k = Number(m[1]);
  const n = Number(m[2]);
  if (n < 1 || n > MAX_SHARDS) throw new UsageError(`--shard: N must be 1..${MAX_SHARDS}, got ${n}`);
  if (k < 1 || k > n) throw new UsageError(`--shard: K must be 1..${n} (shards are numbered from 1), got ${k}`);
  return { k, n };
}

/** Which shard (1..n) a domain belongs to: SHA-1 of the lowercase domain, first 32 bits, mod n. */
export function shardOf(domain: string, n: number): number {
  const digest = createHash('sha1').update(domain.toLowerCase(), 'utf8').digest();
  return (digest.readUInt32BE(0) % n) + 1;
}

export function inShard(domain: string, shard: Shard): boolean {
  return shardOf(domain, shard.n) === shard.k;
}
