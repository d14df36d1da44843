#!/usr/bin/env bash
# Builds the Linux app image and .deb from target/signalbox.jar and target/lib/ (Maven's `package`
# phase makes both): a runtime trimmed by jlink to the modules jdeps finds, then jpackage.
# Run by `./mvnw -Ppackage package`; arguments: JDK home, target directory, version (numeric).
set -euo pipefail

jdk="$1"
target="$2"
version="$3"
here="$(cd "$(dirname "$0")" && pwd)"
packaging="$(dirname "$here")"
root="$(dirname "$packaging")"
work="$target/jpackage"
dist="$target/dist"

rm -rf "$work" "$dist"
mkdir -p "$work/input" "$work/resources" "$dist"

# The launcher's class path is the jar's manifest (lib/*.jar), so the input is the jar and lib/ as built.
cp "$target/signalbox.jar" "$work/input/"
cp -r "$target/lib" "$work/input/lib"

# jdeps finds what the code and libraries use; jdk.crypto.ec for TLS to wss:// servers, and
# jdk.localedata so that dates and numbers follow the person's locale, are loaded by name and so unseen.
modules="$("$jdk/bin/jdeps" --print-module-deps --ignore-missing-deps --multi-release 25 \
    --class-path "$target/lib/*" "$target/signalbox.jar"),jdk.crypto.ec,jdk.localedata"
echo "jlink modules: $modules"
"$jdk/bin/jlink" --add-modules "$modules" --output "$work/runtime" \
    --strip-debug --no-header-files --no-man-pages --compress zip-6

# The menu entry: ours rather than jpackage's, so that it registers the signalbox:// scheme; with the
# installed paths of the launcher and the icon, which are on no search path.
sed -e 's|^Exec=signalbox |Exec=/opt/signalbox/bin/signalbox |' \
    -e 's|^Icon=signalbox$|Icon=/opt/signalbox/lib/signalbox.png|' \
    "$here/signalbox.desktop" > "$work/resources/signalbox.desktop"

common=(
    --name signalbox
    --app-version "$version"
    --vendor Signalbox
    --description "Chat with the people in a shared session"
    --runtime-image "$work/runtime"
    --input "$work/input"
    --main-jar signalbox.jar
    --main-class io.signalbox.cli.Main
    --java-options --enable-native-access=ALL-UNNAMED
    --icon "$root/src/main/resources/io/signalbox/app/signalbox-256.png"
    --dest "$dist"
)
"$jdk/bin/jpackage" --type app-image "${common[@]}"
"$jdk/bin/jpackage" --type deb "${common[@]}" \
    --license-file "$packaging/LICENSE" \
    --resource-dir "$work/resources" \
    --linux-menu-group Network \
    --linux-shortcut \
    --linux-package-deps libgtk-3-0 \
    --linux-app-category net \
    --verbose > "$work/deb.log" 2>&1 || { cat "$work/deb.log"; exit 1; }
grep -i "desktop" "$work/deb.log" || true
ls -l "$dist"
