import type { Node } from 'web-tree-sitter';
import { eolOf, nextLineStart } from '../../analysis/text';
import type { Fix, Rule, RuleContext } from '../../analysis/types';
import { calledInLoop, facts } from '../lib/python/pyutil';

const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request']);
const SESSION = 'HTTP_SESSION';

function buildFix(ctx: RuleContext, fn: Node, method: string): Fix | undefined {
  const f = facts(ctx);
  const exists = ctx.tree.rootNode.namedChildren.some(
    (c) => c?.type === 'expression_statement' && c.namedChild(0)?.type === 'assignment' && c.namedChild(0)!.childForFieldName('left')?.text === SESSION,
  );
  if (!exists && f.freshName(SESSION) !== SESSION) return undefined;
  const edits = [{ start: fn.startIndex, end: fn.endIndex, text: `${SESSION}.${method}` }];
  if (!exists) {
    // The session needs `requests` bound at module level; `from requests import get` alone does not bind it. It
    // goes after the leading imports, and after a later module-level `import requests` if that is what binds it.
    const bound = f.topImportsBefore(ctx.text.length).find((i) => i.kind === 'import' && i.names.some((n) => n.name === 'requests' && !n.alias));
    const at = Math.max(f.importInsertionPoint(), bound ? nextLineStart(ctx.text, bound.node.endIndex) : 0);
    const eol = eolOf(ctx.text);
    const needsImport = f.ensureImport('requests');
    if (needsImport === undefined) return undefined;
    // Both go to the same place: one edit, the import first.
    edits.push({
      start: at,
      end: at,
      text: `${needsImport ? needsImport.text : ''}${eol}${SESSION} = requests.Session()  # reuses connections (keep-alive) across requests${eol}`,
    });
  }
  return { title: `Reuse one requests.Session (${SESSION}.${method})`, applicability: 'unsafe', edits };
}

export const requestsWithoutSession: Rule = {
  meta: {
    id: 'python/requests-without-session',
    language: 'python',
    title: 'requests.get/post/… called repeatedly without a Session',
    severity: 'information',
    fix: 'unsafe',
    docs: {
      what: 'Flags the module-level `requests` functions (`requests.get`, `post`, `put`, `patch`, `delete`, `head`, `options`, `request`) called inside a loop or comprehension, or inside a function that this file calls from a loop or comprehension. Calls on a `Session` and one-off calls are not flagged. Loops that provably do not repeat it do not count: it leaves the loop right after (`break`, `return`, `raise`, `sys.exit()`), the loop runs over at most 8 literal items or `range(k)` of a constant, or it is a retry loop (it goes round again only from an `except` handler, and leaves on success).',
      why: 'Each module-level call builds a new `Session` and throws it away, so every request opens a new TCP connection (and, for HTTPS, a new TLS handshake) instead of reusing a kept-alive one. Against the same host that handshake often costs more than the request itself.',
      references: [
        'requests 2.34 `requests/api.py` `request` (behind `requests.get`, `post`, …): `with sessions.Session() as session: return session.request(...)`, a new Session for every call',
        'requests 2.34 `requests/sessions.py` `Session` and `Session.close`, `requests/adapters.py` `HTTPAdapter.close`: a Session "provides cookie persistence, connection-pooling, and configuration"; closing it clears the urllib3 `PoolManager`, closing its pooled connections',
      ],
      example: 'import requests\n\n\ndef fetch_all(urls):\n    return [requests.get(url, timeout=10).json() for url in urls]',
      useInstead:
        'import requests\n\nHTTP_SESSION = requests.Session()\n\n\ndef fetch_all(urls):\n    return [HTTP_SESSION.get(url, timeout=10).json() for url in urls]',
      fixSafety:
        'Unsafe: the fix creates one module-level `HTTP_SESSION = requests.Session()` after the imports and calls its method instead. A shared session keeps cookies and connection state between calls, and `requests` does not document `Session` as thread-safe, so code that calls from several threads may need a session per thread.',
    },
  },
  mentions: ['requests'],
  calls: [...METHODS].map((m) => `requests.${m}`),
  check(node, ctx, match) {
    const fn = node.childForFieldName('function');
    if (!fn || !match) return;
    const f = facts(ctx);
    const method = match.qualified.slice('requests.'.length);
    const inLoop = f.repeats(node);
    const caller = inLoop ? undefined : calledInLoop(ctx, node);
    if (!inLoop && !caller) return;
    ctx.report({
      node,
      message: inLoop
        ? `\`${fn.text}()\` in a loop opens a new connection for every request; reuse one \`requests.Session()\`.`
        : `\`${fn.text}()\` opens a new connection on every call, and \`${caller}()\` is called in a loop in this file; reuse one \`requests.Session()\`.`,
      fix: buildFix(ctx, fn, method),
      loop: inLoop ? f.repeatingLoops(node)[0] : undefined,
    });
  },
};
