#!/usr/bin/env bash
# `npm test`: type-check, build, then: rule fixtures and the LSP server over stdio (mocha), fixes applied to copies
# of real code (a subset of `npm run fix-corpus`),
# the mocha suite inside a real VS Code (code-server), and the packaged .vsix installed and driven in a browser.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
logs="$(mktemp -d)"
passed=0; failed=0
step() { echo; echo "=== $*"; }

step "test tools (Debian packages, code-server; idempotent)"
bash test/e2e/install.sh || exit 1

step "type-check"
npx tsc -p . --noEmit || { echo "type errors"; exit 1; }
step "layering: the kernel (analysis/) imports nothing outside itself, rules/ only the kernel (npm run check:layers)"
if node scripts/check-layers.mjs; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
step "lint: ESLint with typescript-eslint's recommended rules (npm run lint)"
if npx eslint .; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
step "format: Prettier (npm run format:check; npm run format rewrites)"
if npx prettier --check . >/dev/null; then passed=$((passed + 1)); else npx prettier --list-different .; failed=$((failed + 1)); fi
step "build"
node scripts/build.mjs || exit 1

step "unit, fixture and LSP tests (mocha)"
npx mocha --reporter spec 2>&1 | tee "$logs/mocha.txt"
m_status=${PIPESTATUS[0]}
p=$(sed -n 's/^ *\([0-9][0-9]*\) passing.*/\1/p' "$logs/mocha.txt" | tail -1); f=$(sed -n 's/^ *\([0-9][0-9]*\) failing.*/\1/p' "$logs/mocha.txt" | tail -1)
passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
[ "$m_status" = 0 ] || [ "${f:-0}" != 0 ] || failed=$((failed + 1))

step "fixes applied to real code: Django, part of the CPython standard library, part of Docker (npm run fix-corpus -- --subset)"
if node scripts/fix-corpus.mjs --subset; then passed=$((passed + 1)); else failed=$((failed + 1)); fi

step "end to end in VS Code (code-server + Chromium)"
bash test/e2e/run.sh 2>&1 | grep -v '^Ignoring fetching additional builtin extensions' | tee "$logs/e2e.txt"
e_status=${PIPESTATUS[0]}
line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$logs/e2e.txt" | tail -1)
p=$(echo "$line" | sed -n 's/^\([0-9]*\) passed.*/\1/p'); f=$(echo "$line" | sed -n 's/.*, \([0-9]*\) failed$/\1/p')
passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
[ "$e_status" = 0 ] || [ "${f:-0}" != 0 ] || failed=$((failed + 1))

step "packaged .vsix installed into code-server and driven in the browser"
if bash test/e2e/vsix.sh; then passed=$((passed + 1)); else failed=$((failed + 1)); fi

echo
echo "total: $passed passed, $failed failed"
[ "$failed" = 0 ]
