// A content-hash cache of findings: a file whose bytes, language, settings and project (target version, Go
// module) are unchanged is not analysed again. On disk for the CLI (one JSON file per entry, in a folder that
// ignores itself in git), in memory for the server's workspace scans.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { Finding } from './types';

export interface CacheKeyParts {
  tool: string;            // the tool's identity: version and a hash of its code (so a new build never reads old entries)
  language: string;
  settings: unknown;
  project: unknown;
  content: string | Uint8Array;
}

export function cacheKey(p: CacheKeyParts): string {
  const h = crypto.createHash('sha256');
  h.update(`${p.tool}\0${p.language}\0${JSON.stringify(p.settings ?? {})}\0${JSON.stringify(p.project ?? {})}\0`);
  h.update(p.content);
  return h.digest('hex');
}

export interface FindingsCache {
  get(key: string): Finding[] | undefined;
  set(key: string, findings: Finding[]): void;
}

export class MemoryCache implements FindingsCache {
  private readonly entries = new Map<string, Finding[]>();
  constructor(private readonly limit = 50000) {}
  get size(): number { return this.entries.size; }
  get(key: string): Finding[] | undefined { return this.entries.get(key); }
  set(key: string, findings: Finding[]): void {
    if (this.entries.size >= this.limit) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, findings);
  }
}

/** Entries under `dir/<2 hex>/<key>.json`. Unreadable or corrupt entries count as misses; write errors are ignored. */
export class DiskCache implements FindingsCache {
  private prepared = false;
  private readonly made = new Set<string>();
  constructor(readonly dir: string) {}

  get(key: string): Finding[] | undefined {
    try {
      const data = JSON.parse(fs.readFileSync(this.file(key), 'utf8')) as Finding[];
      return Array.isArray(data) ? data : undefined;
    } catch {
      return undefined;
    }
  }

  set(key: string, findings: Finding[]): void {
    try {
      this.prepare();
      const file = this.file(key);
      const dir = path.dirname(file);
      if (!this.made.has(dir)) { fs.mkdirSync(dir, { recursive: true }); this.made.add(dir); }
      // Written in place: a rename per entry cost 0.5 ms (0.45 s over Django's 859 files). A torn entry cannot
      // parse as a complete JSON array, so a reader takes it as a miss.
      fs.writeFileSync(file, JSON.stringify(findings));
    } catch {
      /* a cache that cannot be written only costs time */
    }
  }

  private file(key: string): string { return path.join(this.dir, 'v1', key.slice(0, 2), `${key}.json`); }

  /** The folder ignores itself in git (as Ruff's and pytest's caches do) and is marked as a cache for backup tools. */
  private prepare(): void {
    if (this.prepared) return;
    this.prepared = true;
    fs.mkdirSync(this.dir, { recursive: true });
    const ignore = path.join(this.dir, '.gitignore');
    if (!fs.existsSync(ignore)) fs.writeFileSync(ignore, '# Created by hotspots: this folder is a cache.\n*\n');
    const tag = path.join(this.dir, 'CACHEDIR.TAG');
    if (!fs.existsSync(tag)) fs.writeFileSync(tag, 'Signature: 8a477f597d28d172789f06886806bc55\n# This is a cache folder created by hotspots.\n');
  }
}

let toolIdentity: string | undefined;
/** The running tool's identity for cache keys: its version and a hash of its own code file. */
export function toolHash(version: string, codeFile: string): string {
  if (!toolIdentity) {
    let code = '';
    try { code = crypto.createHash('sha256').update(fs.readFileSync(codeFile)).digest('hex').slice(0, 16); } catch { code = String(Date.now()); }
    toolIdentity = `${version}+${code}`;
  }
  return toolIdentity;
}
