#!/usr/bin/env node
// The command-line entry: runs the bundled CLI (built by `npm run build`, which `npm ci` runs through `prepare`).
//
// It loads the bundle with V8's code cache: compiling the 0.5 MB bundle costs about 15 ms at every start, as much
// as the rest of a warm scan of Django. The cache sits beside the bundle, named after the bundle's size and mtime
// and the Node version (V8 itself checks little more than the source's length), written once when the folder is
// writable; anywhere else the bundle is simply compiled as usual.
const fs = require('fs');
const path = require('path');
const Module = require('module');
const vm = require('vm');

const cli = path.join(__dirname, '..', 'dist', 'cli.js');
let stat;
try {
  stat = fs.statSync(cli);
} catch {
  process.stderr.write('hotspots: dist/cli.js is missing; run `npm run build` in the hotspots folder first\n');
  process.exit(2);
}

const cacheFile = `${cli}.${stat.size}-${Math.round(stat.mtimeMs)}-${process.version}-${process.arch}.v8cache`;
let cached;
try {
  cached = fs.readFileSync(cacheFile);
} catch {
  /* first run, or not writable: compile as usual */
}

const script = new vm.Script(Module.wrap(fs.readFileSync(cli, 'utf8')), { filename: cli, cachedData: cached });
const mod = new Module(cli, module);
mod.filename = cli;
mod.paths = Module._nodeModulePaths(path.dirname(cli));
script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(cli), mod, cli, path.dirname(cli));
mod.loaded = true;

function writeCache() {
  if (cached && !script.cachedDataRejected) return;
  try {
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, script.createCachedData());
    fs.renameSync(tmp, cacheFile);
    // Caches of earlier builds or Node versions.
    const base = path.basename(cli);
    for (const f of fs.readdirSync(path.dirname(cli))) {
      if (f.startsWith(`${base}.`) && f.endsWith('.v8cache') && f !== path.basename(cacheFile)) fs.rmSync(path.join(path.dirname(cli), f), { force: true });
    }
  } catch {
    /* a read-only install: no cache */
  }
}

mod.exports.main(process.argv.slice(2)).then((code) => {
  writeCache(); // after the run, so the functions it compiled are in it
  if (code >= 0) process.exitCode = code;
});
