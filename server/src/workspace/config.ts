// Project configuration: `[tool.hotspots]` in pyproject.toml, or hotspots.toml, the nearest one above a file.
//   select / ignore   rule ids, short names, or a language prefix ("python/", "go/")
//   severity          { "<rule>" = "off" | "hint" | "information" | "warning" | "error" }
//   exclude           gitignore-style patterns, relative to the config file's folder
//   python-version / go-version   target versions (read by version-aware rules)
//   tests / startup   what performance findings in test code and in start-up code become: a severity, "off", or
//                     "default" (the rule's own); both "hint" when unset
import * as fs from 'fs';
import * as path from 'path';
import createIgnore, { type Ignore } from 'ignore';
import { parse as parseToml } from 'smol-toml';
import { type ContextSeverities, isTestPath } from '../../../analysis/context';
import { goModFor, goVersionFor } from './gomod';
import { moduleGraphFor } from './importGraph';
import { shortName } from '../../../analysis/suppress';
import type { Project, Rule, RuleSettings, Severity } from '../../../analysis/types';

const SEVERITIES = new Set(['off', 'hint', 'information', 'warning', 'error']);

export interface ProjectConfig {
  file: string; // the file it came from
  select?: string[];
  ignore?: string[];
  severity: Record<string, Severity | 'off'>;
  exclude: string[];
  pythonVersion?: string;
  goVersion?: string;
  contexts: ContextSeverities;
  problems: string[]; // what was wrong in the file (reported, never fatal)
}

function strings(v: unknown, key: string, problems: string[]): string[] | undefined {
  if (v === undefined) return undefined;
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  problems.push(`${key} must be a list of strings`);
  return undefined;
}

