// The Go version a file is written for: the `go` directive of the nearest go.mod above it.
import * as fs from 'fs';
import * as path from 'path';

export interface GoMod {
  file: string;
  version?: string;
  module?: string;
}
const cache = new Map<string, GoMod | null>();

/** "1.21" from `go 1.21` or `go 1.21.3`; undefined when the file has no (valid) go directive. */
export function parseGoDirective(text: string): string | undefined {
  const m = /^[ \t]*go[ \t]+(\d+)\.(\d+)(?:\.\d+|rc\d+|beta\d+)?[ \t]*(?:\/\/.*)?$/m.exec(text);
  return m ? `${Number(m[1])}.${Number(m[2])}` : undefined;
}

/** The nearest go.mod at or above the folder of `file`, with its go version. */
export function goModFor(file: string): GoMod | undefined {
  const visited: string[] = [];
  let dir = path.dirname(path.resolve(file));
  let found: GoMod | null = null;
  for (;;) {
    const hit = cache.get(dir);
    if (hit !== undefined) {
      found = hit;
      break;
    }
    visited.push(dir);
    const candidate = path.join(dir, 'go.mod');
    let text: string | undefined;
    try {
      text = fs.readFileSync(candidate, 'utf8');
    } catch {
      text = undefined;
    }
    if (text !== undefined) {
      found = { file: candidate, version: parseGoDirective(text), module: /^[ \t]*module[ \t]+"?([^\s"]+)"?/m.exec(text)?.[1] };
      break;
    }
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  for (const d of visited) cache.set(d, found);
  return found ?? undefined;
}

/** The go.mod version for a file; undefined (the newest Go) when there is no go.mod or it names no version. */
export function goVersionFor(file: string): string | undefined {
  return goModFor(file)?.version;
}

export function clearGoModCache(): void {
  cache.clear();
}
