#!/usr/bin/env bash
# The system packages Posthorn's tests need on Debian/Ubuntu (and the headers keytar builds
# against). Used by .ci/run; run it yourself with: sudo bash scripts/install-system-deps.sh
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
packages=(gnome-keyring dbus libsecret-1-dev libsecret-tools openssl build-essential python3 iproute2 util-linux exim4-daemon-light)
# Debian's Chromium, unless POSTHORN_CHROMIUM already names a browser (Ubuntu's chromium is a
# snap; GitHub's runners bring Google Chrome).
if [ -z "${POSTHORN_CHROMIUM:-}" ] || [ ! -x "${POSTHORN_CHROMIUM}" ]; then packages=(chromium "${packages[@]}"); fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "System packages: all present (${packages[*]})."
  exit 0
fi
echo "Installing: ${missing[*]}"
apt-get update -qq
apt-get install -y -qq "${missing[@]}"
