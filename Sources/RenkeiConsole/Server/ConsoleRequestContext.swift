public import Hummingbird
public import NIOCore

/// The context of one console request: the signed-in session, once `SessionMiddleware` found it.
public struct ConsoleRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by `SessionMiddleware` for a live session cookie.
    var session: ConsoleSession?
    /// The session cookie's value, to end it at sign-out.
    var sessionID: String?

    /// Forms are small: nothing larger than this is read.
    public var maxUploadSize: Int { 64 * 1024 }

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }
}
