#!/usr/bin/env bash
# Applies .swift-format (line length 150, as hummingbird) to every Swift file but the generated
# protobuf code. `scripts/format.sh --check` lists what would change and exits non-zero then.
set -euo pipefail
cd "$(dirname "$0")/.."
files=$(git ls-files 'Sources/*.swift' 'Tests/*.swift' 'Benchmarks/*.swift' Package.swift | grep -v '/Generated/')
if [[ "${1:-}" == "--check" ]]; then
  changed=0
  for file in $files; do
    if ! swift format format "$file" | cmp -s - "$file"; then echo "not formatted: $file"; changed=1; fi
  done
  exit $changed
fi
swift format format --in-place --parallel $files
