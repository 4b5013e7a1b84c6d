#!/usr/bin/env bash
# Regenerates Sources/RenkeiWire/Generated/*.pb.swift from Sources/RenkeiWire/Proto/*.proto.
#
# Needs protoc (Debian: protobuf-compiler) and protoc-gen-swift of the swift-protobuf
# version in Package.swift. The plugin is built once into .build-protoc/ (about ten
# minutes on a 2-core machine); the generated code is committed, so no normal build or CI
# run ever needs this script.
set -euo pipefail
cd "$(dirname "$0")/.."

plugin_dir=.build-protoc
plugin="$plugin_dir/plugin/release/protoc-gen-swift"

if ! command -v protoc >/dev/null; then
  echo "protoc is missing: apt-get install -y protobuf-compiler" >&2
  exit 1
fi
if [ ! -x "$plugin" ]; then
  # The plugin of the swift-protobuf version the package resolved (from the package mirror),
  # built from a writable copy of that checkout.
  [ -d .build/checkouts/swift-protobuf ] || swift package resolve
  echo "building protoc-gen-swift (once) …" >&2
  rm -rf "$plugin_dir/source"
  mkdir -p "$plugin_dir"
  cp -r .build/checkouts/swift-protobuf "$plugin_dir/source"
  chmod -R u+w "$plugin_dir/source"
  (cd "$plugin_dir/source" && swift build -c release --product protoc-gen-swift --scratch-path "$PWD/../plugin")
fi

out=Sources/RenkeiWire/Generated
mkdir -p "$out"
protoc --plugin=protoc-gen-swift="$plugin" \
  --swift_out="$out" --swift_opt=Visibility=Public --swift_opt=FileNaming=DropPath --swift_opt=UseAccessLevelOnImports=true \
  -I Sources/RenkeiWire/Proto Sources/RenkeiWire/Proto/*.proto
echo "generated: $(ls "$out")"
