#!/usr/bin/env bash
# Packages the .vsix, installs it into a fresh code-server, and drives the workbench in headless Chromium:
# squiggles, the Problems panel, the hover, the quick-fix menu, the scan and the Hotspots panel must all show.
# Screenshots go to $SHOT_DIR (default: a temporary folder; `npm run screenshot` writes docs/images/).
set -uo pipefail
. "$(dirname "$0")/env.sh"
"$E2E_HOME/install.sh" || exit 1
(cd "$REPO" && npm run -s package) || exit 1
: "${SHOT_DIR:=$(mktemp -d)}"; export SHOT_DIR
INSTALL_VSIX="$REPO/hotspots.vsix" "$E2E_HOME/start-code-server.sh" || exit 1
trap '"$E2E_HOME/stop-code-server.sh"' EXIT
MODE=screenshot node "$E2E_HOME/drive.mjs"
