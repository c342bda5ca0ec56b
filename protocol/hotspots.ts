// The requests and notifications the extension and the language server exchange beyond LSP itself: names,
// parameters and results in one place, typed, so that the client and the server cannot drift apart.
import { NotificationType, RequestType, RequestType0 } from 'vscode-jsonrpc';

/** `hotspots/scan`: scan every workspace folder; findings arrive as diagnostics, the result sums them up. */
export interface ScanResult {
  files: number;
  findings: number;
  skipped: Array<{ path: string; message: string }>;
  cancelled: boolean;
  /** Worker threads that analysed files (1: this thread). */
  threads: number;
  /** Files whose findings came from the cache. */
  cached: number;
  ms: number;
}
export const ScanRequest = new RequestType<Record<string, never>, ScanResult, void>('hotspots/scan');

/** `hotspots/scanProgress`: how far a scan has come. */
export interface ScanProgress {
  done: number;
  total: number;
}
export const ScanProgressNotification = new NotificationType<ScanProgress>('hotspots/scanProgress');

/** `hotspots/rules`: every rule's metadata and the path of its documentation page. */
export interface RuleInfo {
  id: string;
  language: 'python' | 'go';
  title: string;
  severity: 'error' | 'warning' | 'information' | 'hint';
  fix: 'safe' | 'unsafe' | 'mixed' | 'none';
  docsPath: string | null;
}
export const RulesRequest = new RequestType0<RuleInfo[], void>('hotspots/rules');
