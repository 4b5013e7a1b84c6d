import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import RenkeiCore

/// A parsed XML element: enough of a DOM for the 中間サーバー 電文, no more.
final class XMLTree {
    let name: String
    let attributes: [String: String]
    var children: [XMLTree] = []
    var text = ""

    init(name: String, attributes: [String: String]) {
        self.name = name
        self.attributes = attributes
    }

    func child(_ name: String) -> XMLTree? { children.first { $0.name == name } }
    func all(_ name: String) -> [XMLTree] { children.filter { $0.name == name } }

    /// The trimmed text of a child element, nil when it is absent or empty.
    func value(_ name: String) -> String? {
        guard let text = child(name)?.text.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
        return text
    }

    var isNil: Bool { attributes["xsi:nil"] == "true" || attributes["nil"] == "true" }
}

/// Parses XML with the limits an interface that strangers call needs: no DTDs or entities
/// (so no entity expansion and no external fetches), a bounded depth and element count.
enum XMLTreeParser {
    static let maximumDepth = 32
    static let maximumElements = 500_000

    static func parse(_ data: Data, what: String) throws(RenkeiError) -> XMLTree {
        let head = String(decoding: data.prefix(4096), as: UTF8.self).uppercased()
        guard !head.contains("<!DOCTYPE"), !head.contains("<!ENTITY") else {
            throw RenkeiError(.malformedMessage, "\(what) carries a DTD or entity declaration, which this interface refuses")
        }
        let delegate = Builder()
        let parser = XMLParser(data: data)
        parser.shouldResolveExternalEntities = false
        parser.shouldProcessNamespaces = false
        parser.delegate = delegate
        let parsed = parser.parse()
        if let failure = delegate.failure { throw RenkeiError(.malformedMessage, "\(what): \(failure)") }
        guard parsed, let root = delegate.root else {
            let line = parser.lineNumber
            let reason = parser.parserError.map { "\($0.localizedDescription)" } ?? "not well-formed"
            throw RenkeiError(.malformedMessage, "\(what) is not well-formed XML (line \(line)): \(reason)")
        }
        return root
    }

    private final class Builder: NSObject, XMLParserDelegate {
        var root: XMLTree?
        var stack: [XMLTree] = []
        var elements = 0
        var failure: String?

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            elements += 1
            guard stack.count < XMLTreeParser.maximumDepth, elements <= XMLTreeParser.maximumElements else {
                failure = stack.count >= XMLTreeParser.maximumDepth
                    ? "elements nest deeper than \(XMLTreeParser.maximumDepth) levels"
                    : "more than \(XMLTreeParser.maximumElements) elements"
                parser.abortParsing()
                return
            }
            let node = XMLTree(name: name, attributes: attributes)
            if let parent = stack.last { parent.children.append(node) } else { root = node }
            stack.append(node)
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            _ = stack.popLast()
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            stack.last?.text += string
        }

        func parser(_ parser: XMLParser, foundCDATA block: Data) {
            stack.last?.text += String(decoding: block, as: UTF8.self)
        }
    }
}

/// Builds XML text with escaping.
struct XMLWriter {
    private(set) var text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"

    static func escape(_ value: String) -> String {
        var result = ""
        result.reserveCapacity(value.count)
        for character in value {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            default: result.append(character)
            }
        }
        return result
    }

    mutating func open(_ name: String, _ attributes: [(String, String)] = []) {
        text += "<\(name)" + attributes.map { " \($0.0)=\"\(Self.escape($0.1))\"" }.joined() + ">"
    }

    mutating func close(_ name: String) { text += "</\(name)>" }

    mutating func element(_ name: String, _ value: String?, _ attributes: [(String, String)] = []) {
        guard let value else {
            text += "<\(name)" + attributes.map { " \($0.0)=\"\(Self.escape($0.1))\"" }.joined() + "/>"
            return
        }
        open(name, attributes)
        text += Self.escape(value)
        close(name)
    }
}
