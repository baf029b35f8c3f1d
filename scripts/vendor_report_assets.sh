#!/usr/bin/env bash
# Re-vendor what `kg report` inlines into its HTML (src/kg/resources/report/): Vega, Vega-Lite
# and vega-embed (BSD-3-Clause) for the charts and the map, and world-atlas's Natural Earth
# country outlines (public domain; ISC for the packaging). From the npm registry, pinned.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=src/kg/resources/report
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
packages=(vega@6.4.0 vega-lite@6.5.0 vega-embed@7.3.0 world-atlas@2.0.2)
(cd "$work" && npm pack --silent "${packages[@]}" >/dev/null)
for tgz in "$work"/*.tgz; do
    name=$(basename "$tgz" .tgz)
    mkdir -p "$work/$name" && tar xzf "$tgz" -C "$work/$name"
done
cp "$work"/vega-6.4.0/package/build/vega.min.js "$dest/"
cp "$work"/vega-lite-6.5.0/package/build/vega-lite.min.js "$dest/"
cp "$work"/vega-embed-7.3.0/package/build/vega-embed.min.js "$dest/"
cp "$work"/world-atlas-2.0.2/package/countries-50m.json "$dest/"
{
    for package in "${packages[@]}"; do
        name=${package%@*}
        echo "== $package (npm) =="
        cat "$work/$name-${package#*@}/package/LICENSE"
        echo
    done
    echo "countries-50m.json: Natural Earth 1:50m admin 0 countries (public domain), via world-atlas."
} > "$dest/THIRD-PARTY-LICENSES.txt"
echo "Vendored ${packages[*]} into $dest"
