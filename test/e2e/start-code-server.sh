#!/usr/bin/env bash
# Starts a fresh code-server on 127.0.0.1:$E2E_PORT in the background (own process group; pid in $E2E_STATE/cs.pid),
# on a fresh copy of $WS_DIR. INSTALL_VSIX=path.vsix installs that .vsix into the (fresh) extensions folder first.
set -euo pipefail
. "$(dirname "$0")/env.sh"
"$E2E_HOME/stop-code-server.sh" >/dev/null 2>&1 || true
rm -rf "$E2E_STATE"
mkdir -p "$E2E_STATE/home" "$E2E_STATE/user/User" "$E2E_STATE/ext" "$WS_RUN"
cp -r "$WS_DIR/." "$WS_RUN/"
# No extension gallery (it would ask open-vsx.org); code-server's config and data kept out of the real $HOME.
export EXTENSIONS_GALLERY='{}'
export HOME="$E2E_STATE/home" XDG_CONFIG_HOME="$E2E_STATE/home/.config" XDG_DATA_HOME="$E2E_STATE/home/.local/share" XDG_CACHE_HOME="$E2E_STATE/home/.cache"
cat > "$E2E_STATE/user/User/settings.json" <<'JSON'
{
  "files.autoSave": "off",
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "security.workspace.trust.enabled": false,
  "chat.commandCenter.enabled": false,
  "window.commandCenter": false,
  "workbench.colorTheme": "Default Dark Modern"
}
JSON
args=(--bind-addr "127.0.0.1:$E2E_PORT" --auth none --disable-telemetry --disable-update-check
      --disable-workspace-trust --disable-getting-started-override
      --user-data-dir "$E2E_STATE/user" --extensions-dir "$E2E_STATE/ext")
if [ -n "${INSTALL_VSIX:-}" ]; then
  "$CS_BIN" "${args[@]}" --install-extension "$INSTALL_VSIX" 2>&1 | grep -v "^\[" || true
  "$CS_BIN" "${args[@]}" --list-extensions --show-versions 2>/dev/null | grep -q '^hotspots.hotspots@' \
    || { echo "the .vsix did not install"; exit 1; }
  echo "installed $("$CS_BIN" "${args[@]}" --list-extensions --show-versions 2>/dev/null | grep '^hotspots.hotspots@')"
fi
setsid "$CS_BIN" "${args[@]}" "$WS_RUN" > "$E2E_STATE/code-server.log" 2>&1 < /dev/null &
echo $! > "$E2E_STATE/cs.pid"
for i in $(seq 1 100); do
  if curl -fsS "$CS_URL/healthz" >/dev/null 2>&1; then echo "code-server up at $CS_URL (pid $(cat "$E2E_STATE/cs.pid"))"; exit 0; fi
  kill -0 "$(cat "$E2E_STATE/cs.pid")" 2>/dev/null || break
  sleep 0.3
done
cat "$E2E_STATE/code-server.log"; echo "code-server did not come up"; exit 1
