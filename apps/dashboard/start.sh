#!/bin/sh
# `pnpm start` / `pnpm demo`: builds the bundles, then replaces this shell with node, so that Ctrl-C (SIGINT) and
# SIGTERM reach the app itself, which closes the server and the database and exits 0.
# Usage: start.sh [main|demo]   (main by default)
set -eu
cd "$(dirname "$0")"
entry="${1:-main}"
case "$entry" in
  main | demo) ;;
  *)
    echo "usage: start.sh [main|demo]" >&2
    exit 2
    ;;
esac
# The node binary itself: `node` on a pnpm script's PATH may be a shell wrapper that a signal would kill first.
node_bin="$(node -p process.execPath)"
"$node_bin" build.mjs
# The heap flags from package.json's "config" (pnpm exports them), also when this script runs on its own.
flags="${npm_package_config_nodeFlags-$("$node_bin" -p 'require("./package.json").config.nodeFlags')}"
# Unquoted on purpose: the flags are separate words.
exec "$node_bin" $flags "dist/$entry.js"
