// Where the WASM grammars are on disk, for the kernel's parsers: the bundles ship the .wasm files beside
// themselves (dist/); from source (the tests) they come from node_modules.
import * as fs from 'fs';
import * as path from 'path';
import { type GrammarHost, initParsers, WASM_FILES } from '../../analysis/parse';

function wasmPath(which: keyof typeof WASM_FILES): string {
  const { file, pkg } = WASM_FILES[which];
  const candidates = [path.join(__dirname, file), path.join(__dirname, 'wasm', file)];
  for (const c of candidates) if (fs.existsSync(c)) return c;
  try {
    return require.resolve(`${pkg}/${file}`);
  } catch {
    throw new Error(`cannot find ${file} (looked beside ${__dirname} and in node_modules/${pkg})`);
  }
}

export const DISK_GRAMMARS: GrammarHost = { locate: wasmPath, read: (id) => fs.readFileSync(wasmPath(id)) };

/** Loads the parsers from the WASM files on disk (once). */
export function initParsersFromDisk(): Promise<void> {
  return initParsers(DISK_GRAMMARS);
}
