#!/usr/bin/env node
// The command-line entry: runs the bundled CLI (built by `npm run build`, which `npm ci` runs through `prepare`).
const path = require('path');
const fs = require('fs');
const cli = path.join(__dirname, '..', 'dist', 'cli.js');
if (!fs.existsSync(cli)) {
  process.stderr.write('hotspots: dist/cli.js is missing; run `npm run build` in the hotspots folder first\n');
  process.exit(2);
}
require(cli).main(process.argv.slice(2)).then((code) => { if (code >= 0) process.exitCode = code; });
