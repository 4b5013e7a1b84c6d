#!/usr/bin/env bash
# renkei, renkei's no-op relay chain and the same chain over grpc-swift-2, side by side in one
# run on this machine (release builds; see docs/PERFORMANCE.md).
#
#   scripts/compare-transports.sh [CONCURRENCY] [DURATION]     e.g. scripts/compare-transports.sh 256 15s
#
# Environment: PERMIT_PROTECTION=signature|mac (default mac), RATE=R to run the open model at
# R/s instead of the closed one, SKIP_BUILD=1 to use the binaries already built.
set -euo pipefail
cd "$(dirname "$0")/.."
concurrency="${1:-256}"
duration="${2:-15s}"
protection="${PERMIT_PROTECTION:-mac}"
if [[ -n "${RATE:-}" ]]; then model=(--rate "$RATE"); else model=(--concurrency "$concurrency"); fi

if [[ -z "${SKIP_BUILD:-}" ]]; then
  echo "building renkei and the gRPC chain (release; the first build takes a while)…" >&2
  swift build -c release --product renkei >&2
  (cd Benchmarks && swift build -c release --product grpc-chain) >&2
fi
renkei="$PWD/.build/release/renkei"
grpc_chain="$PWD/Benchmarks/.build/release/grpc-chain"

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

echo "== renkei and its no-op chain (${model[*]}, $duration, permits sealed by $protection)" >&2
"$renkei" load --embedded "${model[@]}" --duration "$duration" --warmup 3s --baseline --permit-protection "$protection" \
  --report "$out/renkei" | tee "$out/renkei.txt"
echo "== the same chain over grpc-swift-2" >&2
"$grpc_chain" "${model[@]}" --duration "$duration" --warmup 3s | tee "$out/grpc.txt"

python3 - "$out/renkei/report.json" "$out/grpc.txt" <<'PY'
import json, re, sys
report = json.load(open(sys.argv[1]))
grpc = open(sys.argv[2]).read()
match = re.search(r"grpc\s+(\d+) /s.*?p50 ([\d.]+ \w+), p99 ([\d.]+ \w+)(?:, (\d+) µs)?", grpc)
if not match:
    sys.exit("the gRPC chain printed no result line")
def ms(micros): return f"{micros / 1000:.1f} ms"
summary, baseline = report["summary"], report["baseline"]["summary"]
rows = [
    ("renkei, whole inquiry path", summary["throughput"], ms(summary["p50Micros"]), ms(summary["p99Micros"]), report.get("cpuMicrosPerOperation")),
    ("no-op chain, renkei wire", baseline["throughput"], ms(baseline["p50Micros"]), ms(baseline["p99Micros"]), report["baseline"].get("cpuMicrosPerOperation")),
    ("no-op chain, grpc-swift-2", float(match.group(1)), match.group(2), match.group(3), float(match.group(4)) if match.group(4) else None),
]
print()
print(f"{'':28} {'per s':>8} {'p50':>10} {'p99':>10} {'CPU µs/op':>10}")
for name, rate, p50, p99, cpu in rows:
    print(f"{name:28} {rate:8.0f} {p50:>10} {p99:>10} {('%.0f' % cpu) if cpu else '-':>10}")
grpc_rate = rows[2][1]
if grpc_rate > 0:
    print(f"\nrenkei / renkei chain = {rows[0][1] / rows[1][1]:.2f}   renkei / gRPC chain = {rows[0][1] / grpc_rate:.2f}   "
          f"renkei chain / gRPC chain = {rows[1][1] / grpc_rate:.2f}")
PY
