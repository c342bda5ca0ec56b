#!/usr/bin/env bash
# Stops the code-server started by start-code-server.sh and everything it spawned (extension hosts, language
# servers, file watchers): it was started with setsid, so its pid is its process-group id.
. "$(dirname "$0")/env.sh"
pidf="$E2E_STATE/cs.pid"
[ -f "$pidf" ] || exit 0
pid="$(cat "$pidf")"
if kill -0 "$pid" 2>/dev/null; then
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid"
  for i in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$pid" 2>/dev/null || true
fi
rm -f "$pidf"
