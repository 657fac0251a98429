#!/usr/bin/env bash
# Makes sure Debian's Prometheus server and promtool are installed, for the alert rules' tests
# (`promtool test rules`) and the test that scrapes the running platform. The package's own
# service is stopped and disabled: the tests start the binary themselves, on ports and storage
# of their own. Prints the directory holding both binaries.
set -euo pipefail
if ! command -v prometheus >/dev/null || ! command -v promtool >/dev/null; then
  echo "prometheus: installing Debian's prometheus package" >&2
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  # policy-rc.d refusing every start keeps the package's service from starting during install.
  policy=/usr/sbin/policy-rc.d
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
    $sudo chmod +x "$policy"
    trap '$sudo rm -f "$policy"' EXIT
  fi
  $sudo apt-get install -y --no-install-recommends prometheus >&2 \
    || { $sudo apt-get update >&2 && $sudo apt-get install -y --no-install-recommends prometheus >&2; }
  # Nor does it start at boot; where systemd runs, stop it should it have started anyway.
  if command -v systemctl >/dev/null; then
    $sudo systemctl disable prometheus >&2 || true
    if [ -d /run/systemd/system ]; then $sudo systemctl stop prometheus >&2 || true; fi
  fi
fi
dirname "$(command -v promtool)"
