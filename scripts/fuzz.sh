#!/usr/bin/env bash
# scripts/fuzz.sh TARGET SECONDS [libFuzzer options…]
#
# Builds renkei-fuzz with libFuzzer's instrumentation (once, in .build-fuzz) and fuzzes TARGET
# (xml, batch, json, target, frame, yaml, timestamp, console, or "all" for each in turn) for SECONDS, starting from
# the committed seeds in Fuzz/corpus/TARGET. New inputs go to .build-fuzz/corpus/TARGET (not
# committed); a crashing input is written to Fuzz/regressions/TARGET/, where `swift test`
# replays it from then on. Exits non-zero when a target crashed.
set -euo pipefail
cd "$(dirname "$0")/.."

target=${1:?usage: scripts/fuzz.sh TARGET SECONDS [libFuzzer options]}
seconds=${2:?usage: scripts/fuzz.sh TARGET SECONDS [libFuzzer options]}
shift 2
targets=(xml batch json target frame yaml timestamp console)
if [ "$target" = all ]; then selected=("${targets[@]}"); else selected=("$target"); fi
for name in "${selected[@]}"; do
  [[ " ${targets[*]} " == *" $name "* ]] || { echo "fuzz.sh: unknown target $name (${targets[*]} or all)" >&2; exit 64; }
done

swift build --scratch-path .build-fuzz --product renkei-fuzz \
  -Xswiftc -sanitize=fuzzer -Xswiftc -parse-as-library -Xswiftc -DFUZZING 2>&1 | grep -Ev '^\[|warning:' || true
binary=.build-fuzz/debug/renkei-fuzz
[ -x "$binary" ] || { echo "fuzz.sh: the fuzz build failed" >&2; exit 1; }

# The Swift runtime's backtracer would catch the crash before libFuzzer saves the input.
export SWIFT_BACKTRACE=enable=no
status=0
for name in "${selected[@]}"; do
  work=.build-fuzz/corpus/$name
  mkdir -p "$work" "Fuzz/regressions/$name"
  echo "fuzz.sh: $name for ${seconds} s"
  if ! "$binary" "$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -max_len=65536 \
      -print_final_stats=1 -artifact_prefix="Fuzz/regressions/$name/" "$@" "$work" "Fuzz/corpus/$name" 2>".build-fuzz/$name.log"; then
    status=1
    echo "fuzz.sh: $name CRASHED; the input is in Fuzz/regressions/$name/ (log: .build-fuzz/$name.log)" >&2
    tail -n 30 ".build-fuzz/$name.log" >&2
  fi
  grep -E '^stat::(number_of_executed_units|new_units_added|peak_rss_mb)|^#[0-9]+.*DONE' ".build-fuzz/$name.log" | sed "s/^/  $name: /" || true
done
exit $status
