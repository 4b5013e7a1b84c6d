extension DecodingError {
    /// A sentence that names the field at fault, for configuration files and request bodies.
    public var fieldDescription: String {
        func path(_ context: Context) -> String {
            let text = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return text.isEmpty ? "the document" : String(text.drop(while: { $0 == "." }))
        }
        switch self {
        case let .keyNotFound(key, context):
            let at = path(context)
            return "\(at == "the document" ? "" : at + ".")\(key.stringValue) is missing"
        case let .typeMismatch(type, context): return "\(path(context)) should be \(type)"
        case let .valueNotFound(type, context): return "\(path(context)) needs a \(type) value"
        case let .dataCorrupted(context): return "\(path(context)): \(context.debugDescription)"
        @unknown default: return "\(self)"
        }
    }
}
