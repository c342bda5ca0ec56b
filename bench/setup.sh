#!/usr/bin/env bash
# What `npm run bench` measures on, from Debian's packages (idempotent; as root, or with sudo): Django
# (python3-django), Docker's Go sources (golang-github-docker-docker-dev), the Python standard library
# (python3) and Go's own sources (golang-go brings golang-1.19-src, whose asm7.go is the Go edit-latency file).
# Ruff's WASM build is an npm devDependency, installed by `npm ci`.
set -euo pipefail
bash "$(dirname "$0")/../scripts/apt-install.sh" python3 python3-django golang-go golang-github-docker-docker-dev
