// `hotspots`: the command-line entry. The same engine as the editor: scan, fix, list rules, or serve LSP.
import * as fs from 'fs';
import { languageForPath } from '../../analysis/parse';
import { configFor, isExcluded, projectFor } from './workspace/config';
import { decodeSource } from './workspace/source';
import { LineIndex } from '../../analysis/text';
import type { Finding } from '../../analysis/types';
import { collectFiles, type WalkProblem } from './workspace/walk';
import { fixSource, initEngine, RULES } from './engine';
import { type FileOutcome, type FileScanOptions, fileScanner, problemsOnce } from './scanFile';
import { isScanWorker, runScanWorker } from './scanPool';
import { runScan } from './scanRun';
import { ruleDocsPath } from './docsPath';
import { toSarif } from './sarif';
import { measured } from '../../rules/measured';
import { VERSION } from './version';

const HELP = `hotspots ${VERSION}: performance hotspots in Python and Go

Usage:
  hotspots scan PATH... [--format text|json|sarif] [--fix] [--unsafe-fixes] [--statistics] [--exit-zero]
  hotspots scan --stdin-filename NAME [--fix] ...   (source on standard input)
      Analyse files and folders. Exit 0: no findings; 1: findings; 2: error.
      --fix            apply safe fixes in place, then report what is left
      --unsafe-fixes   with --fix, apply unsafe fixes too
      --statistics     print how many findings each rule has, instead of the findings
      --exit-zero      exit 0 even when there are findings (2 still means an error)
      --files-from F   also scan the files listed in F, one path per line (- for standard input)
      --cache-dir D    where unchanged files' findings are kept (default: .hotspots-cache in the current folder,
                       or $HOTSPOTS_CACHE_DIR); the folder ignores itself in git
      --no-cache       analyse every file, and keep nothing
      --stdin-filename read the source from standard input and report it as NAME (its extension picks the
                       language); with --fix, the fixed source goes to standard output
  hotspots rules [--format text|json]
      List the rules with their metadata.
  hotspots server --stdio
      Start the language server on stdin/stdout (for any LSP editor).
  hotspots --help | --version
`;

interface JsonFinding {
  path: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  rule: string;
  severity: string;
  message: string;
  fix: null | { title: string; applicability: 'safe' | 'unsafe' };
}

class UsageError extends Error {}

