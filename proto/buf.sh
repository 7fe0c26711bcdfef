#!/usr/bin/env bash
# The contract's own checks, with buf (https://buf.build) at a pinned version:
#   proto/buf.sh          buf lint (STANDARD + COMMENTS, proto/buf.yaml), then buf breaking
#                         against the frozen contract proto/frozen/kofu-v1.binpb when it exists
#   proto/buf.sh freeze   writes proto/frozen/kofu-v1.binpb from the current proto (do it once,
#                         when v1 is frozen, commit it and tag the commit contract-v1)
# buf comes from the npm registry (@bufbuild/buf with its platform binary package), installed
# under .tools/ of the checkout where missing. ./mvnw verify runs this (module proto, phase
# verify); -Dbuf.skip=true skips it.
set -euo pipefail
BUF_VERSION=1.75.0
cd "$(dirname "$0")"
tools="${KOFU_TOOLS:-$(cd .. && pwd)/.tools}/buf-$BUF_VERSION"
buf="$tools/node_modules/.bin/buf"
if [ ! -x "$buf" ] || [ "$("$buf" --version 2>/dev/null)" != "$BUF_VERSION" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "buf.sh: buf $BUF_VERSION is not installed and npm is not on PATH to install it" >&2
    echo "buf.sh: install Node.js with npm (e.g. apt-get install nodejs npm), or skip with -Dbuf.skip=true" >&2
    exit 1
  fi
  echo "buf.sh: installing @bufbuild/buf@$BUF_VERSION into $tools"
  mkdir -p "$tools"
  npm install --no-save --no-audit --no-fund --loglevel=error --prefix "$tools" "@bufbuild/buf@$BUF_VERSION" >&2
fi
frozen=frozen/kofu-v1.binpb
case "${1:-check}" in
  freeze)
    mkdir -p frozen
    # Only kofu's own module: third_party (google/api) is not ours to freeze.
    "$buf" build src/main/proto -o "$frozen"
    echo "buf.sh: wrote proto/$frozen; commit it and tag the commit contract-v1"
    ;;
  check)
    "$buf" lint
    echo "buf.sh: buf lint: clean (STANDARD + COMMENTS, exceptions in proto/buf.yaml)"
    if [ -f "$frozen" ]; then
      "$buf" breaking src/main/proto --against "$frozen"
      echo "buf.sh: buf breaking: no change breaks the frozen contract ($frozen, rules in buf.yaml)"
    else
      echo "buf.sh: buf breaking: skipped, the contract is not frozen yet (no proto/$frozen; see docs/CONTRACT.md)"
    fi
    ;;
  *)
    echo "usage: proto/buf.sh [check|freeze]" >&2
    exit 2
    ;;
esac
