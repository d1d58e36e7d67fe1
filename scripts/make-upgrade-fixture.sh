#!/usr/bin/env bash
# Renders the upgrade fixtures with the generator as it was at a git ref, so upgrade tests can
# start from repos an older release really wrote:
#
#   scripts/make-upgrade-fixture.sh <git-ref>
#
# Writes test/fixtures/upgrade/<version at that ref>/<spec>/ for every spec in
# test/fixtures/upgrade/specs/. Run it for the last release whenever templates change in a way
# an upgrade must handle, and commit the result (see test/fixtures/upgrade/README.md).
set -euo pipefail
ref=${1:?usage: scripts/make-upgrade-fixture.sh <git-ref>}
root=$(git rev-parse --show-toplevel)
work=$(mktemp -d)
trap 'git -C "$root" worktree remove --force "$work/generator" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

git -C "$root" worktree add --detach "$work/generator" "$ref" >/dev/null
(cd "$work/generator" && npm ci --no-audit --no-fund --silent && npm run build --silent)
version=$(node -p "require('$work/generator/package.json').version")
for spec in "$root"/test/fixtures/upgrade/specs/*.json; do
  name=$(basename "$spec" .json)
  out="$root/test/fixtures/upgrade/$version/$name"
  rm -rf "$out"
  node "$work/generator/bin/create-mcp-server.js" "$out" --config "$spec" --yes --no-install --no-git >/dev/null
  echo "wrote ${out#"$root"/}"
done
