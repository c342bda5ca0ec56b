// Where the shipped rule pages are: docs/rules beside the bundle's folder (dist/../docs) or up from the sources.
// Used by the server (diagnostics' links, the docs command) and the CLI (SARIF help URIs).
import * as fs from 'fs';
import * as path from 'path';

let docsRoot: string | null | undefined;
function findDocsRoot(): string | null {
  if (docsRoot !== undefined) return docsRoot;
  for (let dir = __dirname, i = 0; i < 5; i++, dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'docs', 'rules');
    if (fs.existsSync(candidate)) return (docsRoot = candidate);
  }
  return (docsRoot = null);
}

const docsPaths = new Map<string, string | undefined>();
export function ruleDocsPath(ruleId: string): string | undefined {
  if (!docsPaths.has(ruleId)) {
    const root = findDocsRoot();
    const file = root ? path.join(root, ...ruleId.split('/')) + '.md' : undefined;
    docsPaths.set(ruleId, file && fs.existsSync(file) ? file : undefined);
  }
  return docsPaths.get(ruleId);
}
