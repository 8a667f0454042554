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

// JSON.stringify escapes C0 controls but not DEL, C1 controls, line separators or format
// characters (bidi marks and overrides, U+061C, zero-width ones, tags), which a terminal or an
// editor may act on; escape them too (still valid JSON, the same strings once parsed).
const UNSAFE = /[\u007f-\u009f\u2028\u2029\p{Cf}]/gu;

function escapeUnsafe(json: string): string {
  // An astral character (a tag, U+E0001…) is two UTF-16 units: each gets its \u escape.
  return json.replace(UNSAFE, (c) => [...Array(c.length).keys()].map((i) => `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`).join(''));
}

export function toJson(value: unknown): string {
  return escapeUnsafe(JSON.stringify(canonical(value), null, 2)) + '\n';
}

export function toNdjsonLine(value: unknown): string {
  return escapeUnsafe(JSON.stringify(canonical(value))) + '\n';
}
