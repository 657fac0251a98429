#!/usr/bin/env bash
# Makes sure Debian's Chromium is installed for the website's browser tests (driven by
# playwright-core with executablePath; no browser is ever downloaded from elsewhere).
# Prints the executable's path.
set -euo pipefail
bin="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$bin" ]; then
  echo "browser: installing Debian's chromium package" >&2
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get install -y --no-install-recommends chromium >&2 \
    || { $sudo apt-get update >&2 && $sudo apt-get install -y --no-install-recommends chromium >&2; }
fi
echo "$bin"
