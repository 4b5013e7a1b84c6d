/// Builds XML text. Values are escaped, and a character XML does not allow (which validated
/// data never holds) is written as U+FFFD, so no value can add markup or break the document.
/// Names are the caller's: literals, or 副本 item codes checked at registration.
public struct XMLWriter: Sendable {
    public private(set) var text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"

    public init() {}

    public static func escape(_ value: String) -> String {
        var result = String.UnicodeScalarView()
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": result.append(contentsOf: "&amp;".unicodeScalars)
            case "<": result.append(contentsOf: "&lt;".unicodeScalars)
            case ">": result.append(contentsOf: "&gt;".unicodeScalars)
            case "\"": result.append(contentsOf: "&quot;".unicodeScalars)
            case "'": result.append(contentsOf: "&apos;".unicodeScalars)
            case "\r": result.append(contentsOf: "&#13;".unicodeScalars)
            default: result.append(XMLCharacters.isLegal(scalar) ? scalar : "\u{FFFD}")
            }
        }
        return String(result)
    }

    public mutating func open(_ name: String, _ attributes: [(String, String)] = []) {
        text += "<\(name)" + Self.attributes(attributes) + ">"
    }

    public mutating func close(_ name: String) { text += "</\(name)>" }

    /// An element with text, or an empty one (`<name …/>`) when `value` is nil.
    public mutating func element(_ name: String, _ value: String?, _ attributes: [(String, String)] = []) {
        guard let value else {
            text += "<\(name)" + Self.attributes(attributes) + "/>"
            return
        }
        open(name, attributes)
        text += Self.escape(value)
        close(name)
    }

    private static func attributes(_ attributes: [(String, String)]) -> String {
        attributes.map { " \($0.0)=\"\(escape($0.1))\"" }.joined()
    }
}
