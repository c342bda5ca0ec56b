#!/usr/bin/env bash
# Installs black, pinned by test/tools/black-requirements.txt, from PyPI into .tools/py/<interpreter>/ (git-ignored;
# one folder per interpreter, as black's wheels are compiled for one) for the metamorphic tests' reformatting.
# Idempotent and quick when present. Exits 0 without it when python3 or pip or PyPI is missing: the test then says
# it skips the Python reformatting. Prints the folder to put on PYTHONPATH last.
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
req="$root/test/tools/black-requirements.txt"
want="$(sed -n 's/^black==//p' "$req")"
log() { echo "[install-black] $*" >&2; }
command -v python3 >/dev/null || { log "no python3: skipped"; exit 0; }
tag="$(python3 -c 'import sys; print(sys.implementation.cache_tag)')" || exit 0
dest="$root/.tools/py/$tag"
have() { PYTHONPATH="$dest" python3 -c "import sys, black; sys.exit(0 if black.__version__ == '$want' else 1)" 2>/dev/null; }
if have; then echo "$dest"; exit 0; fi
python3 -m pip --version >/dev/null 2>&1 || { log "no pip for python3: black skipped"; exit 0; }
tmp="$dest.partial"
rm -rf "$tmp"
log "black $want into $dest"
if ! PIP_ROOT_USER_ACTION=ignore timeout 300 python3 -m pip install --disable-pip-version-check --no-input --quiet --target "$tmp" --requirement "$req" >&2; then
  rm -rf "$tmp"; log "pip could not install black (no PyPI?): skipped"; exit 0
fi
rm -rf "$dest" && mv "$tmp" "$dest"
have && echo "$dest" || log "black $want does not import from $dest"
exit 0
