import CLibXML2
import Foundation
import RenkeiTestSupport

/// A schema of docs/xsd, compiled by libxml2, that tells whether a document is valid and, when
/// it is not, what libxml2 found (line and sentence), so a failing test names the element.
final class XMLSchemaValidator {
    struct Problems: Error, CustomStringConvertible {
        let lines: [String]
        var description: String { lines.joined(separator: "\n") }
    }

    /// What libxml2 reports through its structured-error callback, which takes a C pointer.
    private final class Collector {
        var lines = [String]()
    }

    private let schema: xmlSchemaPtr

    /// Compiles `docs/xsd/NAME.xsd`; its `xs:include`s are read from the same folder.
    init(_ name: String) throws {
        let path = Repository.file("docs/xsd/\(name).xsd").path
        let collector = Collector()
        guard let parser = xmlSchemaNewParserCtxt(path) else { throw Problems(lines: ["\(path): cannot be read"]) }
        defer { xmlSchemaFreeParserCtxt(parser) }
        xmlSchemaSetParserStructuredErrors(parser, Self.collect, Unmanaged.passUnretained(collector).toOpaque())
        guard let schema = withExtendedLifetime(collector, { xmlSchemaParse(parser) }) else {
            throw Problems(lines: ["\(name).xsd does not compile"] + collector.lines)
        }
        self.schema = schema
    }

    deinit { xmlSchemaFree(schema) }

    /// Throws the problems libxml2 found when `text` is not valid against the schema.
    func validate(_ text: String, _ what: String) throws {
        let collector = Collector()
        let bytes = Array(text.utf8)
        let options = Int32(XML_PARSE_NONET.rawValue)
        guard
            let document = bytes.withUnsafeBufferPointer({ buffer in
                buffer.baseAddress.flatMap { base in
                    base.withMemoryRebound(to: CChar.self, capacity: buffer.count) { xmlReadMemory($0, Int32(buffer.count), what, "UTF-8", options) }
                }
            })
        else {
            throw Problems(lines: ["\(what): not well-formed XML"])
        }
        defer { xmlFreeDoc(document) }
        guard let context = xmlSchemaNewValidCtxt(schema) else { throw Problems(lines: ["libxml2 could not make a validation context"]) }
        defer { xmlSchemaFreeValidCtxt(context) }
        xmlSchemaSetValidStructuredErrors(context, Self.collect, Unmanaged.passUnretained(collector).toOpaque())
        let result = withExtendedLifetime(collector) { xmlSchemaValidateDoc(context, document) }
        guard result == 0 else { throw Problems(lines: collector.lines.isEmpty ? ["\(what): invalid (libxml2 \(result))"] : collector.lines) }
    }

    private static let collect: xmlStructuredErrorFunc = { context, error in
        guard let context, let error else { return }
        let collector = Unmanaged<Collector>.fromOpaque(context).takeUnretainedValue()
        let message = error.pointee.message.map { String(cString: $0) }?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
        collector.lines.append("line \(error.pointee.line): \(message)")
    }
}
