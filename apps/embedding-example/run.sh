#!/usr/bin/env bash
# An outside service's view of the packages: build and pack them, install the tarballs with npm into this example
# (which is not in the pnpm workspace), type-check it with plain tsc (nodenext), run the use case on plain node,
# then the ConfigStore contract suite and the msw use case under vitest.
# Usage: apps/embedding-example/run.sh [path/to/node]   (default: the node on PATH)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
node_bin="${1:-$(command -v node)}"
export PATH="$(cd "$(dirname "$node_bin")" && pwd):$PATH"
version="$(node --version)"
major="${version#v}"
major="${major%%.*}"
echo "== embedding example on node $version"

packs="$here/.packs"
rm -rf "$packs" "$here/node_modules" "$here/dist"
mkdir -p "$packs"
(cd "$root" && pnpm -r --filter "./packages/*" run build && pnpm -r --filter "./packages/*" pack --pack-destination "$packs")
# Version-less names, so package.json's file: paths survive a version bump.
for tarball in "$packs"/*.tgz; do
  mv "$tarball" "$(printf '%s' "$tarball" | sed -E 's/-[0-9]+\.[0-9]+\.[0-9]+[^/]*\.tgz$/.tgz/')"
done

echo "-- the core alone in an empty project with effect: both entries load on plain node, without vitest"
bare="$(mktemp -d)"
trap 'rm -rf "$bare"' EXIT
(
  cd "$bare"
  printf '{ "name": "bare", "private": true, "type": "module" }\n' >package.json
  npm install --no-package-lock --no-audit --no-fund --loglevel=error "$packs/sciple-jira-core.tgz" effect@4.1.0
  if [ -e node_modules/vitest ] || [ -e node_modules/@effect/vitest ]; then
    echo "vitest was installed with the core" >&2
    exit 1
  fi
  node --input-type=module -e '
    const core = await import("@sciple/jira-core")
    const testing = await import("@sciple/jira-core/testing")
    if (typeof core.homeSummary !== "function" || typeof testing.makeInMemoryConfigStore !== "function") process.exit(1)
    console.log("@sciple/jira-core and @sciple/jira-core/testing load")'
)

echo "-- the example: npm install of the tarballs, tsc, the use case on plain node"
cd "$here"
npm install --no-package-lock --no-audit --no-fund --loglevel=error
npx tsc -p .
node dist/main.js
if [ "$major" -ge 22 ]; then
  echo "-- the ConfigStore contract suite and the use case against the simulator's msw handlers"
  npx vitest run
else
  # msw 3 and vitest 5 require Node 22 or later; CI runs this part on the project's Node 24.
  echo "-- node $version: vitest 5 and msw 3 need Node 22 or later; the suite runs on the project's Node 24"
fi
