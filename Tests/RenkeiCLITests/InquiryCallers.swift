import Foundation
import NIOCore
import RenkeiCore
import RenkeiWire
import Synchronization

/// Callers that keep asking item-42 inquiries about movers through a 宛名's RPC port, as the
/// load of the crash and replica tests: what they were told is kept in a Tally.
enum InquiryCallers {
    /// Runs `count` callers until told to stop (or, with `stopAtError`, until a call fails);
    /// each acknowledged inquiry's running count goes to `progress`.
    static func run(
        _ client: RPCClient, count: Int = 8, movers: [String], provider: String, tally: Tally, progress: AsyncStream<Int>.Continuation,
        stopAtError: Bool
    ) async {
        await withTaskGroup(of: Void.self) { group in
            for caller in 0..<count {
                group.addTask {
                    var index = caller
                    while !tally.stopped {
                        var request = AddresseeInquiryRequest()
                        request.person = .addressNumber(movers[index % movers.count])
                        request.question.item = "42"
                        request.question.provider = provider
                        request.question.informationCode = "TM00000000000002"
                        request.question.userID = "user01"
                        index += count
                        do throws(RenkeiError) {
                            let result = try await client.call(Methods.addresseeInquire, request, deadline: .now() + .seconds(10))
                            progress.yield(tally.acknowledge(result.receptionNumber))
                        } catch {
                            tally.fail(error.code.rawValue)
                            if stopAtError { return }
                        }
                    }
                }
            }
        }
        progress.finish()
    }
}

/// What the callers were told.
final class Tally: Sendable {
    private struct State {
        var acknowledged: [String] = []
        var failures: [String: Int] = [:]
        var stopped = false
    }
    private let state = Mutex(State())

    func acknowledge(_ reception: String) -> Int {
        state.withLock { state in
            state.acknowledged.append(reception)
            return state.acknowledged.count
        }
    }

    func fail(_ code: String) { state.withLock { $0.failures[code, default: 0] += 1 } }
    func stop() { state.withLock { $0.stopped = true } }
    var stopped: Bool { state.withLock { $0.stopped } }
    var acknowledged: [String] { state.withLock { $0.acknowledged } }
    var acknowledgedCount: Int { state.withLock { $0.acknowledged.count } }
    var failures: [String: Int] { state.withLock { $0.failures } }
}
