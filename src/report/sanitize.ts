// Every string from the network is untrusted. Nothing that could drive a terminal
// (ESC, BEL, C0/C1 controls) or reorder or hide text (the whole Unicode Cf class: bidi marks,
// embeddings, overrides and isolates, U+061C, zero-width characters, tags) or a spreadsheet
// (formulas) gets through.

// C0 controls except \t \n, DEL, C1 controls, line/paragraph separators, and every format
// character (Cf: U+00AD, U+061C, U+200B-U+200F, U+202A-U+202E, U+2060-U+206F, U+FEFF, tags…).
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\p{Cf}]/gu;
const CONTROL_OR_NEWLINE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\p{Cf}]/gu;

/** For terminal output: controls and format characters become visible escapes; tabs/newlines kept. */
export function sanitize(text: string): string {
  return text.replace(CONTROL, escapeChar);
}

/** For a single line (table cell, error message): newlines and tabs escaped as well. */
export function sanitizeLine(text: string): string {
  return text.replace(CONTROL_OR_NEWLINE, escapeChar);
}

function escapeChar(c: string): string {
  const code = c.codePointAt(0) ?? 0;
  if (code <= 0xff) return `\\x${code.toString(16).padStart(2, '0')}`;
  return code <= 0xffff ? `\\u${code.toString(16).padStart(4, '0')}` : `\\u{${code.toString(16)}}`;
}

/** Cap a string's length for display, marking the cut. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}
