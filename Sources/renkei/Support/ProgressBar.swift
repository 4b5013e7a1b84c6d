import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Progress of long work: a bar redrawn in place on a terminal, a line every tenth
/// otherwise (so logs stay readable).
final class ProgressBar: Sendable {
    private struct State {
        var lastTenth = -1
        var lastDraw = ContinuousClock.now - .seconds(1)
    }

    private let label: String
    private let interactive = isatty(STDERR_FILENO) != 0
    private let started = ContinuousClock.now
    private let state = Mutex(State())

    /// Work of fewer steps than this finishes before a bar would tell anyone anything.
    static let worthShowing = 20

    init(label: String) { self.label = label }

    func update(_ done: Int, of total: Int) {
        let fraction = total == 0 ? 1 : min(1, Double(done) / Double(total))
        let line: String? = state.withLock { state in
            if interactive {
                guard ContinuousClock.now - state.lastDraw > .milliseconds(100) || done >= total else { return nil }
                state.lastDraw = ContinuousClock.now
                let width = 30
                let filled = Int(fraction * Double(width))
                let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
                return "\r[\(bar)] \(Int(fraction * 100))% \(done)/\(total) \(label)"
            }
            let tenth = Int(fraction * 10)
            guard tenth > state.lastTenth else { return nil }
            state.lastTenth = tenth
            return "\(tenth * 10)% \(done)/\(total) \(label)\n"
        }
        if let line { FileHandle.standardError.write(Data(line.utf8)) }
    }

    func finish() {
        if interactive { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
