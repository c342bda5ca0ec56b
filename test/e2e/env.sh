# Settings shared by the end-to-end scripts. Source it: `. "$(dirname "$0")/env.sh"`.
# Adapted from shared/e2e (code-server from npm + Debian Chromium, offline).
E2E_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$E2E_HOME/../.." && pwd)"
: "${E2E_TOOLS:=$REPO/.tools}"                       # code-server install (reused between runs; git-ignored)
: "${E2E_PORT:=18080}"                               # code-server listens on 127.0.0.1:$E2E_PORT only
: "${E2E_STATE:=${TMPDIR:-/tmp}/hotspots-e2e-$E2E_PORT}"   # per-run user data, extensions, HOME (wiped on start)
: "${WS_DIR:=$E2E_HOME/workspace}"                   # the workspace; a fresh copy is opened on every run
WS_RUN="$E2E_STATE/ws"
: "${CHROMIUM:=/usr/bin/chromium}"
CS_DIR="$E2E_TOOLS/code-server"
CS_BIN="$CS_DIR/node_modules/.bin/code-server"
CS_URL="http://127.0.0.1:$E2E_PORT"
export E2E_HOME REPO E2E_TOOLS E2E_PORT E2E_STATE WS_DIR WS_RUN CHROMIUM CS_DIR CS_BIN CS_URL
