// The workspace scan: walks the folders, analyses each file from disk, and yields to the event loop between
// files so that edits in open documents are handled first. Cancellable through the request's token.
import { CancellationToken } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { languageForPath } from '../core/parse';
import { readSource } from '../core/source';
import type { Finding, Project, RuleSettings } from '../core/types';
import { collectFiles, type WalkOptions, type WalkProblem } from '../core/walk';
import { cacheKey, MemoryCache } from '../core/cache';
import { analyzeSource } from '../engine';

export interface ScanFileResult { uri: string; doc: TextDocument; findings: Finding[] }
export interface ScanSummary { files: number; findings: number; skipped: WalkProblem[]; cancelled: boolean }

const yieldToEvents = () => new Promise<void>((r) => setImmediate(r));

/** Findings of files scanned before, by content hash (with settings and project): a re-scan skips unchanged files. */
const scanCache = new MemoryCache();
const TOOL = `server+${process.pid}`;

export async function scanFolders(
  folders: string[],
  settingsFor: (file: string) => RuleSettings | 'excluded',
  token: CancellationToken,
  onFile: (r: ScanFileResult) => void,
  onProgress: (done: number, total: number) => void,
  onRuleError: (rule: string, e: unknown) => void,
  projectOf: (file: string, language: 'python' | 'go') => Project = () => ({}),
  walk: WalkOptions = {},
): Promise<ScanSummary> {
  const skipped: WalkProblem[] = [];
  const files = collectFiles(folders, skipped, walk);
  let findings = 0;
  onProgress(0, files.length);
  for (let i = 0; i < files.length; i++) {
    if (token.isCancellationRequested) return { files: i, findings, skipped, cancelled: true };
    await yieldToEvents();
    const file = files[i];
    const language = languageForPath(file);
    const settings = settingsFor(file);
    const src = language && settings !== 'excluded' ? readSource(file) : { ok: false as const, reason: 'excluded' };
    if (!language || !src.ok || settings === 'excluded') { if (!src.ok && src.reason !== 'excluded') skipped.push({ path: file, message: src.reason }); }
    else {
      const project = projectOf(file, language);
      const key = cacheKey({ tool: TOOL, language, settings, project, content: src.text });
      let found = scanCache.get(key);
      if (!found) {
        found = analyzeSource(src.text, language, { settings, ...project, onRuleError });
        scanCache.set(key, found);
      }
      findings += found.length;
      const uri = URI.file(file).toString();
      onFile({ uri, doc: TextDocument.create(uri, language, 0, src.text), findings: found });
    }
    if (i % 10 === 9 || i === files.length - 1) onProgress(i + 1, files.length);
  }
  return { files: files.length, findings, skipped, cancelled: false };
}
