#!/usr/bin/env bash
# What `npm run bench` measures on, from Debian's packages (idempotent; as root, or with sudo): Django
# (python3-django), Docker's Go sources (golang-github-docker-docker-dev), the Python standard library
# (python3) and Go's own sources (golang-go brings golang-1.19-src; the Go edit-latency file and the Go standard
# library corpus come from the current toolchain's GOROOT when there is one, see scripts/go-toolchain.sh).
# Ruff's WASM build is an npm devDependency, installed by `npm ci`. Then the native peers (ruff, flake8-async,
# perflint, staticcheck, golangci-lint) into .tools/peers/: bench/peers/setup.sh, which exits 0 even when it
# cannot install them (the bench then skips them with a message).
set -euo pipefail
bash "$(dirname "$0")/../scripts/apt-install.sh" python3 python3-django golang-go golang-github-docker-docker-dev
bash "$(dirname "$0")/peers/setup.sh"
