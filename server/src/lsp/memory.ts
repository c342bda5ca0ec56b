// After a workspace scan the server holds little (a cache entry and a URI per file) but V8 keeps the heap it grew
// to while the outcomes streamed in (about 100 MB after 19,000 files) until allocation pressure collects it, which
// an idle language server never has. A full collection once the scan is over hands that memory back.
import * as v8 from 'v8';
import * as vm from 'vm';

let collect: (() => void) | undefined | null;

/** Runs a full garbage collection (once the current work is done); does nothing where the runtime refuses. */
export function collectGarbageSoon(): void {
  setImmediate(() => {
    if (collect === undefined) {
      try {
        v8.setFlagsFromString('--expose-gc');
        collect = vm.runInNewContext('gc') as () => void;
      } catch {
        collect = null;
      }
    }
    collect?.();
  });
}
