#!/usr/bin/env bash
# Regenerates Sources/RenkeiWire/Generated/*.pb.swift from Sources/RenkeiWire/Proto/*.proto.
#
# Needs protoc (Debian: protobuf-compiler) and protoc-gen-swift of the swift-protobuf
# version in Package.swift. The plugin is built once into .build-protoc/ (about ten
# minutes on a 2-core machine); the generated code is committed, so no normal build or CI
# run ever needs this script.
set -euo pipefail
cd "$(dirname "$0")/.."

version=$(sed -n 's#.*swift-protobuf.git", from: "\([0-9.]*\)".*#\1#p' Package.swift)
plugin_dir=.build-protoc
plugin="$plugin_dir/swift-protobuf/.build/release/protoc-gen-swift"

if ! command -v protoc >/dev/null; then
  echo "protoc is missing: apt-get install -y protobuf-compiler" >&2
  exit 1
fi
if [ ! -x "$plugin" ]; then
  echo "building protoc-gen-swift $version (once) …" >&2
  mkdir -p "$plugin_dir"
  rm -rf "$plugin_dir/swift-protobuf"
  git clone --quiet --depth 1 --branch "$version" https://github.com/apple/swift-protobuf.git "$plugin_dir/swift-protobuf"
  (cd "$plugin_dir/swift-protobuf" && swift build -c release --product protoc-gen-swift)
fi

out=Sources/RenkeiWire/Generated
mkdir -p "$out"
protoc --plugin=protoc-gen-swift="$plugin" \
  --swift_out="$out" --swift_opt=Visibility=Public --swift_opt=FileNaming=DropPath --swift_opt=UseAccessLevelOnImports=true \
  -I Sources/RenkeiWire/Proto Sources/RenkeiWire/Proto/*.proto
echo "generated: $(ls "$out")"
