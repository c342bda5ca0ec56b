// Shared vocabulary of the analysis core. No vscode or LSP imports anywhere under analysis/.
import type { Node, Tree } from 'web-tree-sitter';
import type { Memo, MemoKey } from './memo';

export type LanguageId = 'python' | 'go';
export type Severity = 'error' | 'warning' | 'information' | 'hint';
export type Applicability = 'safe' | 'unsafe';

/** A replacement of the text between two UTF-16 offsets (the unit JS strings, web-tree-sitter and LSP share). */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

export interface Fix {
  title: string;
  applicability: Applicability;
  edits: TextEdit[];
  /** New names the fix declares (chosen fresh against the current text): fixes binding the same name are applied in separate passes. */
  binds?: string[];
}

export interface Finding {
  rule: string;
  message: string;
  severity: Severity;
  start: number;
  end: number;
  fix?: Fix;
  /** The benchmark run whose figures the message quotes (a go line in bench/rules/results.json); default the rule's main run. */
  measuredAs?: string;
}

export interface RuleDocs {
  what: string;
  why: string;
  example: string;
  useInstead: string;
  fixSafety: string;
  /**
   * Where the claims of `why` were checked: the runtime's source (`CPython Lib/asyncio/events.py`, `Go
   * src/runtime/time.go`) or its documentation, each with what it shows. Rendered under the why.
   */
  references?: readonly string[];
}

export interface RuleMeta {
  id: string; // '<language>/<name>'
  language: LanguageId;
  title: string;
  severity: Severity; // default severity
  fix: 'safe' | 'unsafe' | 'mixed' | 'none';
  /** What is wrong: a performance hotspot (its fix is measured) or a correctness bug (nothing to time). Default: performance. */
  category?: 'performance' | 'correctness';
  /** Reported only when the code targets a language version below this one ("1.22"): the construct is valid from then on. */
  before?: string;
  docs: RuleDocs;
}

export interface Report {
  node?: Node; // where the finding points (or start/end)
  start?: number;
  end?: number;
  message: string;
  severity?: Severity; // overrides the rule's default for this one finding
  fix?: Fix;
  /** Which of the rule's benchmark runs fits this finding (see Finding.measuredAs). */
  measuredAs?: string;
  /**
   * The loop that repeats the flagged code: the message then says what the cost grows with ("It runs once per
   * item of `rows`.", analysis/frequency.ts `repetition`).
   */
  loop?: Node;
}

export interface RuleContext extends Readonly<Project> {
  readonly text: string;
  readonly tree: Tree;
  readonly language: LanguageId;
  /**
   * In the editor, the pieces the analysis keeps between keystrokes (analysis/analyze.ts), in order, each with a memo
   * for what a rule computes across the whole file from that piece's own text (does it bind a name, what do its
   * imports bind): a piece no edit touched keeps its memo, so such facts are recomputed only where the text changed.
   */
  readonly pieces?: readonly Piece[];
  /**
   * What this analysis worked out once, by key, shared by every rule and every check call (the models, file-wide
   * facts): computed on first use and dropped with the analysis, so an answer never outlives the tree, text and
   * options it was computed from. Facts that depend only on one piece's text go into that piece's memo instead.
   */
  memo<T>(key: MemoKey<T>, compute: () => T): T;
  report(r: Report): void;
}

/** A piece of the file (see RuleContext.pieces): its range in the current text, and facts about that text. */
export interface Piece {
  readonly start: number;
  readonly end: number;
  readonly memo: Memo;
}

export interface Rule {
  meta: RuleMeta;
  /**
   * A tree-sitter query whose `@node` captures are the candidates `check` looks at. It runs inside WASM, so a
   * narrow pattern keeps the nodes that cross into JavaScript (the expensive part) to the few that matter.
   */
  query?: string;
  /**
   * The functions whose calls the rule wants, by qualified name: `time.sleep`, `subprocess.Popen`, `open` (a
   * builtin). The engine finds the candidates (calls of the last name, or of an alias an import gives it: `pop` after
   * `from subprocess import Popen as pop`), resolves each with the language's model, and hands `check` only the calls
   * that resolve to one of these, with the name (`match.qualified`). Without `mentions`, a file must mention one of
   * the last names. Python and Go (a Go candidate is a selector call `pkg.Name(…)` or, through a dot import, a
   * bare `Name(…)`).
   */
  calls?: readonly string[];
  /**
   * Words one of which must occur in a file's text for the rule to find anything there (a necessary condition, such
   * as the function name its query looks for). Files without any of them skip the rule altogether.
   */
  mentions?: readonly string[];
  check(node: Node, ctx: RuleContext, match?: CallMatch): void;
}

/** What a declared call (Rule.calls) matched. */
export interface CallMatch {
  /** The qualified name the call resolved to: one of the rule's `calls`. */
  readonly qualified: string;
}

/** What the rules know about the project a file belongs to (from configuration and go.mod). */
export interface Project {
  targetVersion?: string; // "3.9", "1.21"; undefined: the newest
  goModule?: string; // the go.mod module path ("std" for Go's own standard library)
  /** The file is test code by its name (analysis/context.ts: isTestPath). */
  testFile?: boolean;
  /** What performance findings in test and start-up code become (default: hints). */
  contexts?: { tests?: Severity | 'off' | 'default'; startup?: Severity | 'off' | 'default' };
  /**
   * For a Python file on disk, what the workspace says about the modules it imports (the server reads it:
   * server/src/workspace/importGraph.ts). Undefined (an untitled buffer, plain analyzeSource): rules decide without.
   */
  modules?: ModuleGraph;
}

/**
 * The first-party modules of a Python workspace as seen from the file analysed. Names are absolute and dotted; for
 * `from m import n` ask about `m.n` (when `n` is no submodule, that stands for `m` itself). Answers never throw.
 */
export interface ModuleGraph {
  /** The module resolves to a module or package of the workspace's source roots (not an installed one). */
  isFirstParty(module: string): boolean;
  /**
   * Importing the module may import the module of the analysed file, directly or through other first-party
   * modules: hoisting that import to module level would make the import circular. True when it cannot be known
   * (a file unreadable, too many to follow): when in doubt, it may.
   */
  importsBack(module: string): boolean;
  /** Changes whenever the answers may have changed (a file the graph read or looked for changed on disk). */
  readonly stamp: string;
}

/** Per-rule severity overrides from settings: rule id or short name -> severity or 'off'. */
export type RuleSettings = Record<string, Severity | 'off'>;

/** True when `version` ("3.9") is at least `minimum` ("3.9"); an unknown version counts as the newest. */
export function atLeast(version: string | undefined, minimum: string): boolean {
  if (!version) return true;
  const [a, b] = version.split('.').map(Number);
  const [c, d] = minimum.split('.').map(Number);
  return a !== c ? a > c : b >= d;
}
