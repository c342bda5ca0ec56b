// Names a rule looked up across the whole file while checking one definition (is `f` called in a loop somewhere,
// does anything else bind `json`, what does the function `jitter` do with its parameter). The incremental analysis
// re-checks a definition when an edit changed what the file says about a name it read; reads that stay inside
// the definition itself need no record.

let current: Set<string> | undefined;

/** Records that the rule being run depends on the places `name` occurs in the file (and what surrounds them). */
export function readsName(name: string): void {
  current?.add(name);
}

/** Records that the rule being run depends on the whole definition of `name` (a function's body, a type's fields). */
export function readsDefinition(name: string): void {
  current?.add(`${DEFINITION}${name}`);
}

export const DEFINITION = 'def:';

/** Directs the records into `into` (undefined: records nothing, as in a one-off scan). */
export function recordReadsInto(into: Set<string> | undefined): void {
  current = into;
}
