import NIOCore

/// Flushes once per event-loop tick however many writes were made in it: under load many
/// answers finish in the same tick, and one flush (one syscall) carries them all.
final class FlushCoalescer {
    private var context: ChannelHandlerContext?
    private var scheduled = false

    func attach(_ context: ChannelHandlerContext) { self.context = context }
    func detach() { context = nil }

    /// Call after a write, on the event loop.
    func flushSoon() {
        guard !scheduled, let context else { return }
        scheduled = true
        let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
        context.eventLoop.execute {
            let coalescer = loopBound.value
            coalescer.scheduled = false
            coalescer.context?.flush()
        }
    }
}
