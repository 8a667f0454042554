// JSON and NDJSON with a stable key order, so two scans of the same world are byte-identical.

/** Deep copy with object keys sorted (arrays keep their order: the producer sorts them). */
export function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = canonical(v);
    }
    return out;
  }
  return value;
}

// JSON.stringify escapes C0 controls but not DEL, C1 controls or bidi overrides, which a
// terminal may act on; escape them too (still valid JSON).
const UNSAFE = /[\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

function escapeUnsafe(json: string): string {
  return json.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function toJson(value: unknown): string {
  return escapeUnsafe(JSON.stringify(canonical(value), null, 2)) + '\n';
}

export function toNdjsonLine(value: unknown): string {
  return escapeUnsafe(JSON.stringify(canonical(value))) + '\n';
}
