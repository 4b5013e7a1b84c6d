public import RenkeiCore

extension Renkei_V1_Status {
    public init(_ error: RenkeiError) {
        self.init()
        code = error.code.rawValue
        message = error.message
    }

    public var error: RenkeiError { RenkeiError(ErrorCode(rawValue: code), message) }

    /// A refusal carried in a message: absent, or with an empty code, is none.
    static func optional(_ status: Renkei_V1_Status, present: Bool) -> RenkeiError? {
        present && !status.code.isEmpty ? status.error : nil
    }
}
