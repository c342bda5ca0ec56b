// A content-hash cache of findings: a file whose bytes, language, settings and project (target version, Go
// module) are unchanged is not analysed again (nor is one whose findings read other files, while those are). On disk for the CLI (one JSON file per entry, in a folder that
// ignores itself in git), in memory for the server's workspace scans.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { Finding } from '../../../analysis/types';
import { type FileStamp, fileStampsHold } from './fileStamp';

export interface CacheKeyParts {
  tool: string; // the tool's identity: version and a hash of its code (so a new build never reads old entries)
  language: string;
  settings: unknown;
  project: unknown;
  /** The text, or its contentHash when that is known already (StatIndex). */
  content: string | Uint8Array | { hash: string };
}

/**
 * An entry's key is a hash of everything that decides the findings, the content by its own hash (contentHash):
 * this prefix, which files with the same tool, language, settings and project share, then the content.
 */
export function cacheKeyPrefix(p: Omit<CacheKeyParts, 'content'>): string {
  return `${p.tool}\0${p.language}\0${JSON.stringify(p.settings ?? {})}\0${JSON.stringify(p.project ?? {})}`;
}

/** The key of an entry: a prefix (cacheKeyPrefix) worked out once for many files, and the content. */
export function cacheKeyWith(prefix: string, content: CacheKeyParts['content']): string {
  const hash = typeof content === 'string' || content instanceof Uint8Array ? contentHash(content) : content.hash;
  return crypto.createHash('sha256').update(`${prefix}\0${hash}`).digest('hex');
}

export function contentHash(content: string | Uint8Array): string {
  return crypto.createHash('sha256').update(content).digest('hex');
}

/**
 * A cache entry: the findings, and for findings that depend on other files too (python/import-in-loop asked the
 * workspace's module graph), those files' and folders' stamps: the entry holds only while each is unchanged.
 */
export interface CacheEntry {
  findings: Finding[];
  dependsOn?: FileStamp[];
  /** With `dependsOn`: the file analysed (the graph's answers depend on where it is, not only on its text). */
  file?: string;
}

export interface FindingsCache {
  /** The entry under `key` for `file`, if there is one whose dependencies still hold (and were read for that file). */
  get(key: string, file: string): CacheEntry | undefined;
  set(key: string, findings: Finding[], dependsOn?: FileStamp[], file?: string): void;
}

/** True when an entry may answer for `file`: it depends on nothing else, or was made for that file and still holds. */
function holdsFor(e: CacheEntry, file: string): boolean {
  return !e.dependsOn || (e.file === path.resolve(file) && fileStampsHold(e.dependsOn));
}

function entryOf(findings: Finding[], dependsOn: FileStamp[] | undefined, file: string | undefined): CacheEntry {
  return dependsOn?.length && file ? { findings, dependsOn, file: path.resolve(file) } : { findings };
}

export class MemoryCache implements FindingsCache {
  private readonly entries = new Map<string, CacheEntry>();
  constructor(private readonly limit = 50000) {}
  get size(): number {
    return this.entries.size;
  }
  get(key: string, file: string): CacheEntry | undefined {
    const e = this.entries.get(key);
    return e && holdsFor(e, file) ? e : undefined;
  }
  set(key: string, findings: Finding[], dependsOn?: FileStamp[], analysed?: string): void {
    if (dependsOn?.length && !analysed) return; // cannot tell which file it answers for
    if (this.entries.size >= this.limit) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, entryOf(findings, dependsOn, analysed));
  }
}

/** Entries under `dir/<2 hex>/<key>.json`. Unreadable or corrupt entries count as misses; write errors are ignored. */
export class DiskCache implements FindingsCache {
  private prepared = false;
  private readonly made = new Set<string>();
  constructor(readonly dir: string) {}

  /** An entry is the JSON array of its findings, or `{"findings", "dependsOn", "file"}` (CacheEntry). */
  get(key: string, file: string): CacheEntry | undefined {
    try {
      const data = JSON.parse(fs.readFileSync(this.file(key), 'utf8')) as unknown;
      if (Array.isArray(data)) return { findings: data as Finding[] };
      const e = data as CacheEntry | null;
      if (!e || !Array.isArray(e.findings) || !Array.isArray(e.dependsOn) || !holdsFor(e, file)) return undefined;
      return { findings: e.findings, dependsOn: e.dependsOn, file: e.file };
    } catch {
      return undefined;
    }
  }

