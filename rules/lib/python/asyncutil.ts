// Helpers for rules that rewrite calls inside coroutines.
import type { Node } from 'web-tree-sitter';
import type { TextEdit } from '../../../analysis/types';
import type { PyFacts } from './pyutil';

/** Adds `import asyncio` when the module does not have it; undefined when `asyncio` means something else here. */
export function asyncioImport(f: PyFacts): TextEdit[] | undefined {
  const e = f.ensureImport('asyncio');
  if (e === undefined) return undefined;
  return e ? [e] : [];
}

/** True when the call is the operand of `await` already (an async API, e.g. `await anyio.Path(p).read_text()`). */
export function isAwaited(call: Node): boolean {
  return call.parent?.type === 'await';
}

/** True inside a generator expression, where adding `await` would turn it into an async generator. */
export function inGeneratorExpression(n: Node): boolean {
  for (let p = n.parent; p; p = p.parent) {
    if (p.type === 'generator_expression') return true;
    if (p.type === 'function_definition' || p.type === 'lambda') return false;
  }
  return false;
}

/** `await X` where the call stood, parenthesised when the call was the object of an attribute, subscript or call. */
export function awaitText(call: Node, inner: string): string {
  const p = call.parent;
  const tight =
    p &&
    ((p.type === 'attribute' && p.childForFieldName('object')?.startIndex === call.startIndex) ||
      (p.type === 'subscript' && p.childForFieldName('value')?.startIndex === call.startIndex) ||
      (p.type === 'call' && p.childForFieldName('function')?.startIndex === call.startIndex));
  return tight ? `(await ${inner})` : `await ${inner}`;
}
