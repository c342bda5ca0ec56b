// One file of a scan (the CLI's or the language server's): read it, take its findings from the cache or analyse
// it (fixing it first with --fix), and say what went wrong. The same function runs in the main thread and in the
// worker threads of a big scan.
import * as fs from 'fs';
import * as path from 'path';
import { cacheKeyPrefix, cacheKeyWith, contentHash, DiskCache, type FindingsCache, toolHash } from './workspace/cache';
import { configFor, type ProjectConfig, projectFor, ruleSettings } from './workspace/config';
import type { ContextSeverities } from '../../analysis/context';
import { languageForPath } from '../../analysis/parse';
import type { FileStamp } from './workspace/fileStamp';
import { graphDependencies } from './workspace/importGraph';
import { readSource } from './workspace/source';
import type { Finding, LanguageId, RuleSettings } from '../../analysis/types';
import type { WalkProblem } from './workspace/walk';
import { writeFileAtomic } from './workspace/writeFile';
import { analyzeSource, fixSource, RULES } from './engine';

export interface FileScanOptions {
  fix: boolean;
  unsafe: boolean;
  cacheDir?: string;
  version: string;
  codeFile: string;
  /** The caller has looked the files up in the cache already (fromCache): scan only writes the new entries. */
  lookedUp?: boolean;
  /** Rule settings on top of each file's project configuration (the editor's `hotspots.rules`). */
  rules?: RuleSettings;
  /** What findings in test and start-up code become, on top of the configuration (the editor's settings). */
  contexts?: ContextSeverities;
  /** Return each analysed file's cache key, for a cache the caller keeps (the server's, in memory). */
  keyed?: boolean;
}

export interface FileOutcome {
  path: string;
  findings: Finding[];
  text?: string; // kept only when there are findings (the report needs it for positions)
  problems: WalkProblem[];
  fixed: Record<string, number>;
  /** With `keyed`: the cache key of the text that was analysed. */
  key?: string;
  /** With `key`: the other files and folders the findings depend on (see CacheEntry), when there are any. */
  dependsOn?: FileStamp[];
}

/**
 * Adds each problem of the outcomes to `into` once: configuration problems are found by every thread (and every
 * scanner) that reads that configuration.
 */
export function problemsOnce(into: WalkProblem[]): (found: readonly WalkProblem[]) => void {
  const seen = new Set<string>();
  return (found) => {
    for (const p of found) {
      const k = `${p.path}\0${p.message}`;
      if (!seen.has(k)) {
        seen.add(k);
        into.push(p);
      }
    }
  };
}

/** `cache`: where findings are kept (default: the folder `cacheDir`, unless fixing). */
export function fileScanner(
  opts: FileScanOptions,
  cache: FindingsCache | undefined = opts.cacheDir && !opts.fix ? new DiskCache(path.resolve(opts.cacheDir)) : undefined,
): {
  scan(file: string): FileOutcome;
  fromCache(file: string, stat?: fs.Stats): FileOutcome | undefined;
  analyse(file: string, language: LanguageId, text: string, problems: WalkProblem[]): Finding[];
  settingsFor(file: string, problems: WalkProblem[]): RuleSettings;
  flush(fresh?: readonly FileOutcome[]): void;
} {
  const reported = new Set<string>();
  const settingsFor = (file: string, problems: WalkProblem[]) => {
    const config = configFor(file);
    if (config && !reported.has(config.file)) {
      reported.add(config.file);
      for (const p of config.problems) problems.push({ path: config.file, message: `configuration: ${p}` });
    }
    return settingsOf(config);
  };
  // Files under one configuration share their settings (worked out once: a warm scan does little else per file).
  const settingsByConfig = new Map<ProjectConfig | undefined, RuleSettings>();
  const settingsOf = (config: ProjectConfig | undefined) => {
    let s = settingsByConfig.get(config);
    if (!s) settingsByConfig.set(config, (s = ruleSettings(config, RULES, opts.rules)));
    return s;
  };
  // Unchanged files are not analysed again: their findings come from the cache, keyed by this build of the tool,
  // the file's bytes, language, rule settings and project (target version, Go module).
  const prefixes = new Map<ProjectConfig | undefined, Map<string, string>>();
  const keyOf = (file: string, language: LanguageId, content: string | { hash: string }, project = projectFor(file, language, opts.contexts)) => {
    const config = configFor(file);
    const shared = `${language}\0${project.targetVersion ?? ''}\0${project.goModule ?? ''}\0${project.testFile ? 't' : ''}`;
    let known = prefixes.get(config);
    if (!known) prefixes.set(config, (known = new Map()));
    let prefix = known.get(shared);
    if (prefix === undefined) {
      prefix = cacheKeyPrefix({ tool: toolHash(opts.version, opts.codeFile), language, settings: settingsOf(config), project });
      known.set(shared, prefix);
    }
    return cacheKeyWith(prefix, content);
  };
  const index = cache instanceof DiskCache ? cache.index : undefined;
  /**
   * Findings, and the cache key (when there is a cache or `keyed`) with what else they depend on, unless a rule
   * failed or they depend on files that cannot vouch for themselves (graphDependencies): then nothing is kept.
   */
  const analyseKeyed = (
    file: string,
    language: LanguageId,
    text: string,
    problems: WalkProblem[],
  ): { findings: Finding[]; key?: string; dependsOn?: FileStamp[] } => {
    const settings = settingsFor(file, problems);
    const project = projectFor(file, language, opts.contexts);
    const key = cache || opts.keyed ? keyOf(file, language, text, project) : undefined;
    const cached = opts.lookedUp || key === undefined ? undefined : cache?.get(key, file);
    if (cached) return { ...cached, key };
    const errors: string[] = [];
    const findings = analyzeSource(text, language, {
      settings,
      ...project,
      onRuleError: (r, e) => errors.push(`${r}: ${e instanceof Error ? e.message : String(e)}`),
    });
    for (const e of errors) problems.push({ path: file, message: `rule failed: ${e}` });
    // Findings that depend on other files (a rule asked the module graph) are kept with those files' stamps.
    const dependsOn = graphDependencies(project.modules);
    if (errors.length || !dependsOn) return { findings };
    if (key !== undefined) cache?.set(key, findings, dependsOn, file);
    return dependsOn.length ? { findings, key, dependsOn } : { findings, key };
  };
  const analyse = (file: string, language: LanguageId, text: string, problems: WalkProblem[]) => analyseKeyed(file, language, text, problems).findings;
  /**
   * The file's outcome when the cache has it (no parser needed: a warm scan never loads the grammars). A file whose
   * size, mtime and inode match the cache folder's StatIndex is not even read, unless it has findings to report:
   * then its text is read and checked against the recorded hash.
   */
  const fromCache = (file: string, stat?: fs.Stats): FileOutcome | undefined => {
    if (!cache) return undefined;
    const language = languageForPath(file);
    if (!language) return undefined;
    let hash = index?.lookup(file, stat);
    let text: string | undefined;
    if (hash === undefined) {
      const src = readSource(file);
      if (!src.ok) return undefined;
      text = src.text;
      hash = contentHash(text);
      if (src.stat) index?.note(file, src.stat, hash);
    }
    const key = keyOf(file, language, { hash });
    const entry = index?.isEmpty(key) ? { findings: [] } : cache.get(key, file);
    if (!entry) return undefined;
    const { findings } = entry;
    // Only an entry that depends on nothing else may be known empty without reading it (its stamps are checked there).
    if (!findings.length && !entry.dependsOn) index?.noteEmpty(key);
    if (findings.length && text === undefined) {
      const src = readSource(file); // the report needs the text (for line and column)
      if (!src.ok || contentHash(src.text) !== hash) return undefined;
      text = src.text;
    }
    const problems: WalkProblem[] = [];
    settingsFor(file, problems); // reports the configuration's problems once, as a miss would
    return { path: file, findings, text: findings.length ? text : undefined, problems, fixed: {} };
  };
  const scan = (file: string): FileOutcome => {
    const out: FileOutcome = { path: file, findings: [], problems: [], fixed: {} };
    const language = languageForPath(file);
    if (!language) {
      out.problems.push({ path: file, message: 'skipped: not a Python or Go file' });
      return out;
    }
    const src = readSource(file);
    if (!src.ok) {
      out.problems.push({ path: file, message: src.reason });
      return out;
    }
    let text = src.text;
    // A fix that fails leaves the file as it was, and its findings are still reported.
    if (opts.fix) {
      try {
        const result = fixSource(text, language, {
          unsafe: opts.unsafe,
          settings: settingsFor(file, out.problems),
          ...projectFor(file, language, opts.contexts),
        });
        if (result.text !== text && src.encoding !== 'utf-8') {
          out.problems.push({ path: file, message: `not fixed: the file is ${src.encoding}, and fixes are only written as UTF-8` });
        } else if (result.text !== text) {
          writeFileAtomic(file, result.text, src.bytes, src.bom);
          text = result.text;
          out.fixed = result.applied;
        }
      } catch (e) {
        out.problems.push({ path: file, message: `not fixed: ${e instanceof Error ? e.message : String(e)}` });
      }
    }
    try {
      const r = analyseKeyed(file, language, text, out.problems);
      out.findings = r.findings;
      if (opts.keyed) out.key = r.key;
      if (opts.keyed && r.dependsOn) out.dependsOn = r.dependsOn;
      if (out.findings.length) out.text = text;
    } catch (e) {
      out.problems.push({ path: file, message: `skipped: ${e instanceof Error ? e.message : String(e)}` });
    }
    return out;
  };
  /** Writes what this run learnt about files' stats and empty entries (see StatIndex), with the misses' outcomes. */
  const flush = (fresh: readonly FileOutcome[] = []) => {
    for (const o of fresh) if (o.key !== undefined && !o.findings.length && !o.dependsOn) index?.noteEmpty(o.key);
    index?.save();
  };
  return { scan, fromCache, analyse, settingsFor, flush };
}
