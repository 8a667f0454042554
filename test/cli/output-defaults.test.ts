// Issue 15 item 5: format, colour and width are decided in one place for every command.
import { describe, expect, it } from 'vitest';
import { colorWanted, outputWidth, resolveOutput } from '../../src/cli/output-defaults.js';

const tty = { isTTY: true, columns: 100 };
const pipe = { isTTY: false };

describe('resolveOutput', () => {
  it('format: readable on a terminal, machine-readable when piped, unless given', () => {
    const d = { terminal: 'table', piped: 'json' } as const;
    expect(resolveOutput({}, tty, d, {}).format).toBe('table');
    expect(resolveOutput({}, pipe, d, {}).format).toBe('json');
    expect(resolveOutput({ format: 'csv' as 'table' }, tty, d, {}).format).toBe('csv');
  });

  it('colour: --no-color, then FORCE_COLOR, then NO_COLOR, then the terminal', () => {
    expect(colorWanted(undefined, true, {})).toBe(true);
    expect(colorWanted(undefined, false, {})).toBe(false);
    expect(colorWanted(true, true, { NO_COLOR: '1' })).toBe(false);
    expect(colorWanted(true, true, { NO_COLOR: '' })).toBe(true); // empty means unset (no-color.org)
    expect(colorWanted(true, false, { FORCE_COLOR: '1' })).toBe(true);
    expect(colorWanted(true, false, { FORCE_COLOR: '' })).toBe(true); // as Node reads it
    expect(colorWanted(true, true, { FORCE_COLOR: '0' })).toBe(false);
    expect(colorWanted(true, true, { FORCE_COLOR: 'false' })).toBe(false);
    expect(colorWanted(true, false, { FORCE_COLOR: '1', NO_COLOR: '1' })).toBe(true);
    expect(colorWanted(false, true, { FORCE_COLOR: '1' })).toBe(false);
  });

  it('width: COLUMNS, then the terminal, then 120 (80 for --help); bounded', () => {
    expect(outputWidth(tty, {})).toBe(100);
    expect(outputWidth(tty, { COLUMNS: '72' })).toBe(72);
    expect(outputWidth(pipe, { COLUMNS: '72' })).toBe(72);
    expect(outputWidth(pipe, {})).toBe(120);
    expect(outputWidth(pipe, {}, 80)).toBe(80);
    expect(outputWidth(pipe, { COLUMNS: 'wide' })).toBe(120);
    expect(outputWidth(pipe, { COLUMNS: '5' })).toBe(20);
  });
});
