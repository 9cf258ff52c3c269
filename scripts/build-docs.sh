#!/usr/bin/env bash
# Builds pg's reference — the DocC catalogue Sources/PolicyGradient/PolicyGradient.docc (its
# articles) together with the library's symbol documentation — into a browsable static site,
# with the toolchain's own docc (no package plugin):
#
#   1. swift build --target PolicyGradient          (the module, as any build makes it)
#   2. swift symbolgraph-extract ...                 (its public symbols and /// comments)
#   3. docc convert ... --transform-for-static-hosting
#
# Usage: scripts/build-docs.sh [--modules DIR] [--out DIR]
#   --modules DIR  use the modules of an existing build (DIR/Modules) instead of building
#   --out DIR      where the site goes (default runs/docs/PolicyGradient.doccarchive)
# Then: python3 -m http.server --directory runs/docs/PolicyGradient.doccarchive 8000
#       and open http://localhost:8000/documentation/policygradient
# (or `docc preview Sources/PolicyGradient/PolicyGradient.docc --additional-symbol-graph-dir
# runs/docs/symbol-graphs`, which serves it).
set -euo pipefail
repo=$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
modules="" out="$repo/runs/docs/PolicyGradient.doccarchive"
while [ $# -gt 0 ]; do
    case "$1" in
        --modules) modules=$2; shift 2 ;;
        --out) out=$2; shift 2 ;;
        -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "build-docs.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done
if [ -z "$modules" ]; then
    (cd "$repo" && swift build --target PolicyGradient >&2)
    modules=$(cd "$repo" && swift build --show-bin-path)
fi
[ -d "$modules/Modules" ] && modules="$modules/Modules"
[ -e "$modules/PolicyGradient.swiftmodule" ] || { echo "build-docs.sh: no PolicyGradient module in $modules" >&2; exit 2; }
docc=$(command -v docc || true)
[ -n "$docc" ] || docc="$(dirname "$(readlink -f "$(command -v swift)")")/docc"
[ -x "$docc" ] || { echo "build-docs.sh: docc is not on the PATH nor beside swift" >&2; exit 2; }
triple=$(swift -print-target-info | python3 -c 'import json, sys; print(json.load(sys.stdin)["target"]["triple"])')

mkdir -p "$(dirname "$out")"
work=$(cd "$(dirname "$out")" && pwd) graphs="$(cd "$(dirname "$out")" && pwd)/symbol-graphs"
rm -rf "$graphs" && mkdir -p "$graphs"
swift symbolgraph-extract -module-name PolicyGradient -I "$modules" -target "$triple" -minimum-access-level public \
    -skip-inherited-docs -output-dir "$graphs"
rm -rf "$out"
"$docc" convert "$repo/Sources/PolicyGradient/PolicyGradient.docc" --additional-symbol-graph-dir "$graphs" \
    --fallback-display-name PolicyGradient --fallback-bundle-identifier org.pg.PolicyGradient \
    --transform-for-static-hosting --output-path "$out" > "$work/docc.log" 2>&1 \
    || { tail -20 "$work/docc.log" >&2; exit 1; }
pages=$(find "$out/data/documentation" -name '*.json' | wc -l)
echo "built: $out ($pages pages; docc's notes in $work/docc.log)"
echo "browse: python3 -m http.server --directory $out 8000, then http://localhost:8000/documentation/policygradient"
