#!/usr/bin/env bash
# Prints the path of the Chromium the end-to-end tests drive (Debian's chromium package).
# When it is missing and we are root on Debian/Ubuntu, installs it with apt-get; otherwise says what to do.
set -euo pipefail

say() { echo "browser.sh: $*" >&2; }

find_chromium() {
  local candidate
  for candidate in "${CHROMIUM:-}" chromium chromium-browser; do
    if [ -n "$candidate" ] && command -v "$candidate" 2>/dev/null; then
      return 0
    fi
  done
  return 1
}

if find_chromium; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  say "Chromium not found: installing Debian's chromium package"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  find_chromium && exit 0
fi
say "Chromium not found. Install it (e.g. 'sudo apt-get install chromium') or set CHROMIUM=/path/to/chromium."
exit 1
