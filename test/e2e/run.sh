#!/usr/bin/env bash
# Runs the mocha suite in test/e2e/suite inside the real extension host of code-server, driven by headless
# Chromium: the extension is loaded as a development extension from the repository, the tests through the
# workbench's `payload` URL parameter. Output streams to the terminal; the exit code is the suite's.
set -uo pipefail
. "$(dirname "$0")/env.sh"
"$E2E_HOME/install.sh" || exit 1
(cd "$REPO" && node scripts/build.mjs) || exit 1
"$E2E_HOME/start-code-server.sh" || exit 1
trap '"$E2E_HOME/stop-code-server.sh"' EXIT
MODE=test EXT_DEV_PATH="$REPO" EXT_TESTS_PATH="$REPO/dist/test/e2e/index" node "$E2E_HOME/drive.mjs"
