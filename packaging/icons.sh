#!/usr/bin/env bash
# Makes the installers' icons from assets/signalbox.svg: the Windows .ico and the macOS .icns. Their
# output is committed, so packaging needs neither tool; run this again when the logo changes.
# Needs rsvg-convert (librsvg2-bin) and ImageMagick's convert.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

for size in 16 32 48 64 128 256 512 1024; do
    rsvg-convert --width "$size" --height "$size" assets/signalbox.svg > "$tmp/$size.png"
done

convert "$tmp"/{16,32,48,64,256}.png packaging/windows/signalbox.ico

# An .icns file is the magic "icns" and its total length, then entries of a four-letter type, the
# entry's length (with its 8-byte header) and a PNG: ic07 is 128 px, ic08 256, ic09 512, ic10 1024.
be32() { printf '%08x' "$1" | sed 's/../\\x&/g' | xargs -0 printf; }
entries="$tmp/entries"
: > "$entries"
for pair in ic07:128 ic08:256 ic09:512 ic10:1024; do
    png="$tmp/${pair#*:}.png"
    { printf '%s' "${pair%%:*}"; be32 $(( $(stat -c %s "$png") + 8 )); cat "$png"; } >> "$entries"
done
{ printf 'icns'; be32 $(( $(stat -c %s "$entries") + 8 )); cat "$entries"; } > packaging/macos/signalbox.icns
ls -l packaging/windows/signalbox.ico packaging/macos/signalbox.icns
