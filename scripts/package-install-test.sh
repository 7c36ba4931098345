#!/usr/bin/env bash
# Installs the .deb (`npm run package`) into a clean Debian 12 root and starts it there under a
# virtual display, as a normal user: the login window must open. Also checks the menu entry, the
# icon, and the portaldesk:// handler the app registers for the user. Needs root (chroot, mounts),
# debootstrap, and Debian's package mirror; the first run makes the base system (a few minutes),
# later runs copy it and reuse downloaded packages.
#   PORTALDESK_TEST_CACHE  where the base system and downloaded .debs are kept
#                          (default /var/tmp/portaldesk-install-test)
#   PORTALDESK_TEST_SHOTS  where the screenshot goes (default /tmp/portaldesk-install-test-shots)
#   DEBIAN_MIRROR          default http://deb.debian.org/debian
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$(pwd)"
cache="${PORTALDESK_TEST_CACHE:-/var/tmp/portaldesk-install-test}"
shots="${PORTALDESK_TEST_SHOTS:-/tmp/portaldesk-install-test-shots}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
deb="$(ls dist/packages/portaldesk_*.deb 2>/dev/null | sort -V | tail -n 1 || true)"
[ -n "$deb" ] || { echo "no .deb in dist/packages: run npm run package" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || { echo "needs root (debootstrap, chroot, mounts)" >&2; exit 1; }
command -v debootstrap >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap
started=$(date +%s)
step() { echo "== [$(($(date +%s) - started)) s] $*"; }

mkdir -p "$cache/archives" "$shots"
if [ ! -x "$cache/bookworm-base/usr/bin/apt-get" ]; then
  step "debootstrap bookworm (minbase) into $cache/bookworm-base"
  rm -rf "$cache/bookworm-base"
  debootstrap --variant=minbase bookworm "$cache/bookworm-base" "$mirror" >"$cache/debootstrap.log" 2>&1 \
    || { tail -n 20 "$cache/debootstrap.log" >&2; exit 1; }
fi

root="$(mktemp -d /tmp/portaldesk-install-root.XXXXXX)"
mounted=()
cleanup() {
  # Everything started inside the root, then the mounts (last first), then the root.
  for pid in $(ls /proc | grep -E '^[0-9]+$'); do
    [ "$(readlink "/proc/$pid/root" 2>/dev/null)" = "$root" ] && kill -9 "$pid" 2>/dev/null || true
  done
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount -l "${mounted[$i]}" 2>/dev/null || true; done
  rm -rf --one-file-system "$root"
}
trap cleanup EXIT
step "clean root: a copy of the base system in $root"
cp -a "$cache/bookworm-base/." "$root/"
mount -t proc proc "$root/proc" && mounted+=("$root/proc")
mount --bind /dev "$root/dev" && mounted+=("$root/dev")
mount -t devpts devpts "$root/dev/pts" -o newinstance,ptmxmode=0666 2>/dev/null && mounted+=("$root/dev/pts") || true
mount -t tmpfs -o size=512m tmpfs "$root/dev/shm" && mounted+=("$root/dev/shm")
mount --bind "$cache/archives" "$root/var/cache/apt/archives" && mounted+=("$root/var/cache/apt/archives")
cp /etc/resolv.conf "$root/etc/resolv.conf"
echo "deb $mirror bookworm main" >"$root/etc/apt/sources.list"
cp "$deb" "$root/tmp/"
in_root() { chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive "$@"; }

step "apt-get install ./$(basename "$deb") (its dependencies from Debian 12)"
in_root apt-get update -qq
in_root apt-get install -y -qq "/tmp/$(basename "$deb")" >"$root/tmp/install.log" 2>&1 \
  || { tail -n 30 "$root/tmp/install.log" >&2; exit 1; }
grep -E "^(Setting up|Unpacking) (portaldesk|chromium|xdg-utils)[ :]" "$root/tmp/install.log" | sed 's/^/   /' || true
in_root dpkg-query -W -f='   installed: ${Package} ${Version}\n' portaldesk chromium
step "the test's own tools (not the package's): xvfb, x11-utils"
in_root apt-get install -y -qq --no-install-recommends xvfb x11-utils xauth >/dev/null 2>&1

step "the menu entry and icon"
desktop-file-validate "$root/usr/share/applications/portaldesk.desktop"
grep -E '^(Exec|Icon|MimeType)=' "$root/usr/share/applications/portaldesk.desktop" | sed 's/^/   /'
ls "$root/usr/share/icons/hicolor/scalable/apps/portaldesk.svg" "$root/usr/share/icons/hicolor/512x512/apps/portaldesk.png" >/dev/null
in_root useradd --create-home --shell /bin/sh tester
in_root su -s /bin/sh -c 'command -v portaldesk' tester | sed 's/^/   on PATH: /'

step "portaldesk started as a normal user under Xvfb"
mkdir -p "$root/tmp/fb"
in_root Xvfb :7 -screen 0 1280x800x24 -nolisten tcp -fbdir /tmp/fb >/dev/null 2>&1 &
disown  # ended by cleanup, without a job-control notice
for _ in $(seq 1 50); do [ -e "$root/tmp/.X11-unix/X7" ] && break; sleep 0.2; done
app_started=$(date +%s%N)
in_root su -s /bin/sh -c 'cd ~ && DISPLAY=:7 portaldesk >/tmp/portaldesk.log 2>&1' tester &
disown
shown=""
for _ in $(seq 1 600); do
  if in_root xwininfo -root -tree -display :7 2>/dev/null | grep -q '"Sign in to Portaldesk"'; then
    shown=$(( ($(date +%s%N) - app_started) / 1000000 )); break
  fi
  sleep 0.1
done
sed 's/^/   app: /' "$root/tmp/portaldesk.log"
if [ -z "$shown" ]; then echo "FAIL: the login window did not open within 60 s" >&2; exit 1; fi
echo "   the login window is on screen, $shown ms after the launch (first start: new profile)"
sleep 2
npx tsx scripts/desktop-app/xwd-to-png.ts "$root/tmp/fb/Xvfb_screen0" "$shots/installed-login.png"
echo "   screenshot: $shots/installed-login.png"

step "what the app registered for the user"
home="$root/home/tester"
grep -E '^(Exec|Icon)=' "$home/.local/share/applications/portaldesk.desktop" | sed 's/^/   user entry: /'
desktop-file-validate "$home/.local/share/applications/portaldesk.desktop"
handler="$(in_root su -s /bin/sh -c 'xdg-mime query default x-scheme-handler/portaldesk' tester)"
echo "   xdg-mime query default x-scheme-handler/portaldesk: $handler"
[ "$handler" = "portaldesk.desktop" ] || { echo "FAIL: portaldesk:// is not handled by the app" >&2; exit 1; }
step "PASS"