/** Reads the hotspots table of a TOML file; undefined when the file has none (a pyproject without [tool.hotspots]). */
export function readConfigFile(file: string): ProjectConfig | undefined {
  let data: Record<string, unknown>;
  try {
    data = parseToml(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    return { file, severity: {}, exclude: [], contexts: {}, problems: [`cannot read: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`] };
  }
  const table =
    path.basename(file) === 'pyproject.toml' ? ((data.tool as Record<string, unknown> | undefined)?.hotspots as Record<string, unknown> | undefined) : data;
  if (!table) return undefined;
  const problems: string[] = [];
  const severity: Record<string, Severity | 'off'> = {};
  const sev = table.severity;
  if (sev !== undefined) {
    if (typeof sev !== 'object' || sev === null || Array.isArray(sev)) problems.push('severity must be a table of rule = level');
    else
      for (const [k, v] of Object.entries(sev)) {
        if (typeof v === 'string' && SEVERITIES.has(v)) severity[k] = v as Severity | 'off';
        else problems.push(`severity.${k} must be one of off, hint, information, warning, error`);
      }
  }
  const version = (k: string) => {
    const v = table[k];
    if (v === undefined) return undefined;
    if (typeof v === 'string' && /^\d+\.\d+$/.test(v)) return v;
    problems.push(`${k} must be a "MAJOR.MINOR" string`);
    return undefined;
  };
  const contexts: ContextSeverities = {};
  for (const k of ['tests', 'startup'] as const) {
    const v = table[k];
    if (v === undefined) continue;
    if (typeof v === 'string' && (SEVERITIES.has(v) || v === 'default')) contexts[k] = v as Severity | 'off' | 'default';
    else problems.push(`${k} must be one of off, hint, information, warning, error, default`);
  }
  for (const k of Object.keys(table)) {
    if (!['select', 'ignore', 'severity', 'exclude', 'python-version', 'go-version', 'tests', 'startup'].includes(k)) problems.push(`unknown key ${k}`);
  }
  return {
    file,
    select: strings(table.select, 'select', problems),
    ignore: strings(table.ignore, 'ignore', problems),
    severity,
    exclude: strings(table.exclude, 'exclude', problems) ?? [],
    pythonVersion: version('python-version'),
    goVersion: version('go-version'),
    contexts,
    problems,
  };
}

const cache = new Map<string, ProjectConfig | null>();
/** The same, by the folder of an absolute path as given: no path.resolve per file (a warm scan's main cost). */
const byGivenFolder = new Map<string, ProjectConfig | undefined>();

/** The nearest configuration above `file` (hotspots.toml wins over pyproject.toml in the same folder). */
export function configFor(file: string): ProjectConfig | undefined {
  if (!path.isAbsolute(file)) return configForFolder(path.dirname(path.resolve(file)));
  const given = path.dirname(file);
  if (byGivenFolder.has(given)) return byGivenFolder.get(given);
  const c = configForFolder(path.resolve(given));
  byGivenFolder.set(given, c);
  return c;
}

function configForFolder(folder: string): ProjectConfig | undefined {
  let dir = folder;
  const seen: string[] = [];
  for (;;) {
    if (cache.has(dir)) {
      const c = cache.get(dir)!;
      for (const d of seen) cache.set(d, c);
      return c ?? undefined;
    }
    seen.push(dir);
    for (const name of ['hotspots.toml', 'pyproject.toml']) {
      const candidate = path.join(dir, name);
      if (fs.existsSync(candidate)) {
        const c = readConfigFile(candidate);
        if (c) {
          for (const d of seen) cache.set(d, c);
          return c;
        }
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) {
      for (const d of seen) cache.set(d, null);
      return undefined;
    }
    dir = parent;
  }
}

/**
 * The language version a file targets: `python-version` / `go-version` from the configuration when set (an
 * explicit choice wins), otherwise for Go the `go` directive of the nearest go.mod; undefined means the newest.
 */
export function targetVersionFor(file: string, language: 'python' | 'go'): string | undefined {
  const config = configFor(file);
  if (language === 'python') return config?.pythonVersion;
  return config?.goVersion ?? goVersionFor(file);
}

/**
 * What the rules know about the project a file belongs to: its target version, for Go its module path, whether
 * its name marks it as test code, what findings in test and start-up code become (`overrides`: the editor's
 * settings, which win over the configuration's), and for Python the workspace's module graph.
 */
export function projectFor(file: string, language: 'python' | 'go', overrides: ContextSeverities = {}): Project {
  const config = configFor(file);
  const contexts = { ...config?.contexts, ...overrides };
  return {
    targetVersion: targetVersionFor(file, language),
    goModule: language === 'go' ? goModFor(file)?.module : undefined,
    ...(isTestPath(file) ? { testFile: true } : {}),
    ...(contexts.tests || contexts.startup ? { contexts } : {}),
    // Read only when a rule asks (importGraph.ts); findings that asked are not cached by content (scanFile.ts).
    ...(language === 'python' ? { modules: moduleGraphFor(file) } : {}),
  };
}

/** Forget cached configurations (the server calls this when a config file changes). */
export function clearConfigCache(): void {
  cache.clear();
  byGivenFolder.clear();
  excluders.clear();
}

/** True when a selector names the rule: its id, its short name, its language ("python") or a prefix ("go/"). */
export function selects(selector: string, ruleId: string): boolean {
  return selector === ruleId || selector === shortName(ruleId) || (selector.endsWith('/') && ruleId.startsWith(selector)) || ruleId.startsWith(`${selector}/`);
}

/** The per-rule settings the configuration implies; `overrides` (editor settings) layer on top. */
export function ruleSettings(config: ProjectConfig | undefined, rules: readonly Rule[], overrides: RuleSettings = {}): RuleSettings {
  const out: RuleSettings = {};
  for (const r of rules) {
    const id = r.meta.id;
    if (config) {
      if (config.select && !config.select.some((s) => selects(s, id))) out[id] = 'off';
      if (config.ignore?.some((s) => selects(s, id))) out[id] = 'off';
      const sev = config.severity[id] ?? config.severity[shortName(id)];
      if (sev && out[id] !== 'off') out[id] = sev;
    }
    const o = overrides[id] ?? overrides[shortName(id)];
    if (o) out[id] = o;
  }
  return out;
}

const excluders = new Map<string, Ignore>();
/** True when the configuration's `exclude` patterns match the file. */
export function isExcluded(config: ProjectConfig | undefined, file: string): boolean {
  if (!config || !config.exclude.length) return false;
  const base = path.dirname(config.file);
  const rel = path.relative(base, path.resolve(file));
  if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return false;
  let ig = excluders.get(config.file);
  if (!ig) {
    ig = createIgnore().add(config.exclude);
    excluders.set(config.file, ig);
  }
  return ig.ignores(rel.split(path.sep).join('/'));
}
