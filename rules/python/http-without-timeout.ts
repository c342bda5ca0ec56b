import type { Node } from 'web-tree-sitter';
import { eolOf, indentAt } from '../../analysis/text';
import type { Fix, Rule, RuleContext, TextEdit } from '../../analysis/types';
import { facts } from '../lib/python/pyutil';

/** Calls whose default timeout is none (wait forever), and the 0-based position of `timeout` if it can be positional. */
const NO_TIMEOUT = new Map<string, number | null>([
  ...['get', 'post', 'put', 'patch', 'delete', 'head', 'options'].map((m) => [`requests.${m}`, null] as [string, null]),
  ['requests.request', null],
  ['urllib.request.urlopen', 2],
  ['http.client.HTTPConnection', 2],
  ['http.client.HTTPSConnection', 2],
  ['smtplib.SMTP', 3],
  ['smtplib.SMTP_SSL', 3],
  ['ftplib.FTP', 4],
  ['ftplib.FTP_TLS', 4],
  ['socket.create_connection', 1],
]);

// Private, so the fix adds nothing to the module's public names (`__all__` checks, pydoc, `from m import *`):
// CPython's test_smtpd (its __all__ check) failed on a fixed copy while the constant was `HTTP_TIMEOUT`.
const CONSTANT = '_HTTP_TIMEOUT';

function moduleConstant(ctx: RuleContext): { edits: TextEdit[]; name: string } | undefined {
  const f = facts(ctx);
  // A constant the module already has (public or private) is reused.
  for (const name of [CONSTANT, 'HTTP_TIMEOUT']) {
    const assignedAtTop = ctx.tree.rootNode.namedChildren.some(
      (c) => c?.type === 'expression_statement' && c.namedChild(0)?.type === 'assignment' && c.namedChild(0)!.childForFieldName('left')?.text === name,
    );
    if (assignedAtTop) return { edits: [], name };
  }
  if (f.freshName(CONSTANT) !== CONSTANT) return undefined; // the name means something else here
  const at = f.importInsertionPoint();
  const eol = eolOf(ctx.text);
  return {
    edits: [{ start: at, end: at, text: `${eol}${CONSTANT} = 10  # seconds: fail fast instead of waiting forever on a stalled peer${eol}` }],
    name: CONSTANT,
  };
}

function buildFix(ctx: RuleContext, args: Node): Fix | undefined {
  const constant = moduleConstant(ctx);
  if (!constant) return undefined;
  const last = args.namedChildren.filter((c) => c && c.type !== 'comment').pop();
  let insert: TextEdit;
  const between = last ? ctx.text.slice(last.endIndex, args.endIndex - 1) : '';
  const trailing = /^([ \t]*,)[ \t]*(#[^\n]*)?\r?\n/.exec(between);
  if (last && trailing) {
    // One argument per line with a trailing comma: add a line in the same style.
    const at = last.endIndex + trailing[1].length;
    insert = { start: at, end: at, text: `${eolOf(ctx.text)}${indentAt(ctx.text, last.startIndex)}timeout=${constant.name},` };
    if (trailing[2]) return undefined; // a comment after the comma: leave it to a person
  } else if (last) {
    insert = { start: last.endIndex, end: last.endIndex, text: `, timeout=${constant.name}` };
  } else {
    insert = { start: args.startIndex + 1, end: args.startIndex + 1, text: `timeout=${constant.name}` };
  }
  return { title: `Pass timeout=${constant.name}`, applicability: 'unsafe', edits: [...constant.edits, insert] };
}

export const httpWithoutTimeout: Rule = {
  meta: {
    id: 'python/http-without-timeout',
    language: 'python',
    title: 'Network call without a timeout',
    severity: 'information',
    fix: 'unsafe',
    docs: {
      what: 'Flags network calls that wait forever unless given a timeout: `requests.get/post/put/patch/delete/head/options/request`, `urllib.request.urlopen`, `http.client.HTTPConnection`/`HTTPSConnection`, `smtplib.SMTP`/`SMTP_SSL`, `ftplib.FTP`/`FTP_TLS` and `socket.create_connection`, when no `timeout` is passed (by keyword or position) and no `**kwargs` could carry one. Not flagged inside `with pytest.raises(…)` or `with self.assertRaises(…)`: a test that expects the call to fail (a bad argument, a missing certificate) fails before any peer is waited on. Clients with a finite default are not flagged: `httpx` (5 s) and `aiohttp` (5 min total).',
      why: 'Without a timeout a call to a peer that stops answering blocks its thread forever: a worker pool drains one stuck request at a time until the whole service hangs, and nothing is logged because nothing fails. A bounded wait turns that into an error you can retry, report or shed. A timeout makes nothing faster when the peer answers (measured: the same time per request), so this is information: it bounds the worst case rather than speeding up the usual one.',
      references: [
        'requests 2.34 `requests/api.py` and `requests/adapters.py` `HTTPAdapter.send`: `timeout` defaults to `None` and is passed on as urllib3 `Timeout(connect=None, read=None)`, which urllib3 (`urllib3/util/timeout.py`) documents as an infinite timeout',
        'CPython 3.11 `Lib/socket.py` `create_connection`, `Lib/http/client.py` `HTTPConnection`, `Lib/urllib/request.py` `urlopen`, `Lib/smtplib.py`, `Lib/ftplib.py`: without `timeout` they use `socket._GLOBAL_DEFAULT_TIMEOUT`, that is `socket.getdefaulttimeout()`, which is `None` (no timeout) unless the program sets one',
        'HTTPX docs, "Timeouts": by default a `TimeoutException` is raised after 5 seconds of network inactivity',
      ],
      example:
        'import requests\n\n\ndef fetch_profile(user_id):\n    reply = requests.get(f"https://api.example.com/users/{user_id}")\n    return reply.json()',
      useInstead:
        'import requests\n\n_HTTP_TIMEOUT = 10  # seconds\n\n\ndef fetch_profile(user_id):\n    reply = requests.get(f"https://api.example.com/users/{user_id}", timeout=_HTTP_TIMEOUT)\n    return reply.json()',
      fixSafety:
        'Unsafe: the fix adds `timeout=_HTTP_TIMEOUT` and defines `_HTTP_TIMEOUT = 10` (seconds) after the imports if the module has no such constant (a private name, so the public names of the module do not change; an existing `HTTP_TIMEOUT` is reused). A call that used to wait longer than that now raises a timeout error, so choose the value for the service; the rule cannot know it.',
    },
  },
  calls: [...NO_TIMEOUT.keys()],
  check(node, ctx, match) {
    const fn = node.childForFieldName('function');
    const args = node.childForFieldName('arguments');
    if (!fn || !args || args.type !== 'argument_list' || !match) return;
    const qualified = match.qualified;
    const list = args.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
    if (list.some((a) => a.type === 'dictionary_splat' || (a.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'timeout'))) return;
    const position = NO_TIMEOUT.get(qualified);
    const positional = list.filter((a) => a.type !== 'keyword_argument');
    if (positional.some((a) => a.type === 'list_splat')) return;
    if (position !== null && position !== undefined && positional.length > position) return;
    // A test that expects the call to fail (`with pytest.raises(…)`): it fails before any peer is waited on.
    if (facts(ctx).expectedToRaise(node)) return;
    ctx.report({
      node,
      message: `\`${fn.text}()\` without a timeout waits forever on a peer that stops answering; pass \`timeout=\`.`,
      fix: buildFix(ctx, args),
    });
  },
};