  set(key: string, findings: Finding[], dependsOn?: FileStamp[], analysed?: string): void {
    if (dependsOn?.length && !analysed) return;
    try {
      this.prepare();
      const file = this.file(key);
      const dir = path.dirname(file);
      if (!this.made.has(dir)) {
        fs.mkdirSync(dir, { recursive: true });
        this.made.add(dir);
      }
      // Written in place: a rename per entry cost 0.5 ms (0.45 s over Django's 859 files). A torn entry cannot
      // parse as complete JSON, so a reader takes it as a miss.
      const entry = entryOf(findings, dependsOn, analysed);
      fs.writeFileSync(file, JSON.stringify(entry.dependsOn ? entry : findings));
    } catch {
      /* a cache that cannot be written only costs time */
    }
  }

  private file(key: string): string {
    return path.join(this.dir, 'v1', key.slice(0, 2), `${key}.json`);
  }

  /** This folder's StatIndex (one per cache folder and process). */
  get index(): StatIndex {
    return (this._index ??= new StatIndex(path.join(this.dir, 'v1-index.json'), () => this.prepare()));
  }
  private _index: StatIndex | undefined;

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

/**
 * What a warm scan need not read: for each file the (size, mtime, inode) it had when its content was hashed, and that
 * hash. A file whose stat still matches is not read again (as git's index and Ruff's cache trust file metadata).
 * Entries are recorded only for files last modified more than two seconds before they were read, so a file changed
 * again within the file system's timestamp granularity is never trusted; anything else just means a read.
 * It also lists the cache keys whose findings are none (most files): those entries need not be read either.
 */
export class StatIndex {
  private entries: Map<string, [number, number, number, string]> | undefined;
  private readonly empty = new Set<string>();
  private changed = false;
  constructor(
    private readonly file: string,
    private readonly beforeWrite: () => void,
  ) {}

  private load(): Map<string, [number, number, number, string]> {
    if (!this.entries) {
      this.entries = new Map();
      try {
        const data = JSON.parse(fs.readFileSync(this.file, 'utf8')) as { files?: Record<string, [number, number, number, string]>; empty?: string[] };
        for (const [k, v] of Object.entries(data.files ?? {})) if (Array.isArray(v) && v.length === 4) this.entries.set(k, v);
        for (const k of Array.isArray(data.empty) ? data.empty : []) if (typeof k === 'string') this.empty.add(k);
      } catch {
        /* no index yet, or a torn one: every file is read */
      }
    }
    return this.entries;
  }

  /** The content hash recorded for `file` when its stat (taken now, or just before by the caller) is unchanged. */
  lookup(file: string, stat?: fs.Stats): string | undefined {
    const e = this.load().get(file);
    if (!e) return undefined;
    let st: fs.Stats;
    try {
      st = stat ?? fs.statSync(file);
    } catch {
      return undefined;
    }
    return st.isFile() && st.size === e[0] && st.mtimeMs === e[1] && st.ino === e[2] ? e[3] : undefined;
  }

  /** Records `hash` for `file` as read after `stat` was taken. */
  note(file: string, stat: fs.Stats, hash: string): void {
    if (Date.now() - stat.mtimeMs < 2000) return;
    const entries = this.load();
    const e = entries.get(file);
    if (e && e[0] === stat.size && e[1] === stat.mtimeMs && e[2] === stat.ino && e[3] === hash) return;
    entries.set(file, [stat.size, stat.mtimeMs, stat.ino, hash]);
    this.changed = true;
  }

  /** True when the entry under `key` is known to hold no findings. */
  isEmpty(key: string): boolean {
    this.load();
    return this.empty.has(key);
  }

  noteEmpty(key: string): void {
    this.load();
    if (!this.empty.has(key)) {
      this.empty.add(key);
      this.changed = true;
    }
  }

  /** Writes the index when it changed (through a temporary file: a concurrent run reads the old or the new one). */
  save(): void {
    if (!this.changed || !this.entries) return;
    try {
      this.beforeWrite();
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      const tmp = `${this.file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify({ files: Object.fromEntries(this.entries), empty: [...this.empty] }));
      fs.renameSync(tmp, this.file);
      this.changed = false;
    } catch {
      /* an index that cannot be written only costs time */
    }
  }
}

let toolIdentity: string | undefined;
/** The running tool's identity for cache keys: its version and a hash of its own code file. */
export function toolHash(version: string, codeFile: string): string {
  if (!toolIdentity) {
    let code: string;
    try {
      code = crypto.createHash('sha256').update(fs.readFileSync(codeFile)).digest('hex').slice(0, 16);
    } catch {
      code = String(Date.now());
    }
    toolIdentity = `${version}+${code}`;
  }
  return toolIdentity;
}
