#!/usr/bin/env bash
# Prints the path of the `go` command that the tests and benchmarks use, and nothing else on stdout:
#   the newest Go 1.22 or later among the one on PATH, /usr/local/go and Debian's /usr/lib/go-*;
#   else Debian's golang-go (`--install` installs it when there is no Go at all; as root, or with sudo).
# Exits 1, with a message on stderr, when there is none.
#   --legacy  prints Debian's Go 1.19 instead (for figures kept beside the current ones), or exits 1.
#   --install installs Debian's golang-go when no Go 1.22 or later is found.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
mode=current; install=
for a in "$@"; do
  case "$a" in
    --legacy) mode=legacy ;;
    --install) install=1 ;;
    *) echo "usage: go-toolchain.sh [--legacy] [--install]" >&2; exit 2 ;;
  esac
done

# "1.26.8" for a go binary, or nothing.
version_of() { "$1" env GOVERSION 2>/dev/null | sed -n 's/^go\([0-9][0-9.]*\).*/\1/p'; }
# minor version number ("26" of "1.26.8").
minor_of() { echo "$1" | cut -d. -f2; }

if [ "$mode" = legacy ]; then
  for g in /usr/lib/go-1.19/bin/go; do
    [ -x "$g" ] && { echo "$g"; exit 0; }
  done
  echo "go-toolchain: Debian's Go 1.19 (golang-1.19-go) is not installed" >&2
  exit 1
fi

candidates() {
  command -v go 2>/dev/null
  [ -x /usr/local/go/bin/go ] && echo /usr/local/go/bin/go
  ls -d /usr/lib/go-1.*/bin/go 2>/dev/null
  [ -x /usr/lib/go/bin/go ] && echo /usr/lib/go/bin/go
}

pick() {
  local best= bestminor=-1 any=
  while read -r g; do
    [ -n "$g" ] && [ -x "$g" ] || continue
    local v; v="$(version_of "$g")"
    [ -n "$v" ] || continue
    any="${any:-$g}"
    local m; m="$(minor_of "$v")"
    if [ "$m" -gt "$bestminor" ]; then best="$g"; bestminor="$m"; fi
  done < <(candidates | awk '!seen[$0]++')
  if [ "$bestminor" -ge 22 ]; then echo "$best"; return 0; fi
  # No current Go: Debian's golang-go (which is older) if it is there.
  [ -n "$best" ] && { echo "$best"; return 0; }
  return 1
}

if g="$(pick)"; then
  echo "$g"; exit 0
fi
if [ -n "$install" ]; then
  echo "go-toolchain: no Go 1.22 or later here; installing Debian's golang-go" >&2
  bash "$here/apt-install.sh" golang-go >&2 || exit 1
  g="$(pick)" && { echo "$g"; exit 0; }
fi
echo "go-toolchain: no Go toolchain found (PATH, /usr/local/go, /usr/lib/go-*); apt-get install golang-go" >&2
exit 1
