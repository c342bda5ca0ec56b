// Memos: what rules and the models work out once and share, under typed keys (no string keys that could collide,
// no module-level caches keyed by tree that outlive the options they were computed with).

/** A key for a memo entry holding a T: made once per kind of fact, `memoKey<Set<string>>('imported modules')`. */
export interface MemoKey<T> {
  readonly description: string;
  /** Never set: carries the type of the value. */
  readonly _value?: T;
}

export function memoKey<T>(description: string): MemoKey<T> {
  return { description };
}

/** Values by key, each computed on first use. */
export class Memo {
  private readonly values = new Map<MemoKey<unknown>, unknown>();

  get<T>(key: MemoKey<T>, compute: () => T): T {
    if (this.values.has(key)) return this.values.get(key) as T;
    const v = compute();
    this.values.set(key, v);
    return v;
  }

  /** An entry per name under one key (`binds json`, `binds os`): the key holds a map by name. */
  named<T>(key: MemoKey<Map<string, T>>, name: string, compute: () => T): T {
    const byName = this.get(key, () => new Map<string, T>());
    if (byName.has(name)) return byName.get(name) as T;
    const v = compute();
    byName.set(name, v);
    return v;
  }

  get size(): number {
    return this.values.size;
  }
}