function parseArgs(argv: string[]) {
  const opts = {
    format: 'text',
    fix: false,
    unsafe: false,
    stdio: false,
    statistics: false,
    exitZero: false,
    stdinFilename: '',
    paths: [] as string[],
    cache: true,
    cacheDir: process.env.HOTSPOTS_CACHE_DIR || '.hotspots-cache',
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--format') {
      opts.format = argv[++i] ?? '';
    } else if (a.startsWith('--format=')) opts.format = a.slice(9);
    else if (a === '--fix') opts.fix = true;
    else if (a === '--unsafe-fixes') opts.unsafe = true;
    else if (a === '--stdio') opts.stdio = true;
    else if (a === '--statistics') opts.statistics = true;
    else if (a === '--exit-zero') opts.exitZero = true;
    else if (a === '--no-cache') opts.cache = false;
    else if (a === '--cache-dir') opts.cacheDir = argv[++i] ?? '';
    else if (a === '--files-from') {
      const list = argv[++i] ?? '';
      let text: string;
      try {
        text = fs.readFileSync(list === '-' ? 0 : list, 'utf8');
      } catch (e) {
        throw new UsageError(`cannot read --files-from ${list}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
      }
      opts.paths.push(...text.split(/\r?\n/).filter((l) => l.trim() !== ''));
    } else if (a === '--stdin-filename') opts.stdinFilename = argv[++i] ?? '';
    else if (a.startsWith('--stdin-filename=')) opts.stdinFilename = a.slice(17);
    else if (a === '-') opts.paths.push(a);
    else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
    else opts.paths.push(a);
  }
  if (!['text', 'json', 'sarif'].includes(opts.format)) throw new UsageError(`--format must be text, json or sarif, not '${opts.format}'`);
  return opts;
}

function toJson(file: string, text: string, f: Finding): JsonFinding {
  const lines = new LineIndex(text);
  const s = lines.codePointPosition(f.start);
  const e = lines.codePointPosition(f.end);
  return {
    path: file,
    line: s.line + 1,
    column: s.character + 1,
    endLine: e.line + 1,
    endColumn: e.character + 1,
    rule: f.rule,
    severity: f.severity,
    message: f.message,
    fix: f.fix ? { title: f.fix.title, applicability: f.fix.applicability } : null,
  };
}

interface FileResult {
  path: string;
  text: string;
  findings: Finding[];
}

async function scan(argv: string[]): Promise<number> {
  const opts = parseArgs(argv);
  const problems: WalkProblem[] = [];
  const results: FileResult[] = [];
  const fixed: Record<string, number> = {};
  let fileCount: number;
  const scanOpts: FileScanOptions = {
    fix: opts.fix,
    unsafe: opts.unsafe,
    version: VERSION,
    codeFile: __filename,
    cacheDir: opts.cache && !opts.stdinFilename && opts.cacheDir ? opts.cacheDir : undefined,
  };
  const scanner = fileScanner(scanOpts);

  if (opts.stdinFilename) {
    await initEngine();
    const language = languageForPath(opts.stdinFilename);
    if (!language) throw new UsageError(`--stdin-filename ${opts.stdinFilename}: not a Python or Go file name`);
    const src = decodeSource(fs.readFileSync(0));
    if (!src.ok) throw new UsageError(`standard input: ${src.reason.replace(/^skipped: /, '')}`);
    let text = src.text;
    if (opts.fix) {
      const result = fixSource(text, language, {
        unsafe: opts.unsafe,
        settings: scanner.settingsFor(opts.stdinFilename, problems),
        ...projectFor(opts.stdinFilename, language),
      });
      text = result.text;
      for (const [rule, n] of Object.entries(result.applied)) fixed[rule] = (fixed[rule] ?? 0) + n;
      process.stdout.write(text);
    }
    results.push({ path: opts.stdinFilename, text, findings: scanner.analyse(opts.stdinFilename, language, text, problems) });
    fileCount = 1;
  } else {
    if (!opts.paths.length) throw new UsageError('scan needs at least one PATH (or --stdin-filename)');
    const stats = new Map<string, fs.Stats>();
    const walked = collectFiles(opts.paths, problems, {}, stats);
    // A path that does not exist is a usage error; one that exists but cannot be read (a symlink loop) is reported.
    const named = new Set(opts.paths);
    const exists = (p: string) => {
      try {
        fs.lstatSync(p);
        return true;
      } catch {
        return false;
      }
    };
    for (const p of problems) if (named.has(p.path) && !exists(p.path)) throw new UsageError(`no such file or directory: ${p.path}`);
    // `exclude` in the project configuration applies to what the walk finds, not to files named on the command line.
    const files = walked.filter((f) => stats.has(f) || !isExcluded(configFor(f), f));
    fileCount = files.length;
    // Files the cache knows need no parser; the rest run in a pool of worker threads (one per core) when there
    // are many, in this thread otherwise (scanRun.ts, as the server's scan). Keys (a hash of each file) only
    // matter when there is a cache to fill.
    const outcomes: FileOutcome[] = new Array(files.length);
    await runScan(
      files,
      { ...scanOpts, keyed: scanOpts.cacheDir !== undefined },
      scanner,
      {
        onOutcome: (i, o) => {
          outcomes[i] = o;
        },
      },
      stats,
    );
    const report = problemsOnce(problems);
    for (const o of outcomes) {
      report(o.problems);
      for (const [rule, n] of Object.entries(o.fixed)) fixed[rule] = (fixed[rule] ?? 0) + n;
      // Only files with findings keep their text (for positions in the report): a big tree stays small in memory.
      if (o.findings.length && o.text !== undefined) results.push({ path: o.path, text: o.text, findings: o.findings });
    }
  }

  const all = results.flatMap((r) => r.findings.map((f) => toJson(r.path, r.text, f)));
  // Hints (demoted findings: test and start-up code, or chosen as hints) are reported but do not fail the run,
  // as they are not listed in the editor's Problems panel either.
  const hints = all.filter((f) => f.severity === 'hint').length;
  const status = all.length > hints && !opts.exitZero ? 1 : 0;
  exitStatus = status; // what a closed pipe ends the run with (endQuietlyOnClosedPipe)
  for (const p of problems) process.stderr.write(`hotspots: ${p.path}: ${p.message}\n`);
  // With --stdin-filename --fix the fixed source owns standard output; the report goes to standard error.
  const out = opts.stdinFilename && opts.fix ? process.stderr : process.stdout;
  if (opts.statistics) {
    const byRule = new Map<string, { count: number; fixable: number }>();
    for (const f of all) {
      const e = byRule.get(f.rule) ?? { count: 0, fixable: 0 };
      e.count++;
      if (f.fix?.applicability === 'safe') e.fixable++;
      byRule.set(f.rule, e);
    }
    const rows = [...byRule].sort((a, b) => b[1].count - a[1].count || a[0].localeCompare(b[0]));
    if (opts.format === 'json')
      out.write(
        JSON.stringify(
          rows.map(([rule, e]) => ({ rule, count: e.count, fixable: e.fixable })),
          null,
          2,
        ) + '\n',
      );
    else for (const [rule, e] of rows) out.write(`${String(e.count).padStart(6)}  ${rule.padEnd(40)} ${e.fixable ? `[${e.fixable} fixable]` : ''}\n`);
  } else if (opts.format === 'json') {
    out.write(JSON.stringify({ findings: all }, null, 2) + '\n');
  } else if (opts.format === 'sarif') {
    out.write(JSON.stringify(toSarif(results, RULES, VERSION, ruleDocsPath), null, 2) + '\n');
  } else {
    const perFile = new Map<string, number>();
    for (const f of all) {
      out.write(`${f.path}:${f.line}:${f.column}: ${f.rule} ${f.message}\n`);
      perFile.set(f.path, (perFile.get(f.path) ?? 0) + 1);
    }
    if (all.length) {
      out.write('\n');
      for (const [p, n] of [...perFile].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) out.write(`${String(n).padStart(5)}  ${p}\n`);
    }
    const fixable = all.filter((f) => f.fix?.applicability === 'safe').length;
    const unsafe = all.filter((f) => f.fix?.applicability === 'unsafe').length;
    const listed = all.length - hints;
    out.write(
      `Found ${listed} hotspot${listed === 1 ? '' : 's'}${hints ? ` and ${hints} hint${hints === 1 ? '' : 's'}` : ''} in ${perFile.size} of ${fileCount} file${fileCount === 1 ? '' : 's'}` +
        (fixable ? `; ${fixable} fixable with --fix` : '') +
        (unsafe ? `; ${unsafe} more with --fix --unsafe-fixes` : '') +
        '.\n',
    );
  }
  const nFixed = Object.values(fixed).reduce((a, b) => a + b, 0);
  if (opts.fix)
    process.stderr.write(
      `hotspots: applied ${nFixed} fix${nFixed === 1 ? '' : 'es'}${
        nFixed
          ? ` (${Object.entries(fixed)
              .map(([r, n]) => `${r} ${n}`)
              .join(', ')})`
          : ''
      }\n`,
    );
  return status;
}

/** The status the run ends with when a reader closes the pipe early; set once a scan knows its result. */
let exitStatus = 0;

/**
 * A reader that stops reading (`hotspots scan … | head`) closes the pipe: the run then ends at once and quietly,
 * with the status it would have had, instead of dying of an unhandled EPIPE with a stack trace.
 */
function endQuietlyOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(exitStatus);
    throw e;
  });
}

function rules(argv: string[]): number {
  const opts = parseArgs(argv);
  if (opts.format === 'json') {
    process.stdout.write(
      JSON.stringify(
        RULES.map((r) => {
          const m = measured(r.meta.id);
          return {
            ...r.meta,
            shortName: r.meta.id.split('/')[1],
            measured: m ? { ratio: m.ratio, sizes: m.sizes, ratios: m.ratios, unit: m.unit, runtime: m.runtime, date: m.date } : null,
          };
        }),
        null,
        2,
      ) + '\n',
    );
    return 0;
  }
  for (const r of RULES) process.stdout.write(`${r.meta.id.padEnd(40)} ${r.meta.severity.padEnd(12)} fix: ${r.meta.fix.padEnd(7)} ${r.meta.title}\n`);
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd !== 'server') {
    endQuietlyOnClosedPipe(process.stdout);
    endQuietlyOnClosedPipe(process.stderr);
  }
  try {
    switch (cmd) {
      case 'scan':
        return await scan(rest);
      case 'rules':
        return rules(rest);
      case 'server': {
        const { startServer } = await import('./lsp/server');
        startServer();
        return -1; // keeps running
      }
      case '--version':
      case '-V':
        process.stdout.write(`${VERSION}\n`);
        return 0;
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        process.stdout.write(HELP);
        return cmd === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command '${cmd}'`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`hotspots: ${e.message}\n\n${HELP}`);
      return 2;
    }
    process.stderr.write(`hotspots: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 2;
  }
}

if (isScanWorker()) {
  void runScanWorker(); // this bundle is also the scan pool's worker script
} else if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    if (code >= 0) process.exitCode = code;
  });
}
