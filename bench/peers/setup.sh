#!/usr/bin/env bash
# Installs the native tools that `npm run bench` runs beside Hotspots, at pinned versions, into .tools/peers/
# (git-ignored), never globally, and only from the package registries:
#   .tools/peers/venv  ruff, flake8 + flake8-async, pylint + perflint: bench/peers/requirements.txt, from PyPI
#   .tools/peers/bin   staticcheck and golangci-lint (v2): `go install` from the Go module proxy, built with the Go
#                      that scripts/go-toolchain.sh picks (both need Go 1.26 or later)
# Idempotent: a tool already at its pinned version is left as it is (a second run takes about a second).
# It always exits 0: when a registry cannot be reached or an install fails it says so and leaves that tool out,
# and bench/compare/run.mjs then skips it with a message. .tools/peers/status lists each tool as ok or missing.
#   usage: bash bench/peers/setup.sh            (npm run bench:peers; bench/setup.sh runs it too)
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
peers="$root/.tools/peers"
STATICCHECK_VERSION=v0.8.2        # staticcheck 2026.2.2
GOLANGCI_LINT_VERSION=v2.15.0
mkdir -p "$peers/bin"
status="$peers/status"
: >"$status.new"
say() { echo "[peers $(date +%T)] $*"; }
mark() { echo "$1 $2${3:+ $3}" >>"$status.new"; }   # tool ok|missing [why]

# ---- Python: one venv, every package pinned ----
python_peers() {
  local venv="$peers/venv" req="$here/requirements.txt"
  local stamp="$venv/.requirements.sha256" want
  want="$(sha256sum "$req" | cut -d' ' -f1)"
  if [ -x "$venv/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ] && "$venv/bin/python" -c 'import ruff, flake8, flake8_async, pylint, perflint' 2>/dev/null; then
    say "Python peers already installed ($(grep -c '==' "$req") pinned packages)"
    return 0
  fi
  local py; py="$(command -v python3)" || { say "no python3: Python peers skipped"; return 1; }
  if ! "$py" -c 'import ensurepip, venv' 2>/dev/null; then
    # Debian's python3 makes venvs only with python3-venv.
    if [ "$py" = /usr/bin/python3 ] && command -v apt-get >/dev/null; then
      bash "$root/scripts/apt-install.sh" python3-venv || true
    fi
    "$py" -c 'import ensurepip, venv' 2>/dev/null || { say "python3 cannot make a venv (apt-get install python3-venv): Python peers skipped"; return 1; }
  fi
  say "creating $venv with $("$py" --version 2>&1) and installing bench/peers/requirements.txt from PyPI"
  rm -rf "$venv"
  "$py" -m venv "$venv" || { say "python3 -m venv failed: Python peers skipped"; return 1; }
  if ! "$venv/bin/pip" install --quiet --disable-pip-version-check --require-virtualenv --retries 2 --timeout 60 -r "$req" >"$peers/pip.log" 2>&1; then
    tail -5 "$peers/pip.log" | sed 's/^/    /'
    say "pip install failed (is PyPI reachable? full log: .tools/peers/pip.log): Python peers skipped"
    return 1
  fi
  echo "$want" >"$stamp"
}
if python_peers; then
  v="$peers/venv/bin"
  mark ruff ok "$("$v/ruff" --version | cut -d' ' -f2)"
  mark flake8-async ok "$("$v/python" -c 'import importlib.metadata as m; print(m.version("flake8-async"))')"
  mark perflint ok "$("$v/python" -c 'import importlib.metadata as m; print(m.version("perflint"))')"
else
  for t in ruff flake8-async perflint; do mark "$t" missing "pip install failed"; done
fi

# ---- Go: go install from the module proxy into .tools/peers/bin ----
go_peer() {   # name package version version-test...
  local name="$1" pkg="$2" version="$3"; shift 3
  local bin="$peers/bin/$name"
  if [ -x "$bin" ] && "$@" 2>/dev/null | grep -qF "${version#v}"; then
    say "$name $version already installed"; mark "$name" ok "$version"; return 0
  fi
  if [ -z "${GO:-}" ]; then mark "$name" missing "no Go toolchain"; return 1; fi
  say "go install $pkg@$version (with $("$GO" env GOVERSION); a few minutes the first time)"
  # GOTOOLCHAIN=local: build with this Go, never fetch another toolchain.
  if ! GOTOOLCHAIN=local GOBIN="$peers/bin" "$GO" install "$pkg@$version" >"$peers/$name.log" 2>&1; then
    tail -5 "$peers/$name.log" | sed 's/^/    /'
    say "go install of $name failed (is the Go module proxy reachable? is Go 1.26 or later here? log: .tools/peers/$name.log): $name skipped"
    mark "$name" missing "go install failed"; return 1
  fi
  mark "$name" ok "$version"
}
GO="$(bash "$root/scripts/go-toolchain.sh" 2>/dev/null)" || { GO=; say "no Go toolchain (scripts/go-toolchain.sh): staticcheck and golangci-lint skipped"; }
go_peer staticcheck honnef.co/go/tools/cmd/staticcheck "$STATICCHECK_VERSION" "$peers/bin/staticcheck" -version
go_peer golangci-lint github.com/golangci/golangci-lint/v2/cmd/golangci-lint "$GOLANGCI_LINT_VERSION" "$peers/bin/golangci-lint" --version

mv "$status.new" "$status"
say "peers: $(awk '{printf "%s%s %s", (NR>1 ? ", " : ""), $1, $2}' "$status")"
exit 0
