// A pool of worker threads for big scans (the CLI's and the language server's): each worker loads the WASM
// grammars once and scans the files it is handed, one at a time (the next file goes to whichever worker is free),
// so both cores stay busy. Outcomes come back in the order of the file list, whatever order they finish in.
import * as os from 'os';
import { isMainThread, parentPort, Worker, workerData } from 'worker_threads';
import { initEngine } from './engine';
import { type FileOutcome, type FileScanOptions, fileScanner } from './scanFile';

/** Worker threads pay off only past a few dozen files (each one starts its own WASM runtime, ~100 ms). */
export const MIN_FILES_PER_WORKER = 40;

export function poolSize(files: number): number {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  const fromEnv = Number(process.env.HOTSPOTS_THREADS);
  const wanted = Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : cores;
  return Math.max(1, Math.min(wanted, Math.floor(files / MIN_FILES_PER_WORKER)));
}

/**
 * Files handed to each worker ahead of the one it is scanning: the next is waiting in its queue when it finishes,
 * instead of a round trip through this thread (which left each worker idle ~10% of a Django scan).
 */
const AHEAD = 2;

export interface PoolHooks {
  /** Each outcome as it arrives (in the order files finish). */
  onOutcome?(index: number, outcome: FileOutcome): void;
  /** Asked after each file: true stops the workers, and the promise resolves with the outcomes so far. */
  cancelled?(): boolean;
}

/** Scans `files` in `threads` workers started from `script` (the CLI or server bundle itself). */
export function scanInWorkers(script: string, files: string[], opts: FileScanOptions, threads: number, hooks: PoolHooks = {}): Promise<FileOutcome[]> {
  return new Promise((resolve, reject) => {
    const outcomes: FileOutcome[] = new Array(files.length);
    let next = 0;
    let done = 0;
    let stopped = false;
    const workers: Worker[] = [];
    const feed = (w: Worker) => {
      if (next < files.length) {
        w.postMessage({ index: next, file: files[next] });
        next++;
      }
    };
    const finish = () => {
      stopped = true;
      for (const w of workers) void w.terminate();
    };
    for (let i = 0; i < threads; i++) {
      const w = new Worker(script, { workerData: { hotspotsScanWorker: true, opts } });
      workers.push(w);
      w.on('message', (m: { ready?: true; index?: number; outcome?: FileOutcome }) => {
        if (stopped) return;
        if (m.ready) {
          for (let k = 0; k < AHEAD; k++) feed(w);
          return;
        }
        outcomes[m.index!] = m.outcome!;
        done++;
        hooks.onOutcome?.(m.index!, m.outcome!);
        if (done === files.length || hooks.cancelled?.()) {
          finish();
          resolve(outcomes);
        } else feed(w);
      });
      w.on('error', (e) => {
        if (!stopped) {
          finish();
          reject(e);
        }
      });
    }
  });
}

/** Inside a worker: initialise the engine, then scan each file the main thread sends. */
export async function runScanWorker(): Promise<void> {
  const { opts } = workerData as { opts: FileScanOptions };
  await initEngine();
  const scanner = fileScanner(opts);
  parentPort!.on('message', (m: { index: number; file: string }) => {
    let outcome: FileOutcome;
    try {
      outcome = scanner.scan(m.file);
    } catch (e) {
      outcome = { path: m.file, findings: [], problems: [{ path: m.file, message: `skipped: ${e instanceof Error ? e.message : String(e)}` }], fixed: {} };
    }
    parentPort!.postMessage({ index: m.index, outcome });
  });
  parentPort!.postMessage({ ready: true });
}

export function isScanWorker(): boolean {
  return !isMainThread && !!(workerData as { hotspotsScanWorker?: boolean } | null)?.hotspotsScanWorker;
}
