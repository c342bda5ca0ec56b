// Language server entry point (stdio, node-ipc or socket, as the client chooses on the command line).
// The same bundle is the worker script of the workspace scan's thread pool (scanPool.ts).
import { startServer } from './lsp/server';
import { isScanWorker, runScanWorker } from './scanPool';

if (isScanWorker()) {
  void runScanWorker();
} else {
  process.on('uncaughtException', (e) => {
    process.stderr.write(`hotspots server: uncaught ${e?.stack ?? e}\n`);
  });
  startServer();
}
