#!/usr/bin/env bash
# The Debian/Ubuntu packages Portaldesk needs beyond Node.js; the README's "Install" section names
# the same list. Installs only what is missing, so it is quick when everything is there.
#   chromium, fonts-liberation      browser tests and the desktop app's windows
#   fonts-noto-color-emoji          emoji in messages (without it they are empty boxes)
#   xvfb                            a virtual display for the desktop's window tests
#   gnome-keyring, dbus-x11         a Secret Service for the credentials vault tests
#   libsecret-tools                 secret-tool: the vault tests check entries as other keyring tools see them
#   desktop-file-utils              desktop-file-validate: checks the .desktop entries the app writes
#   x11-utils                       xwininfo: bench:desktop sees when the login window is on screen
#   openssl                         the TLS tests' throw-away certificate authority
#   postgresql, redis-server        the scale-out back ends (the test suite runs on them too)
#   postgresql-client, redis-tools  pg_isready, psql and redis-cli, used by CI to start and check them
set -euo pipefail
PACKAGES=(chromium fonts-liberation fonts-noto-color-emoji xvfb gnome-keyring dbus-x11 libsecret-tools desktop-file-utils x11-utils openssl postgresql postgresql-client redis-server redis-tools)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi
