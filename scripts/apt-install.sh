#!/usr/bin/env bash
# Installs the Debian packages named that are missing (as root, or with sudo). Idempotent.
# usage: bash scripts/apt-install.sh PACKAGE...
set -euo pipefail
need=()
for p in "$@"; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if ((${#need[@]})); then
  SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
  echo "[apt-install $(date +%T)] apt-get install ${need[*]}"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${need[@]}"
fi
