public import RenkeiCore

extension Renkei_V1_Status {
    public init(_ error: RenkeiError) {
        self.init()
        code = error.code.rawValue
        message = error.message
    }

    public var error: RenkeiError { RenkeiError(ErrorCode(rawValue: code), message) }
}
