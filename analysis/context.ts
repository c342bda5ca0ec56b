// Where a finding's code runs, as far as the file and its name show: in test code, or in start-up code that runs
// once (a module's top level, `if __name__ == "__main__":`, Go's `init` and `main`). Findings of performance rules
// there are demoted (to a hint by default): their cost does not repeat with the input.
import type { Node } from 'web-tree-sitter';
import type { LanguageId, Project, Severity } from './types';

export type CodeContext = 'test' | 'startup';

/** What findings in each context become: a severity, 'off', or 'default' (the rule's own severity). */
export interface ContextSeverities {
  tests?: Severity | 'off' | 'default';
  startup?: Severity | 'off' | 'default';
}

export const DEFAULT_CONTEXT_SEVERITY: Required<ContextSeverities> = { tests: 'hint', startup: 'hint' };

const TEST_DIRS = new Set(['test', 'tests', 'testing']);

/**
 * True when a path names test code by the conventions of pytest, unittest and the go tool: `test_*.py`,
 * `*_test.py`, `conftest.py`, `*_test.go`, or any file below a folder named `test`, `tests` or `testing`.
 */
export function isTestPath(file: string): boolean {
  const parts = file.split(/[\\/]/);
  const name = parts[parts.length - 1];
  if (/^test_.*\.py$|_test\.py$|^conftest\.py$|_test\.go$/.test(name)) return true;
  return parts.slice(0, -1).some((d) => TEST_DIRS.has(d));
}

const PY_FUNCS = new Set(['function_definition', 'lambda']);

/** The context of `node`'s code, or undefined for ordinary code. */
export function codeContext(node: Node, language: LanguageId, project: Project): CodeContext | undefined {
  if (project.testFile) return 'test';
  return language === 'python' ? pythonContext(node) : goContext(node);
}

function pythonContext(node: Node): CodeContext | undefined {
  let inFunction = false;
  for (let p: Node | null = node.parent; p; p = p.parent) {
    if (PY_FUNCS.has(p.type)) {
      inFunction = true;
      const name = p.childForFieldName('name')?.text ?? '';
      if (p.type === 'function_definition' && /^test/.test(name) && inTestClassOrModule(p)) return 'test';
    }
    if (!inFunction && p.type === 'if_statement' && p.parent?.type === 'module' && isMainGuard(p)) return 'startup';
  }
  return inFunction ? undefined : 'startup';
}

/** A `test*` function at module level, or a method of a `Test*` class: pytest's and unittest's collection. */
function inTestClassOrModule(fn: Node): boolean {
  const owner = fn.parent?.parent; // block -> class_definition, or module
  if (fn.parent?.type === 'module' || (fn.parent?.type === 'decorated_definition' && fn.parent.parent?.type === 'module')) return true;
  const cls = owner?.type === 'class_definition' ? owner : owner?.parent?.type === 'class_definition' ? owner.parent : undefined;
  return !!cls && /^Test|Test$|TestCase$/.test(cls.childForFieldName('name')?.text ?? '');
}

function isMainGuard(stmt: Node): boolean {
  const cond = stmt.childForFieldName('condition')?.text.replace(/\s+/g, '') ?? '';
  return cond === '__name__=="__main__"' || cond === "__name__=='__main__'" || cond === '"__main__"==__name__' || cond === "'__main__'==__name__";
}

/** Go: inside `init`, or `main` of package main, or a package-level initializer (function literals there included). */
function goContext(node: Node): CodeContext | undefined {
  let top: Node | undefined;
  for (let p: Node | null = node.parent; p; p = p.parent) {
    if (p.parent?.type === 'source_file') {
      top = p;
      break;
    }
  }
  if (!top) return undefined;
  if (top.type === 'function_declaration') {
    const name = top.childForFieldName('name')?.text;
    if (name === 'init') return 'startup';
    if (name === 'main' && packageName(top) === 'main') return 'startup';
    return undefined;
  }
  // A package-level var or const initializer runs once, at program start.
  if (top.type === 'var_declaration' || top.type === 'const_declaration') return 'startup';
  return undefined;
}

function packageName(top: Node): string | undefined {
  const clause = top.parent?.namedChildren.find((c) => c?.type === 'package_clause');
  return clause?.namedChild(0)?.text;
}

const RANK: Record<Severity, number> = { hint: 0, information: 1, warning: 2, error: 3 };

/** The severity a finding keeps in its context: lowered to the context's (never raised), or 'off'. */
export function demoted(severity: Severity, context: CodeContext, settings: ContextSeverities | undefined): Severity | 'off' {
  const chosen = (context === 'test' ? settings?.tests : settings?.startup) ?? DEFAULT_CONTEXT_SEVERITY[context === 'test' ? 'tests' : 'startup'];
  if (chosen === 'default') return severity;
  if (chosen === 'off') return 'off';
  return RANK[chosen] < RANK[severity] ? chosen : severity;
}
