// Every string from the network is untrusted. Nothing that could drive a terminal
// (ESC, BEL, C0/C1 controls, bidi overrides) or a spreadsheet (formulas) gets through.

// C0 controls except \t \n, DEL, C1 controls, bidi embeddings/overrides/isolates, line/para separators.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;
const CONTROL_OR_NEWLINE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

/** For terminal output: controls become U+FFFD-free visible escapes; tabs/newlines kept. */
export function sanitize(text: string): string {
  return text.replace(CONTROL, escapeChar);
}

/** For a single line (table cell, error message): newlines and tabs escaped as well. */
export function sanitizeLine(text: string): string {
  return text.replace(CONTROL_OR_NEWLINE, escapeChar);
}

function escapeChar(c: string): string {
  const code = c.codePointAt(0) ?? 0;
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Cap a string's length for display, marking the cut. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}
