#!/usr/bin/env bash
# What the test suite needs beyond Python packages: Debian's chromium (driven by Playwright) and poppler-utils
# (pdftotext, pdftoppm, pdfdetach: the PDF sheet is checked as a real PDF). Installs what is missing with apt-get
# when we are root on Debian/Ubuntu, otherwise says what to install. Prints the Chromium path on stdout.
set -euo pipefail

say() { echo "test-deps.sh: $*" >&2; }

find_chromium() {
  local candidate
  for candidate in "${CHROMIUM:-}" chromium chromium-browser; do
    if [ -n "$candidate" ] && command -v "$candidate" 2>/dev/null; then
      return 0
    fi
  done
  return 1
}

missing=()
find_chromium >/dev/null || missing+=(chromium)
for tool in pdftotext pdftoppm pdfdetach; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    missing+=(poppler-utils)
    break
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing Debian packages: ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    say "missing: ${missing[*]}. Install them (e.g. 'sudo apt-get install ${missing[*]}');"
    say "or point CHROMIUM at a Chromium binary."
    exit 1
  fi
fi
find_chromium
