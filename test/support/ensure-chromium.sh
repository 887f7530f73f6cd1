#!/usr/bin/env bash
# The browser suites drive Debian's Chromium (no browser download at test time: this machine's
# network reaches package registries only). Install it when it is missing and we may.
set -euo pipefail
browser="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$browser" ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Chromium for the browser tests (apt-get install chromium)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "The browser tests need Chromium: install Debian's package 'chromium' or set CHROMIUM_PATH." >&2
exit 1
