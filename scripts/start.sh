#!/usr/bin/env bash
# `npm start`: builds and packages the extension, installs it into a local code-server (a real VS Code in the
# browser), and opens a copy of examples/ in it. Prints the URL, then serves until Ctrl-C.
#   HOTSPOTS_PORT (default 8080) picks the port; it listens on 127.0.0.1 only.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
export E2E_PORT="${HOTSPOTS_PORT:-8080}"
export WS_DIR="$root/examples"
. "$root/test/e2e/env.sh"
"$E2E_HOME/install.sh"
(cd "$root" && npm run -s package >/dev/null)
echo "packaged hotspots.vsix ($(du -k "$root/hotspots.vsix" | cut -f1) KiB)"
INSTALL_VSIX="$root/hotspots.vsix" "$E2E_HOME/start-code-server.sh"
trap '"$E2E_HOME/stop-code-server.sh"; echo "stopped"' EXIT INT TERM
cat <<MSG

  Hotspots is running in VS Code (code-server) with the sample workspace:

      $CS_URL/?folder=$WS_RUN

  Open a .py or .go file for squiggles, Ctrl+. for fixes, "Hotspots: Scan Workspace" for the panel.
  (The workspace is a copy of examples/ at $WS_RUN.) Press Ctrl-C to stop.

MSG
if [ -n "${HOTSPOTS_START_DETACH:-}" ]; then trap - EXIT INT TERM; exit 0; fi
while kill -0 "$(cat "$E2E_STATE/cs.pid")" 2>/dev/null; do sleep 1; done
