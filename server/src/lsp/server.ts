// The language server: documents in, diagnostics and code actions out. All analysis lives in the engine.
import { RulesRequest, ScanProgressNotification, ScanRequest, type ScanResult } from '../../../protocol/hotspots';
import {
  CodeActionKind,
  createConnection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  ProposedFeatures,
  TextDocumentSyncKind,
  type Connection,
  type InitializeParams,
} from 'vscode-languageserver/node';
import { URI } from 'vscode-uri';
import { clearConfigCache, configFor, isExcluded, projectFor, ruleSettings } from '../workspace/config';
import { clearGoModCache } from '../workspace/gomod';
import { noteFilesChanged } from '../workspace/importGraph';
import { shortName } from '../../../analysis/suppress';
import type { ContextSeverities } from '../../../analysis/context';
import type { Finding, Project, RuleSettings, Severity } from '../../../analysis/types';
import { analyzeDocument, initEngine, RULES } from '../engine';
import { codeActions, FIX_ALL_KIND } from './codeActions';
import { toDiagnostic, ruleDocsPath } from './diagnostics';
import { DocumentStore, type OpenDocument } from './documents';
import { collectGarbageSoon } from './memory';
import { scanFolders } from './scan';
import { VERSION } from '../version';

/**
 * An edit is analysed at once when the document's last analysis was quick (the usual case: only the edited
 * definition is re-checked); after a slow one (a whole 6,000-line file), edits wait this long for the next keystroke.
 */
const DEBOUNCE_MS = 30;
const QUICK_MS = 30;
const MAX_DOC_CHARS = 2 * 1024 * 1024;
const SEVERITIES = new Set(['off', 'hint', 'information', 'warning', 'error']);

interface Settings {
  enable: boolean;
  rules: RuleSettings;
  exclude: string[];
  contexts: ContextSeverities;
}

