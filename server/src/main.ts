// Language server entry point (stdio, node-ipc or socket, as the client chooses on the command line).
import { startServer } from './lsp/server';

process.on('uncaughtException', (e) => { process.stderr.write(`hotspots server: uncaught ${e?.stack ?? e}\n`); });
startServer();
