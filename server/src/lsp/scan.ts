// The workspace scan: walks the folders and analyses each file from disk with the CLI's per-file scanner, in the
// CLI's pool of worker threads when there are many files (the server's own thread only reads and answers, so edits
// in open documents are handled first), and in this thread otherwise, yielding to the event loop between files.
// Unchanged files (by content, settings and project) come from a cache in memory. Cancellable through the token.
import type { ContextSeverities } from '../../../analysis/context';
import { CancellationToken } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { MemoryCache } from '../workspace/cache';
import { languageForPath } from '../../../analysis/parse';
import type { Finding, RuleSettings } from '../../../analysis/types';
import { collectFiles, type WalkOptions, type WalkProblem } from '../workspace/walk';
import { type FileOutcome, type FileScanOptions, fileScanner, problemsOnce } from '../scanFile';
import { runScan } from '../scanRun';

export interface ScanFileResult {
  uri: string;
  doc: TextDocument;
  findings: Finding[];
}
export interface ScanSummary {
  files: number;
  findings: number;
  skipped: WalkProblem[];
  cancelled: boolean;
  threads: number;
  cached: number;
}

const yieldToEvents = () => new Promise<void>((r) => setImmediate(r));

/** Findings of files scanned before, by content hash (with settings and project): a re-scan skips unchanged files. */
const scanCache = new MemoryCache();

export async function scanFolders(
  folders: string[],
  opts: { rules: RuleSettings; contexts?: ContextSeverities; isExcluded: (file: string) => boolean; walk?: WalkOptions; version: string },
  token: CancellationToken,
  onFile: (r: ScanFileResult) => void,
  onProgress: (done: number, total: number) => void,
): Promise<ScanSummary> {
  const skipped: WalkProblem[] = [];
  const files = collectFiles(folders, skipped, opts.walk ?? {}).filter((f) => languageForPath(f) && !opts.isExcluded(f));
  let findings = 0;
  let done = 0;
  onProgress(0, files.length);
  const report = problemsOnce(skipped);
  const take = (o: FileOutcome) => {
    report(o.problems);
    if (o.key !== undefined) scanCache.set(o.key, o.findings, o.dependsOn, o.path);
    findings += o.findings.length;
    const uri = URI.file(o.path).toString();
    onFile({ uri, doc: TextDocument.create(uri, languageForPath(o.path)!, 0, o.text ?? ''), findings: o.findings });
    done++;
    if (done % 10 === 0 || done === files.length) onProgress(done, files.length);
  };

  const scanOpts: FileScanOptions = {
    fix: false,
    unsafe: false,
    version: opts.version,
    codeFile: __filename,
    rules: opts.rules,
    contexts: opts.contexts,
    keyed: true,
    lookedUp: true,
  };
  // Files the cache knows first (a re-scan reads them and analyses nothing); the others in the pool or here,
  // yielding to the event loop between files (scanRun.ts, as the CLI's scan).
  const run = await runScan(files, scanOpts, fileScanner(scanOpts, scanCache), {
    onOutcome: (_, o) => take(o),
    cancelled: () => token.isCancellationRequested,
    pace: yieldToEvents,
    cacheEmpty: scanCache.size === 0,
  });
  if (run.cancelled) return { files: done, findings, skipped, cancelled: true, threads: run.threads, cached: run.cached };
  return { files: files.length, findings, skipped, cancelled: false, threads: run.threads, cached: run.cached };
}