export function startServer(connection: Connection = createConnection(ProposedFeatures.all)): Connection {
  const store = new DocumentStore();
  let settings: Settings = { enable: true, rules: {}, exclude: [], contexts: {} };
  let workspaceFolders: string[] = [];
  let canPullConfig = false;
  const pending = new Map<string, () => void>(); // uri -> cancels its scheduled analysis
  const cancel = (uri: string) => {
    pending.get(uri)?.();
    pending.delete(uri);
  };
  const reportedRuleErrors = new Set<string>();
  const scanned = new Map<string, true>(); // uris whose diagnostics came from a workspace scan
  const reportedConfigs = new Set<string>();
  let canWatchFiles = false;
  const ready = initEngine();

  const log = (msg: string) => connection.console.info(msg);
  const onRuleError = (rule: string, e: unknown) => {
    if (reportedRuleErrors.has(rule)) return;
    reportedRuleErrors.add(rule);
    connection.console.error(`rule ${rule} failed and was skipped: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  };

  /** Project configuration for a file (nearest hotspots.toml / pyproject.toml), with the editor's settings on top. */
  function rulesFor(uri: string): RuleSettings | 'excluded' {
    const parsed = URI.parse(uri);
    if (parsed.scheme !== 'file') return settings.rules;
    const config = configFor(parsed.fsPath);
    if (config && !reportedConfigs.has(config.file)) {
      reportedConfigs.add(config.file);
      for (const p of config.problems) connection.console.warn(`${config.file}: ${p}`);
    }
    if (isExcluded(config, parsed.fsPath)) return 'excluded';
    return ruleSettings(config, RULES, settings.rules);
  }

  /** Target version and Go module of the project a document belongs to (nothing for unsaved documents). */
  /** `hotspots.tests` and `hotspots.startup`: what findings in test and start-up code become. */
  function contextsFrom(raw: { tests?: unknown; startup?: unknown }): ContextSeverities {
    const out: ContextSeverities = {};
    for (const k of ['tests', 'startup'] as const) {
      const v = raw[k];
      if (typeof v === 'string' && (SEVERITIES.has(v) || v === 'default')) out[k] = v as Severity | 'off' | 'default';
      else if (v !== undefined && v !== null) log(`ignoring hotspots.${k} = ${JSON.stringify(v)}: use off, hint, information, warning, error or default`);
    }
    return out;
  }

  function projectOf(uri: string, language: 'python' | 'go'): Project {
    const parsed = URI.parse(uri);
    return parsed.scheme === 'file' ? projectFor(parsed.fsPath, language, settings.contexts) : {};
  }

  function findings(od: OpenDocument): Finding[] {
    if (!settings.enable) return [];
    if (od.findings && od.analyzedVersion === od.version) return od.findings;
    const rules = rulesFor(od.doc.uri);
    if (rules === 'excluded') {
      od.findings = [];
    } else if (od.text.length > MAX_DOC_CHARS) {
      log(`${od.doc.uri}: skipped, ${od.text.length} characters is over the ${MAX_DOC_CHARS} limit`);
      od.findings = [];
    } else {
      const started = performance.now();
      const r = analyzeDocument(od.currentTree(), od.text, od.language, od.analysis, { settings: rules, ...projectOf(od.doc.uri, od.language), onRuleError });
      od.findings = r.findings;
      od.analysis = r.state;
      od.analysisMs = performance.now() - started;
    }
    od.analyzedVersion = od.version;
    return od.findings;
  }

  function publish(od: OpenDocument): void {
    try {
      const found = findings(od);
      connection.sendDiagnostics({ uri: od.doc.uri, version: od.version, diagnostics: found.map((f) => toDiagnostic(od.doc, f)) });
    } catch (e) {
      connection.console.error(`analysis of ${od.doc.uri} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
  }

  function schedule(uri: string, delay?: number): void {
    cancel(uri);
    const run = async () => {
      pending.delete(uri);
      await ready;
      const od = store.get(uri);
      if (od) publish(od);
    };
    const wait = delay ?? ((store.get(uri)?.analysisMs ?? 0) > QUICK_MS ? DEBOUNCE_MS : 0);
    if (wait === 0) {
      const h = setImmediate(run);
      pending.set(uri, () => clearImmediate(h));
    } else {
      const h = setTimeout(run, wait);
      pending.set(uri, () => clearTimeout(h));
    }
  }

  function reanalyzeAll(): void {
    for (const od of store.all()) {
      od.findings = undefined;
      schedule(od.doc.uri, 0);
    }
  }

  async function loadSettings(): Promise<void> {
    if (!canPullConfig) return;
    try {
      const raw = (await connection.workspace.getConfiguration('hotspots')) ?? {};
      const rules: RuleSettings = {};
      for (const [k, v] of Object.entries(raw.rules ?? {})) {
        if (typeof v === 'string' && SEVERITIES.has(v)) rules[k] = v as Severity | 'off';
        else log(`ignoring hotspots.rules["${k}"] = ${JSON.stringify(v)}: use off, hint, information, warning or error`);
      }
      // The workspace scan skips hotspots.exclude and the editor's files.exclude (globs whose value is true).
      const filesExclude = ((await connection.workspace.getConfiguration('files.exclude')) ?? {}) as Record<string, unknown>;
      const exclude = [
        ...(Array.isArray(raw.exclude) ? raw.exclude.filter((x: unknown) => typeof x === 'string') : []),
        ...Object.entries(filesExclude)
          .filter(([, v]) => v === true)
          .map(([k]) => k),
      ];
      settings = { enable: raw.enable !== false, rules, exclude, contexts: contextsFrom(raw) };
    } catch (e) {
      log(`could not read settings: ${String(e)}`);
    }
  }

  connection.onInitialize((params: InitializeParams) => {
    canPullConfig = !!params.capabilities.workspace?.configuration;
    canWatchFiles = !!params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    // Only folders on disk can be scanned (a virtual workspace's documents are analysed when they are opened).
    const onDisk = (uri: string) => {
      const u = URI.parse(uri);
      return u.scheme === 'file' ? [u.fsPath] : [];
    };
    workspaceFolders = (params.workspaceFolders ?? []).flatMap((f) => onDisk(f.uri));
    if (!params.workspaceFolders?.length && params.rootUri) workspaceFolders = onDisk(params.rootUri);
    const opts = params.initializationOptions as Partial<Settings> | undefined;
    if (opts)
      settings = {
        enable: opts.enable !== false,
        rules: opts.rules ?? {},
        exclude: opts.exclude ?? [],
        contexts: contextsFrom(opts as { tests?: unknown; startup?: unknown }),
      };
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: false },
        executeCommandProvider: { commands: ['hotspots.server.ruleDocs'] },
      },
      serverInfo: { name: 'hotspots', version: VERSION },
    };
  });

  let settingsLoaded: Promise<void> = Promise.resolve();
  connection.onInitialized(async () => {
    if (canPullConfig) settingsLoaded = loadSettings();
    if (canWatchFiles) {
      void connection.client
        .register(DidChangeWatchedFilesNotification.type, {
          watchers: [{ globPattern: '**/pyproject.toml' }, { globPattern: '**/hotspots.toml' }, { globPattern: '**/go.mod' }, { globPattern: '**/*.py' }],
        })
        .catch(() => undefined);
    }
    if (canPullConfig) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: 'hotspots' }).catch(() => undefined);
      await settingsLoaded;
      reanalyzeAll();
    }
  });

  connection.onDidChangeConfiguration(async (change) => {
    if (canPullConfig) await loadSettings();
    else if (change.settings?.hotspots)
      settings = {
        enable: change.settings.hotspots.enable !== false,
        rules: change.settings.hotspots.rules ?? {},
        exclude: change.settings.hotspots.exclude ?? [],
        contexts: contextsFrom(change.settings.hotspots),
      };
    reanalyzeAll();
  });

  // A project configuration or a go.mod changed: read them again and re-analyse the open documents. A Python file
  // the module graph read or looked for changed: what it answered may differ (import-in-loop's fix), the same.
  connection.onDidChangeWatchedFiles((p) => {
    if (
      noteFilesChanged(
        p.changes.flatMap((c) => {
          const u = URI.parse(c.uri);
          return u.scheme === 'file' ? [u.fsPath] : [];
        }),
      )
    )
      reanalyzeAll();
    if (!p.changes.some((c) => /(^|\/)((pyproject|hotspots)\.toml|go\.mod)$/.test(c.uri))) return;
    clearConfigCache();
    clearGoModCache();
    reportedConfigs.clear();
    reanalyzeAll();
  });

  connection.onDidOpenTextDocument((p) => {
    if (store.open(p)) schedule(p.textDocument.uri, 0);
  });
  connection.onDidChangeTextDocument((p) => {
    if (store.change(p)) schedule(p.textDocument.uri);
  });
  connection.onDidCloseTextDocument((p) => {
    cancel(p.textDocument.uri);
    store.close(p.textDocument.uri);
    // A scanned file keeps its scan results (re-read from disk); any other file's diagnostics go.
    if (!scanned.has(p.textDocument.uri)) connection.sendDiagnostics({ uri: p.textDocument.uri, diagnostics: [] });
  });

  connection.onCodeAction(async (params) => {
    await ready;
    const od = store.get(params.textDocument.uri);
    if (!od || !settings.enable) return [];
    try {
      return codeActions(od, params, {
        findings,
        settings: () => {
          const r = rulesFor(od.doc.uri);
          return r === 'excluded' ? {} : r;
        },
        project: () => projectOf(od.doc.uri, od.language),
      });
    } catch (e) {
      connection.console.error(`code actions failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return [];
    }
  });

  connection.onExecuteCommand((p) => {
    if (p.command === 'hotspots.server.ruleDocs') {
      const id = String(p.arguments?.[0] ?? '');
      const rule = RULES.find((r) => r.meta.id === id || shortName(r.meta.id) === id);
      return rule ? { meta: rule.meta, path: ruleDocsPath(rule.meta.id) ?? null } : null;
    }
    return null;
  });

  connection.onRequest(RulesRequest, () => RULES.map((r) => ({ ...r.meta, docsPath: ruleDocsPath(r.meta.id) ?? null })));

  connection.onRequest(ScanRequest, async (_params, token): Promise<ScanResult> => {
    await ready;
    await settingsLoaded; // the scan needs the exclude settings
    const started = Date.now();
    if (!settings.enable) return { files: 0, findings: 0, skipped: [], cancelled: false, threads: 0, cached: 0, ms: 0 };
    const summary = await scanFolders(
      workspaceFolders,
      {
        rules: settings.rules,
        contexts: settings.contexts,
        version: VERSION,
        walk: { exclude: settings.exclude },
        isExcluded: (file) => rulesFor(URI.file(file).toString()) === 'excluded',
      },
      token,
      (r) => {
        scanned.set(r.uri, true);
        if (store.has(r.uri)) return; // open documents show their live analysis
        connection.sendDiagnostics({ uri: r.uri, diagnostics: r.findings.map((f) => toDiagnostic(r.doc, f)) });
      },
      (done, total) => {
        void connection.sendNotification(ScanProgressNotification, { done, total });
      },
    );
    for (const s of summary.skipped) log(`scan: ${s.path}: ${s.message}`);
    collectGarbageSoon();
    return { ...summary, ms: Date.now() - started };
  });

  connection.onShutdown(() => {
    for (const uri of [...pending.keys()]) cancel(uri);
    for (const od of store.all()) store.close(od.doc.uri);
  });

  connection.listen();
  return connection;
}
