#!/usr/bin/env node
// Launcher only: all logic lives in dist/ (built from src/ by `npm run build`, run by `npm ci`).
// The root help (no arguments, --help, -h, help) has a fast path that loads neither commander nor
// the commands (dist/cli/root-help.js); it declines when its build record is missing or stale.
const args = process.argv.slice(2);
const rootHelp = args.length === 0 || (args.length === 1 && (args[0] === '--help' || args[0] === '-h' || args[0] === 'help'));
(rootHelp ? import('../dist/cli/root-help.js').then((m) => m.serveRootHelp(args), () => false) : Promise.resolve(false))
  .then((served) => served || import('../dist/cli/main.js').then((m) => m.main(process.argv)))
  .catch((err) => {
    if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/cli/main.js')) {
      process.stderr.write('whoserves: not built yet — run `npm ci` (or `npm run build`) first\n');
    } else {
      process.stderr.write(`whoserves: internal error: ${err && err.stack ? err.stack : err}\n`);
    }
    process.exit(3);
  });
