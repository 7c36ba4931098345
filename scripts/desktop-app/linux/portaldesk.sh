#!/bin/sh
# Starts Portaldesk with the Node.js runtime that comes with it: `node` and the app (`app/`,
# what `npm run build` made) sit beside this script. The .deb installs it as
# /usr/lib/portaldesk/portaldesk with /usr/bin/portaldesk linking to it; the tarball has it at its top.
set -e
self="$(readlink -f "$0")"
root="$(dirname "$self")"
case "$0" in
  */*) launcher="$(cd "$(dirname "$0")" && pwd)/$(basename "$0")" ;;
  *) launcher="$(command -v "$0" || echo "$self")" ;;
esac
# The app writes this command into the user's menu entry and portaldesk:// handler.
PORTALDESK_LAUNCHER="$launcher"
export PORTALDESK_LAUNCHER
# Node's options are filled in by `npm run package` (scripts/desktop-app/built-node-options.ts).
exec "$root/node" @NODE_OPTIONS@ "$root/app/main.mjs" "$@"
