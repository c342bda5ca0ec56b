#!/usr/bin/env bash
# Activation time and time to first diagnostics in a real VS Code (code-server + headless Chromium).
# Run: npm run bench:vscode   (RUNS=N for more runs; prints one line per measure per run)
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
ws="$(mktemp -d)"
node -e "import('$root/bench/large-file.mjs').then(m => require('fs').writeFileSync('$ws/large.py', m.largePython(5000)))"
export WS_DIR="$ws" E2E_PORT="${E2E_PORT:-18090}"
. "$root/test/e2e/env.sh"
"$E2E_HOME/install.sh" >/dev/null || exit 1
(cd "$root" && node scripts/build.mjs) || exit 1
for i in $(seq 1 "${RUNS:-3}"); do
  "$E2E_HOME/start-code-server.sh" >/dev/null || exit 1
  MODE=test EXT_DEV_PATH="$root" EXT_TESTS_PATH="$root/dist/bench/vscode/index" node "$E2E_HOME/drive.mjs" | grep '^BENCH'
  "$E2E_HOME/stop-code-server.sh"
done
rm -rf "$ws"
