import type { Node } from 'web-tree-sitter';
import type { Fix, Rule, RuleContext } from '../../analysis/types';

const SUBPROCESS = new Set(['subprocess.run', 'subprocess.call', 'subprocess.check_call', 'subprocess.check_output', 'subprocess.Popen']);
const ALWAYS_SHELL = new Set(['os.system', 'os.popen', 'subprocess.getoutput', 'subprocess.getstatusoutput']);
/** Characters a POSIX shell gives meaning to; a command that uses them needs the shell. */
const SHELL_META = /[|&;<>()$`\\"'*?[\]#~=%!\n{}]/;

type Built = 'interpolated' | 'constant' | 'unknown';

function howBuilt(n: Node): Built {
  if (n.type === 'string') return n.namedChildren.some((c) => c?.type === 'interpolation') ? 'interpolated' : 'constant';
  if (n.type === 'concatenated_string') return n.namedChildren.some((c) => c && howBuilt(c) === 'interpolated') ? 'interpolated' : 'constant';
  if (n.type === 'binary_operator') {
    const op = n.childForFieldName('operator')?.type;
    const left = n.childForFieldName('left');
    if (op === '%' && left && (left.type === 'string' || left.type === 'concatenated_string')) return 'interpolated';
    if (op === '+') return 'interpolated';
  }
  if (n.type === 'call') {
    const fn = n.childForFieldName('function');
    if (fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'format' && fn.childForFieldName('object')?.type === 'string')
      return 'interpolated';
  }
  return 'unknown';
}

/**
 * `f"git log {rev}"` -> `["git", "log", str(rev)]`, when every piece is a plain word and every interpolation a
 * whole word without conversion or format spec; undefined when the string needs the shell.
 */
function argvFrom(s: Node): string | undefined {
  if (s.type !== 'string') return undefined;
  const prefix = /^[A-Za-z]*/.exec(s.text)![0].toLowerCase();
  if (prefix.includes('b') || prefix.includes('r')) return undefined;
  const tokens: string[] = [];
  let word = ''; // the literal text of the current word
  let pending: string | undefined; // an interpolation that must stand alone
  const flush = () => {
    if (pending !== undefined) {
      if (word) return false;
      tokens.push(`str(${pending})`);
      pending = undefined;
    } else if (word) tokens.push(JSON.stringify(word));
    word = '';
    return true;
  };
  for (const part of s.namedChildren) {
    if (!part || part.type === 'string_start' || part.type === 'string_end') continue;
    if (part.type === 'string_content') {
      if (SHELL_META.test(part.text)) return undefined;
      for (const ch of part.text) {
        if (ch === ' ' || ch === '\t') {
          if (!flush()) return undefined;
        } else {
          if (pending !== undefined) return undefined;
          word += ch;
        }
      }
    } else if (part.type === 'interpolation') {
      const expr = part.childForFieldName('expression');
      if (!expr || part.namedChildren.some((c) => c && (c.type === 'type_conversion' || c.type === 'format_specifier'))) return undefined;
      if (word || pending !== undefined) return undefined;
      pending = expr.text;
    } else {
      return undefined; // escape sequences and the like: leave them alone
    }
  }
  if (!flush() || !tokens.length) return undefined;
  return `[${tokens.join(', ')}]`;
}

/** Removes `shell=True` with the comma before it (or after it, when it comes first). */
function dropKeyword(text: string, kw: Node): { start: number; end: number; text: string } {
  let start = kw.startIndex,
    end = kw.endIndex;
  const before = text.slice(0, start).match(/,\s*$/);
  if (before) start -= before[0].length;
  else {
    const after = text.slice(end).match(/^\s*,\s*/);
    if (after) end += after[0].length;
  }
  return { start, end, text: '' };
}

function buildFix(ctx: RuleContext, command: Node, shellKw: Node): Fix | undefined {
  const argv = argvFrom(command);
  if (!argv) return undefined;
  return {
    title: 'Pass an argument list and drop shell=True',
    applicability: 'unsafe',
    edits: [{ start: command.startIndex, end: command.endIndex, text: argv }, dropKeyword(ctx.text, shellKw)],
  };
}

function listFix(ctx: RuleContext, shellKw: Node): Fix {
  return { title: 'Drop shell=True (the list runs as given)', applicability: 'unsafe', edits: [dropKeyword(ctx.text, shellKw)] };
}

export const shellSubprocess: Rule = {
  meta: {
    id: 'python/shell-subprocess',
    language: 'python',
    title: 'Command run through a shell',
    severity: 'information',
    fix: 'unsafe',
    docs: {
      what: 'Flags commands run through `/bin/sh`: `subprocess.run/call/check_call/check_output/Popen(…, shell=True)`, `os.system`, `os.popen`, `subprocess.getoutput/getstatusoutput`. Not flagged: an empty command (`os.system("")`, the known way to make the Windows console handle ANSI colours: starting the shell is the point). A command built by interpolation (f-string, `%`, `.format`, `+`) is a warning, and so is an argument list passed with `shell=True` (only its first item is run); a constant command, or one built elsewhere, is information only.',
      why: 'A shell command starts the shell (`/bin/sh -c`) before the program itself, which costs about a millisecond per call and adds up in loops, and the shell re-parses the string: a file name with a space splits into two arguments, and a value containing `;` or `$(…)` runs code. An argument list starts the program directly and passes each value as exactly one argument.',
      references: [
        "CPython 3.11 `Lib/subprocess.py` `Popen._execute_child`: with `shell=True` the arguments become `['/bin/sh', '-c'] + args`, so a string is one command line for the shell to parse, and of a list only the first item is the command, the rest being the shell's own arguments",
        'CPython 3.11 `Lib/os.py` `popen` and `Lib/subprocess.py` `getoutput`/`getstatusoutput`: run the command with `shell=True`; `os.system` executes "the command in a subshell"',
      ],
      example:
        'import subprocess\n\n\ndef changed_files(rev):\n    out = subprocess.run(f"git diff --name-only {rev}", shell=True, capture_output=True, text=True)\n    return out.stdout.split()',
      useInstead:
        'import subprocess\n\n\ndef changed_files(rev):\n    out = subprocess.run(["git", "diff", "--name-only", str(rev)], capture_output=True, text=True)\n    return out.stdout.split()',
      fixSafety:
        "Unsafe, and offered only for a `subprocess` call whose command is a plain or f-string made of space-separated words, each interpolation a whole word, with no character a shell treats specially (quotes, `|`, `&`, `;`, `<`, `>`, `$`, globs …): the fix passes a list and removes `shell=True`. Behaviour changes where the shell would have split an interpolated value containing spaces, expanded `~` or a variable, or where a program is a shell builtin. `os.system` and `os.popen` are not rewritten: their return values differ from `subprocess`'s.",
    },
  },
  calls: [...SUBPROCESS, ...ALWAYS_SHELL],
  check(node, ctx, match) {
    const fn = node.childForFieldName('function');
    const args = node.childForFieldName('arguments');
    if (!fn || !args || args.type !== 'argument_list' || !match) return;
    const q = match.qualified;
    const list = args.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
    const command =
      list.find((a) => a.type !== 'keyword_argument') ??
      list.find((a) => a.type === 'keyword_argument' && /^(args|cmd|command)$/.test(a.childForFieldName('name')?.text ?? ''))?.childForFieldName('value');
    if (!command || command.type === 'list_splat' || command.type === 'dictionary_splat') return;
    let shellKw: Node | undefined;
    if (SUBPROCESS.has(q)) {
      shellKw = list.find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'shell');
      if (!shellKw || shellKw.childForFieldName('value')?.text !== 'True') return;
    }
    // `os.system("")` runs no program: it is the known way to make Windows' console handle ANSI colours (the
    // shell starting is the point).
    if (command.type === 'string' && /^[rRbBuU]*(['"]{1,3})\s*\1$/.test(command.text)) return;
    const built = howBuilt(command);
    if (command.type === 'list' && shellKw) {
      ctx.report({
        node,
        message: `\`${fn.text}()\` passes an argument list with \`shell=True\`: on POSIX only the first item is run, by a shell, and the rest become the shell's own arguments; drop \`shell=True\`.`,
        severity: 'warning',
        fix: listFix(ctx, shellKw),
      });
      return;
    }
    const how = built === 'interpolated' ? 'an interpolated command' : built === 'constant' ? 'a constant command' : 'a command built elsewhere';
    ctx.report({
      node,
      message: `\`${fn.text}()\` runs ${how} through a shell: the shell starts on every call (\`/bin/sh -c\`) and re-parses the string; pass an argument list.`,
      severity: built === 'interpolated' ? undefined : 'information',
      fix: shellKw ? buildFix(ctx, command, shellKw) : undefined,
    });
  },
};
