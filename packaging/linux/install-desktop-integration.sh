#!/bin/sh
# Puts nsdesk in the desktop's menus and makes double-clicking a .nsdesk desk open
# it. Run from the bundle folder, once, after copying the bundle into place:
#
#   ./install-desktop-integration.sh            for this user (~/.local/share)
#   sudo ./install-desktop-integration.sh --system   for every user (/usr/local/share)
#
# It writes the absolute path of this bundle's nsdesk into the desktop entry, so
# move the bundle first and run this after.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
target="${XDG_DATA_HOME:-$HOME/.local/share}"
[ "${1:-}" = "--system" ] && target=/usr/local/share
app_id=org.nsdesk.Desk
mkdir -p "$target/applications" "$target/metainfo" "$target/mime/packages"
sed -e "s|^Exec=.*|Exec=\"$here/nsdesk\" %f|" -e "s|^TryExec=.*|TryExec=$here/nsdesk|" \
    "$here/share/applications/$app_id.desktop" > "$target/applications/$app_id.desktop"
cp "$here/share/metainfo/$app_id.metainfo.xml" "$target/metainfo/"
cp "$here/share/mime/packages/$app_id.xml" "$target/mime/packages/"
cp -R "$here/share/icons" "$target/"
update-mime-database "$target/mime" >/dev/null 2>&1 || true
update-desktop-database "$target/applications" >/dev/null 2>&1 || true
gtk-update-icon-cache -q -t "$target/icons/hicolor" >/dev/null 2>&1 || true
if [ "${1:-}" != "--system" ] && command -v xdg-mime >/dev/null 2>&1; then
    XDG_DATA_HOME="$target" xdg-mime default "$app_id.desktop" application/x-nsdesk || true
fi
echo "nsdesk is in the menus and opens .nsdesk desks ($target)."
