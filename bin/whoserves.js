#!/usr/bin/env node
// Launcher only: all logic lives in dist/ (built from src/ by `npm run build`, run by `npm ci`).
import('../dist/cli/main.js').then((m) => m.main(process.argv)).catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/cli/main.js')) {
    process.stderr.write('whoserves: not built yet — run `npm ci` (or `npm run build`) first\n');
  } else {
    process.stderr.write(`whoserves: internal error: ${err && err.stack ? err.stack : err}\n`);
  }
  process.exit(3);
});
