#!/usr/bin/env bash
# Fetches Debian's Linux kernel (the oracle Keel is compared with) into a cache
# outside the tree and prints the path of its vmlinuz.
set -euo pipefail
cache=${KEEL_CACHE:-$HOME/.cache/keel}/linux
if ! ls "$cache"/boot/vmlinuz-* >/dev/null 2>&1; then
    mkdir -p "$cache/deb"
    resolve() { apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ {print $2; exit}'; }
    pkg=$(resolve)
    if [ -z "$pkg" ]; then  # package lists missing or stale
        sudo=""
        [ "$(id -u)" -ne 0 ] && sudo="sudo"
        $sudo apt-get update -qq >&2
        pkg=$(resolve)
    fi
    [ -n "$pkg" ] || { echo "get-linux: cannot resolve linux-image-amd64" >&2; exit 1; }
    (cd "$cache/deb" && apt-get download "$pkg" >/dev/null)
    dpkg -x "$cache"/deb/*.deb "$cache"
    rm -rf "$cache/deb" "$cache/lib/modules"
fi
ls "$cache"/boot/vmlinuz-* | head -1
