/// A parsed XML element: enough of a DOM for the 中間サーバー 電文, no more.
///
/// Names are kept as written (`xsi:nil` stays `xsi:nil`): the 電文 and the 副本 data are
/// read by local name and prefix as vendors write them, without namespace processing.
public final class XMLTree {
    public let name: String
    public let attributes: [String: String]
    public internal(set) var children: [XMLTree] = []
    /// The element's own character data (CDATA included), in document order.
    public internal(set) var text = ""

    public init(name: String, attributes: [String: String]) {
        self.name = name
        self.attributes = attributes
    }

    public func child(_ name: String) -> XMLTree? { children.first { $0.name == name } }
    public func all(_ name: String) -> [XMLTree] { children.filter { $0.name == name } }

    /// The text of a child element with XML white space trimmed; nil when absent or empty.
    public func value(_ name: String) -> String? {
        guard let text = child(name)?.text.trimmingXMLWhitespace, !text.isEmpty else { return nil }
        return text
    }

    public var isNil: Bool { attributes["xsi:nil"] == "true" || attributes["nil"] == "true" }
}

extension String {
    /// Without the XML white space (space, tab, CR, LF) at either end.
    public var trimmingXMLWhitespace: String {
        let isSpace: (Unicode.Scalar) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !isSpace($0) }), let last = scalars.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(scalars[first...last])
    }
}

extension XMLTree {
    /// Refuses a child element that `known` does not name (with the nearest known name, as for
    /// an unknown JSON field) and a child given twice that is not `repeatable`: an element the
    /// reader skipped, or the second of two, would be data silently dropped.
    public func requireOnly(_ known: [String], repeatable: Set<String> = [], at path: String) throws(RenkeiError) {
        var seen = Set<String>()
        for child in children {
            guard known.contains(child.name) else {
                let suggestion = StrictDecoding.nearest(to: child.name, in: known).map { " (did you mean \($0)?)" } ?? ""
                throw RenkeiError(
                    .malformedMessage,
                    "\(path) has an unknown element \(child.name.excerpt(32))\(suggestion); it may hold \(known.joined(separator: ", "))")
            }
            guard seen.insert(child.name).inserted || repeatable.contains(child.name) else {
                throw RenkeiError(.malformedMessage, "\(path).\(child.name) is given twice; it may appear once")
            }
        }
    }
}
