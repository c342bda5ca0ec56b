// Loads web-tree-sitter and the WASM grammars once, and parses text (incrementally when given the old tree).
// The host says where the WASM files are and reads them (server/src/grammars.ts): the kernel touches no files.
import { Language, Parser, Tree, Node, type Query, type QueryCapture } from 'web-tree-sitter';
import type { LanguageId } from './types';

/** The WASM files the kernel needs: web-tree-sitter's runtime and one grammar per language. */
export const WASM_FILES: Record<LanguageId | 'runtime', { file: string; pkg: string }> = {
  runtime: { file: 'web-tree-sitter.wasm', pkg: 'web-tree-sitter' },
  python: { file: 'tree-sitter-python.wasm', pkg: 'tree-sitter-python' },
  go: { file: 'tree-sitter-go.wasm', pkg: 'tree-sitter-go' },
};

/** How the host provides the WASM files: a path for the runtime (web-tree-sitter loads it), bytes for grammars. */
export interface GrammarHost {
  locate(which: keyof typeof WASM_FILES): string;
  read(which: LanguageId): Uint8Array;
}

let ready: Promise<void> | undefined;
const languages = new Map<LanguageId, Language>();
const parsers = new Map<LanguageId, Parser>();

export function initParsers(host: GrammarHost): Promise<void> {
  if (!ready) {
    ready = (async () => {
      const runtime = host.locate('runtime');
      await Parser.init({ locateFile: () => runtime });
      for (const id of ['python', 'go'] as LanguageId[]) {
        const lang = await Language.load(host.read(id));
        languages.set(id, lang);
        const p = new Parser();
        p.setLanguage(lang);
        parsers.set(id, p);
      }
    })();
  }
  return ready;
}

export function language(id: LanguageId): Language {
  const l = languages.get(id);
  if (!l) throw new Error('parsers not initialised: await initEngine() first');
  return l;
}

/** Parses `text`; pass `oldTree` (already edited with tree.edit) for an incremental re-parse. */
export function parse(id: LanguageId, text: string, oldTree?: Tree | null): Tree {
  const p = parsers.get(id);
  if (!p) throw new Error('parsers not initialised: await initEngine() first');
  const t = p.parse(text, oldTree ?? null);
  if (!t) throw new Error('tree-sitter returned no tree');
  return t;
}

/** The language of a file by its name's extension. */
export function languageForPath(file: string): LanguageId | undefined {
  const ext = /\.[^./\\]*$/.exec(file)?.[0].toLowerCase();
  if (ext === '.py' || ext === '.pyi' || ext === '.pyw') return 'python';
  if (ext === '.go') return 'go';
  return undefined;
}

/** Ranges [start, end) of ERROR and MISSING nodes, for refusing fixes that would touch broken code. */
export function errorRanges(tree: Tree): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  if (!tree.rootNode.hasError) return out;
  const visit = (n: Node) => {
    if (n.isError || n.isMissing) {
      out.push([n.startIndex, n.endIndex]);
      return;
    }
    if (!n.hasError) return;
    for (let i = 0; i < n.childCount; i++) {
      const c = n.child(i);
      if (c) visit(c);
    }
  };
  visit(tree.rootNode);
  return out;
}

export function countErrors(tree: Tree): number {
  return errorRanges(tree).length;
}

export type { Tree, Node };

/**
 * The captures of `query` below `node` that lie in [start, end) of the text, in the character offsets
 * Node.startIndex uses. web-tree-sitter hands a query's startIndex/endIndex to tree-sitter unchanged, as byte
 * offsets into the UTF-16 text it parsed: twice the character offsets (test/core.test.ts pins this down).
 */
export function capturesIn(query: Query, node: Node, start: number, end: number): QueryCapture[] {
  return query.captures(node, { startIndex: start * 2, endIndex: end * 2 });
}
