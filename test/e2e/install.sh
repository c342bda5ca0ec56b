#!/usr/bin/env bash
# Installs what the end-to-end tests and `npm start` need, from Debian's packages and the npm registry only.
# Idempotent. code-server's version (and all its dependencies) are pinned by test/e2e/tools/package-lock.json.
set -euo pipefail
. "$(dirname "$0")/env.sh"
log() { echo "[e2e-install $(date +%T)] $*"; }

# 1. Debian packages: Chromium (the browser that renders the workbench), Neovim (the other-editor test), ripgrep (stands in for
#    @vscode/ripgrep's GitHub download), Kerberos headers and compilers for code-server's native modules, and the
#    real code that `npm run fix-corpus` fixes (Django from python3-django, Docker's Go sources from
#    golang-github-docker-docker-dev).
bash "$(dirname "$0")/../../scripts/apt-install.sh" chromium ripgrep libkrb5-dev build-essential python3 pkg-config curl neovim python3-django golang-github-docker-docker-dev
# 1b. Go, whose gofmt, go build and go vet check every Go fixture and fix: the machine's Go when it is 1.22 or
#     newer, else Debian's golang-go (installed here when there is no such Go).
log "Go for the tests: $(bash "$(dirname "$0")/../../scripts/go-toolchain.sh" --install) ($("$(bash "$(dirname "$0")/../../scripts/go-toolchain.sh")" env GOVERSION))"

# 1c. black from PyPI, pinned by test/tools/black-requirements.txt, into .tools/py/: the metamorphic tests reformat the
#     Python fixtures with it (without pip or PyPI it says so, and those tests skip).
bash "$(dirname "$0")/../tools/install-black.sh" >/dev/null

# 2. code-server from npm, pinned by the lock file.
want="$(node -p "require('$E2E_HOME/tools/package.json').dependencies['code-server']")"
have="$(node -p "try { require('$CS_DIR/node_modules/code-server/package.json').version } catch { '' }" 2>/dev/null || true)"
if [ "$have" = "$want" ] && [ -x "$CS_BIN" ]; then
  log "code-server $have present"
else
  # @vscode/ripgrep's postinstall downloads rg from GitHub, which fails offline. It first looks for
  # $TMPDIR/vscode-ripgrep-cache-<version>/ripgrep-<tag>-<target>.tar.gz: seed that with Debian's rg.
  # code-server 4.99.4 ships @vscode/ripgrep 1.15.11, whose tag is v13.0.0-10.
  rgver=1.15.11; rgtag=v13.0.0-10
  tmp="${TMPDIR:-/tmp}"
  cache="$tmp/vscode-ripgrep-cache-$rgver"
  mkdir -p "$cache"
  work="$(mktemp -d)"; cp "$(command -v rg)" "$work/rg"
  tar -C "$work" -czf "$cache/ripgrep-$rgtag-x86_64-unknown-linux-musl.tar.gz" rg
  rm -rf "$work"
  log "npm ci code-server@$want into $CS_DIR (compiles native modules; 1-3 min)"
  rm -rf "$CS_DIR"; mkdir -p "$CS_DIR"
  cp "$E2E_HOME/tools/package.json" "$E2E_HOME/tools/package-lock.json" "$CS_DIR/"
  # npm_config_unsafe_perm: code-server's postinstall refuses to run as root without it.
  # npm_config_yes: node-pty's postinstall runs `npx node-gyp`, which a yes=false npmrc would refuse.
  (cd "$CS_DIR" && npm_config_unsafe_perm=true npm_config_yes=true npm ci --no-audit --no-fund --foreground-scripts > install.log 2>&1) \
    || { tail -40 "$CS_DIR/install.log"; log "code-server install FAILED (log: $CS_DIR/install.log)"; exit 1; }
  log "code-server installed"
fi
