import RenkeiCore
import RenkeiTestSupport
import Testing

@testable import RenkeiNodes

/// The request journal keeps what callers send, so it is bounded in bytes, not only entries.
@Suite("Request journal bounds")
struct DecisionJournalTests {
    @Test("huge request fields are kept as excerpts and the journal stays under its byte budget")
    func boundedInBytes() {
        let journal = DecisionJournal(capacity: 10_000, capacityBytes: 256 << 10)
        let huge = String(repeating: "x", count: 20_000)
        for index in 0..<400 {
            let trace = journal.begin(
                interface: .rest, identity: "tomakomai/kokuho", operation: "inquire", request: ["item": huge, "n": String(index)], at: Int64(index))
            for _ in 0..<100 { journal.step(trace, node: "nws", check: "別表第二", result: "fail", detail: huge, at: 0) }
            journal.finish(trace, error: RenkeiError(.invalidRequest, huge), at: 0)
        }
        let usage = journal.usage
        #expect(usage.bytes <= 256 << 10, "the journal holds \(usage.bytes) bytes")
        #expect(usage.entries >= 5, "the newest entries (about 38 KB each at the step limit) are kept: \(usage.entries)")
        var limitOne = DecisionJournal.Filter()
        limitOne.limit = 1
        let newest = journal.entries(limitOne).first
        #expect(newest?.request["n"] == "399", "the newest entry is the last one made")
        #expect((newest?.request["item"]?.count ?? .max) <= DecisionJournal.maximumFieldLength + 1)
        #expect(newest?.steps.count == DecisionJournal.maximumSteps)
        #expect((newest?.message?.count ?? .max) <= DecisionJournal.maximumDetailLength + 1)
    }
}

/// Refused connections are summarised in the audit log, so a flood of failed handshakes
/// cannot grow it without bound.
@Suite("Refused connections in the audit log")
struct RefusalWindowTests {
    @Test("in a minute the first 20 are recorded, the rest counted and summarised once the minute is over")
    func summarised() {
        let window = RefusalWindow()
        var recorded = 0
        for index in 0..<1_000 {
            let (record, summary) = window.count(at: Int64(index), window: 60_000_000, recorded: 20)
            #expect(summary == nil)
            if record { recorded += 1 } else { window.remember("127.0.0.1:\(index)", "not TLS") }
        }
        #expect(recorded == 20)
        let (record, summary) = window.count(at: 60_000_001, window: 60_000_000, recorded: 20)
        #expect(record, "the first refusal of the next minute is recorded")
        #expect(summary?.suppressed == 980)
        #expect(summary?.lastRemote == "127.0.0.1:999")
    }
}
