// The one scan orchestrator of the CLI and the language server: cached files first (no parser needed), then the
// misses, in the pool of worker threads when there are many and in this thread otherwise. Each outcome is handed
// over with its file's index as it comes; the callers keep them in order (the CLI) or stream them (the server).
import type * as fs from 'fs';
import { initEngine } from './engine';
import { type FileOutcome, type FileScanOptions, fileScanner } from './scanFile';
import { poolSize, scanInWorkers } from './scanPool';

export interface ScanHooks {
  /** Each file's outcome, with the file's index in `files`. */
  onOutcome(index: number, outcome: FileOutcome): void;
  /** Polled between files: true stops the scan. */
  cancelled?(): boolean;
  /** Awaited between files in this thread, so that a server answers other requests meanwhile. */
  pace?(): Promise<void>;
  /** The cache is known to be empty: no file is looked up (which would read and hash each one for nothing). */
  cacheEmpty?: boolean;
}

export interface ScanRun {
  threads: number;
  cached: number;
  cancelled: boolean;
}

/**
 * Scans `files` with `scanner` (from fileScanner(opts, cache)); `stats` are the walk's, so that unchanged files
 * need not even be read (the CLI's stat index). `codeFile` is the bundle the worker threads run.
 */
export async function runScan(
  files: readonly string[],
  opts: FileScanOptions,
  scanner: ReturnType<typeof fileScanner>,
  hooks: ScanHooks,
  stats?: Map<string, fs.Stats>,
): Promise<ScanRun> {
  const misses: number[] = [];
  let cached = 0;
  for (let i = 0; i < files.length; i++) {
    if (hooks.cacheEmpty) {
      misses.push(i);
      continue;
    }
    if (hooks.cancelled?.()) return { threads: 1, cached, cancelled: true };
    if (hooks.pace && i % 50 === 49) await hooks.pace();
    const hit = scanner.fromCache(files[i], stats?.get(files[i]));
    if (hit) {
      cached++;
      hooks.onOutcome(i, hit);
    } else misses.push(i);
  }
  const threads = poolSize(misses.length);
  const missOpts = { ...opts, lookedUp: true };
  const fresh: FileOutcome[] = [];
  if (threads > 1) {
    await scanInWorkers(
      opts.codeFile,
      misses.map((i) => files[i]),
      missOpts,
      threads,
      {
        onOutcome: (j, o) => {
          fresh.push(o);
          hooks.onOutcome(misses[j], o);
        },
        cancelled: hooks.cancelled,
      },
    );
  } else if (misses.length) {
    await initEngine();
    const here = fileScanner(missOpts, undefined);
    for (const i of misses) {
      if (hooks.cancelled?.()) break;
      if (hooks.pace) await hooks.pace();
      const o = here.scan(files[i]);
      fresh.push(o);
      hooks.onOutcome(i, o);
    }
  }
  scanner.flush(fresh);
  return { threads: Math.max(threads, 1), cached, cancelled: !!hooks.cancelled?.() };
}
