// SARIF 2.1.0 output for `hotspots scan --format sarif`: the rules that ran, and one result per finding with
// its location and proposed fix. Columns are 1-based UTF-16 code units (SARIF's default columnKind).
import * as path from 'path';
import { URI } from 'vscode-uri';
import { LineIndex } from '../../analysis/text';
import type { Finding, Rule, Severity } from '../../analysis/types';

export interface SarifFile {
  path: string;
  text: string;
  findings: Finding[];
}

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

function region(lines: LineIndex, start: number, end: number) {
  const s = lines.position(start);
  const e = lines.position(end);
  return { startLine: s.line + 1, startColumn: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1 };
}

function artifact(file: string, root: string) {
  const rel = path.relative(root, path.resolve(file));
  return rel.startsWith('..') || path.isAbsolute(rel)
    ? { uri: URI.file(path.resolve(file)).toString() }
    : { uri: rel.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
}

export function toSarif(files: SarifFile[], rules: readonly Rule[], version: string, docsPath: (id: string) => string | undefined, root = process.cwd()) {
  const index = new Map(rules.map((r, i) => [r.meta.id, i]));
  const results = files.flatMap((file) => {
    const lines = new LineIndex(file.text);
    const location = artifact(file.path, root);
    return file.findings.map((f) => ({
      ruleId: f.rule,
      ruleIndex: index.get(f.rule),
      level: LEVEL[f.severity],
      message: { text: f.message },
      locations: [{ physicalLocation: { artifactLocation: location, region: region(lines, f.start, f.end) } }],
      ...(f.fix
        ? {
            fixes: [
              {
                description: { text: f.fix.applicability === 'unsafe' ? `${f.fix.title} (unsafe: may change behaviour)` : f.fix.title },
                artifactChanges: [
                  {
                    artifactLocation: location,
                    replacements: f.fix.edits.map((e) => ({ deletedRegion: region(lines, e.start, e.end), insertedContent: { text: e.text } })),
                  },
                ],
              },
            ],
          }
        : {}),
    }));
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'hotspots',
            version,
            rules: rules.map((r) => {
              const docs = docsPath(r.meta.id);
              return {
                id: r.meta.id,
                name: r.meta.id.split('/')[1],
                shortDescription: { text: r.meta.title },
                fullDescription: { text: r.meta.docs.what },
                help: { text: `${r.meta.docs.why}\n\nFix safety: ${r.meta.docs.fixSafety}` },
                ...(docs ? { helpUri: URI.file(docs).toString() } : {}),
                defaultConfiguration: { level: LEVEL[r.meta.severity] },
                properties: { language: r.meta.language, fix: r.meta.fix },
              };
            }),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: URI.file(root.endsWith(path.sep) ? root : root + path.sep).toString() } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}
