import ArgumentParser
import Foundation
import RenkeiLoad

#if canImport(Glibc)
import Glibc
#endif

/// Drives the gRPC no-op chain with renkei's own load runner, so that its figures are
/// measured exactly as `renkei load --baseline` measures the framed chain.
@main
struct GRPCChainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grpc-chain",
        abstract: "A no-op chain of mutual-TLS hops over grpc-swift-2, measured like `renkei load --baseline`."
    )

    @Option(help: "Mutual-TLS hops a request crosses.")
    var hops = 4

    @Option(help: "Open model: requests per second.")
    var rate: Double?

    @Option(help: "Closed model: concurrent callers.")
    var concurrency: Int?

    @Option(help: "How long to measure, e.g. 15s.")
    var duration = "15s"

    @Option(help: "Unmeasured run first, e.g. 3s.")
    var warmup = "3s"

    @Option(help: "Request body bytes (renkei's baseline uses a real inquiry's size).")
    var requestBytes = 96

    @Option(help: "Answer body bytes (renkei's baseline uses a real answer's size).")
    var responseBytes = 900

    func validate() throws {
        guard (rate == nil) != (concurrency == nil) else {
            throw ValidationError("give exactly one of --rate (open model) and --concurrency (closed model)")
        }
        guard (1...16).contains(hops) else { throw ValidationError("--hops must be 1 to 16") }
    }

    func run() async throws {
        let plan = LoadPlan(
            model: rate.map { .open(rate: $0) } ?? .closed(concurrency: concurrency ?? 1),
            duration: .microseconds(Int64(try Thresholds.duration(duration))), warmup: .microseconds(Int64(try Thresholds.duration(warmup)))
        )
        let chain = try await GRPCRelayChain.start(hops: hops, requestBytes: requestBytes, responseBytes: responseBytes)
        let statistics = LoadStatistics()
        let sampler = ProcessSampler(pid: getpid())
        let mix = try LoadMix(operations: [LoadMix.Operation(name: "grpc-relay", weight: 1, kind: .update, system: "", information: "")])
        FileHandle.standardError.write(Data("grpc-chain: \(hops) mutual-TLS hops over grpc-swift-2; \(LoadReport.describe(plan))\n".utf8))
        let summary = await LoadRunner(plan: plan, mix: mix).run(
            statistics: statistics,
            execute: { _, _ in
                await chain.execute()
            },
            onSecond: { second, _ in
                sampler.sample(completed: second.completed)
            })
        await chain.stop()
        print(
            "grpc        \(Int(summary.throughput)) /s through \(hops) no-op gRPC mTLS relays, p50 \(Thresholds.format(summary.p50Micros)), p99 \(Thresholds.format(summary.p99Micros))"
                + (sampler.cpuMicrosPerOperation.map { ", \(Int($0)) µs of CPU per operation" } ?? ""))
        print(
            "errors      \(summary.errors)"
                + (summary.errorsByCode.isEmpty ? "" : "  " + summary.errorsByCode.map { "\($0.key) \($0.value)" }.joined(separator: ", ")))
        if summary.errors > 0 { throw ExitCode.failure }
    }
}
