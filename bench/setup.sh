#!/usr/bin/env bash
# What `npm run bench` measures on, from Debian's packages (idempotent; as root, or with sudo): Django
# (python3-django), Docker's Go sources (golang-github-docker-docker-dev), the Python standard library
# (python3) and Go's own sources (golang-go brings golang-1.19-src, whose asm7.go is the Go edit-latency file).
# Ruff's WASM build is an npm devDependency, installed by `npm ci`.
set -euo pipefail
need=()
for p in python3 python3-django golang-go golang-github-docker-docker-dev; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if ((${#need[@]})); then
  SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
  echo "[bench] apt-get install ${need[*]}"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${need[@]}"
fi
