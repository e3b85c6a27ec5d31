#!/usr/bin/env bash
# Install the Debian packages the generator and its tests need, if any is missing.
# WeasyPrint needs Pango; tests read PDFs with poppler and open DOCX files with
# LibreOffice; the letters use Liberation (Times-compatible) and Khmer fonts; the web
# app's end-to-end tests drive Chromium (tests/web/test_browser.py).
set -euo pipefail
packages=(
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
  poppler-utils
  libreoffice-writer-nogui
  fonts-liberation2 fonts-dejavu-core fonts-noto-core fonts-khmeros
  chromium
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "Missing system packages: ${missing[*]}" >&2
  echo "Install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "Installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
