#!/bin/sh
# Rebuild the vendored GOV.UK Frontend files from the npm registry (see ../README.md).
# Usage: sh build.sh   (needs node and npm; writes into the folder above this one)
set -eu
VERSION=5.14.0
SASS_VERSION=1.108.2
here=$(cd "$(dirname "$0")" && pwd)
out=$(dirname "$here")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm install --no-save --silent "sass@$SASS_VERSION"
# Unpacked beside node_modules, not in it: npm install would prune it.
npm pack --silent "govuk-frontend@$VERSION" >/dev/null
mkdir -p packages/govuk-frontend
tar xzf "govuk-frontend-$VERSION.tgz" -C packages/govuk-frontend --strip-components=1
for name in scrutineer scrutineer-report; do
  target=govuk-frontend.min.css
  [ "$name" = scrutineer-report ] && target=govuk-frontend-report.min.css
  node_modules/.bin/sass --no-source-map --style=compressed --quiet --load-path="$work/packages" \
    "$here/$name.scss" "$out/$target"
done
cp packages/govuk-frontend/dist/govuk/govuk-frontend.min.js "$out/govuk-frontend.min.js"
if grep -q "GDS Transport" "$out"/*.css; then
  echo "GDS Transport found in the CSS: check the font settings" >&2
  exit 1
fi
echo "GOV.UK Frontend $VERSION built into $out"
