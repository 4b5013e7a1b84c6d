/// How much of a document the parser will build before it refuses the rest.
public struct XMLLimits: Sendable, Hashable {
    public var maximumDepth: Int
    public var maximumElements: Int
    public var maximumAttributes: Int
    public var maximumNameLength: Int

    public init(maximumDepth: Int = 32, maximumElements: Int = 500_000, maximumAttributes: Int = 64, maximumNameLength: Int = 256) {
        self.maximumDepth = maximumDepth
        self.maximumElements = maximumElements
        self.maximumAttributes = maximumAttributes
        self.maximumNameLength = maximumNameLength
    }
}

/// A strict, non-validating XML 1.0 parser for documents that strangers send.
///
/// It replaces Foundation's `XMLParser`, which traps on some invalid byte sequences (invalid
/// UTF-8 in a name, a comment or a processing instruction) and accepts documents that are
/// not well-formed. This one is written in Swift without unsafe code, so any byte sequence
/// ends in a tree or in one `MALFORMED_MESSAGE` with the line it stopped at, and libFuzzer's
/// instrumentation reaches all of it.
///
/// Refused: bytes that are not UTF-8, an encoding declaration other than UTF-8, characters
/// outside XML's `Char`, a DTD (so no entity expansion and no external fetches), entities
/// other than the five predefined ones, mismatched or unclosed tags, a repeated attribute,
/// names that are not qualified names, anything but comments, processing instructions and
/// white space after the root element (a second root included), and documents past `limits`.
public enum XMLTreeParser {
    public static func parse(_ bytes: some Sequence<UInt8>, what: String, limits: XMLLimits = XMLLimits()) throws(RenkeiError) -> XMLTree {
        var parser = Parser(bytes: Array(bytes), limits: limits)
        do {
            return try parser.document()
        } catch {
            throw RenkeiError(.malformedMessage, "\(what) is not well-formed XML (line \(parser.line(at: error.position))): \(error.reason)")
        }
    }
}

private struct XMLSyntaxError: Error {
    let position: Int
    let reason: String
}

private struct Parser {
    let bytes: [UInt8]
    let limits: XMLLimits
    var position = 0
    var elements = 0

    init(bytes: [UInt8], limits: XMLLimits) {
        self.bytes = bytes
        self.limits = limits
    }

    // MARK: the document

    mutating func document() throws(XMLSyntaxError) -> XMLTree {
        try checkEncoding()
        if starts(with: [0xEF, 0xBB, 0xBF]) { position += 3 }
        if starts(with: "<?xml"), position + 5 < bytes.count, XMLCharacters.isSpace(bytes[position + 5]) { try declaration() }
        try misc()
        if starts(with: "<!DOCTYPE") { throw fail("a DTD (<!DOCTYPE …>) is refused: this interface takes no document type declarations or entities") }
        guard position < bytes.count, bytes[position] == UInt8(ascii: "<") else {
            throw fail(position < bytes.count ? "text before the root element" : "there is no root element")
        }
        let root = try element()
        try misc()
        guard position == bytes.count else {
            throw fail(
                starts(with: "<") && !starts(with: "</") ? "a second root element: a document has exactly one" : "content after the root element")
        }
        return root
    }

    /// Every byte is UTF-8 and every character is one XML allows; checked once, up front, so
    /// that the rest of the parser reads valid text only.
    func checkEncoding() throws(XMLSyntaxError) {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case let .scalarValue(scalar):
                guard XMLCharacters.isLegal(scalar) else {
                    throw XMLSyntaxError(
                        position: offset, reason: "character U+\(String(scalar.value, radix: 16, uppercase: true)) is not allowed in XML")
                }
                offset += UTF8.width(scalar)
            case .emptyInput:
                return
            case .error:
                throw XMLSyntaxError(position: offset, reason: "the bytes at offset \(offset) are not UTF-8; send the 電文 in UTF-8")
            }
        }
    }

    /// `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`: the encoding, where given, must be UTF-8.
    mutating func declaration() throws(XMLSyntaxError) {
        position += 5
        var seen: [String: String] = [:]
        while true {
            skipSpace()
            if starts(with: "?>") {
                position += 2
                break
            }
            let name = try self.name()
            guard ["version", "encoding", "standalone"].contains(name), seen[name] == nil else {
                throw fail("the XML declaration has an unexpected or repeated \(excerpt(name))")
            }
            skipSpace()
            try expect("=")
            skipSpace()
            seen[name] = try quoted()
        }
        guard let version = seen["version"], version.hasPrefix("1.") else { throw fail("the XML declaration needs version=\"1.0\"") }
        if let encoding = seen["encoding"], encoding.uppercased() != "UTF-8", encoding.uppercased() != "UTF8" {
            throw fail("the declared encoding \(excerpt(encoding)) does not match the bytes: this interface takes UTF-8 only")
        }
    }

    /// Comments, processing instructions and white space, before or after the root.
    mutating func misc() throws(XMLSyntaxError) {
        while true {
            skipSpace()
            if starts(with: "<!--") {
                try comment()
            } else if starts(with: "<?") {
                try instruction()
            } else {
                return
            }
        }
    }

    // MARK: elements

    mutating func element() throws(XMLSyntaxError) -> XMLTree {
        var stack: [XMLTree] = []
        var root: XMLTree?
        repeat {
            guard position < bytes.count else { throw fail("the document ends inside <\(excerpt(stack.last?.name ?? ""))>") }
            if bytes[position] == UInt8(ascii: "<") {
                if starts(with: "</") {
                    position += 2
                    let name = try self.name()
                    skipSpace()
                    try expect(">")
                    guard let open = stack.popLast() else { throw fail("a closing tag </\(excerpt(name))> without its opening tag") }
                    guard open.name == name else { throw fail("<\(excerpt(open.name))> is closed by </\(excerpt(name))>") }
                } else if starts(with: "<!--") {
                    try comment()
                } else if starts(with: "<![CDATA[") {
                    guard let current = stack.last else { throw fail("a CDATA section outside the root element") }
                    position += 9
                    guard let end = find("]]>") else { throw fail("a CDATA section that is never closed") }
                    current.text += normalizedText(position, end)
                    position = end + 3
                } else if starts(with: "<?") {
                    try instruction()
                } else if starts(with: "<!") {
                    throw fail(starts(with: "<!DOCTYPE") ? "a DTD inside the document" : "markup <! that is not a comment or a CDATA section")
                } else {
                    let (node, closed) = try startTag(depth: stack.count)
                    if let parent = stack.last { parent.children.append(node) } else { root = node }
                    if !closed { stack.append(node) }
                }
            } else {
                guard let current = stack.last else { throw fail("text outside the root element") }
                current.text += try characterData()
            }
        } while !stack.isEmpty
        guard let root else { throw fail("there is no root element") }
        return root
    }

    /// `<name attr="value" …>` or `<name …/>`; true when the element closed itself.
    mutating func startTag(depth: Int) throws(XMLSyntaxError) -> (XMLTree, Bool) {
        elements += 1
        guard depth < limits.maximumDepth else { throw fail("elements nest deeper than \(limits.maximumDepth) levels") }
        guard elements <= limits.maximumElements else { throw fail("more than \(limits.maximumElements) elements") }
        position += 1
        let name = try qualifiedName()
        var attributes: [String: String] = [:]
        while true {
            let hadSpace = skipSpace()
            if starts(with: "/>") {
                position += 2
                return (XMLTree(name: name, attributes: attributes), true)
            }
            if starts(with: ">") {
                position += 1
                return (XMLTree(name: name, attributes: attributes), false)
            }
            guard hadSpace else { throw fail("attributes of <\(excerpt(name))> must be separated by white space") }
            let attribute = try qualifiedName()
            skipSpace()
            try expect("=")
            skipSpace()
            let value = try attributeValue()
            guard attributes.updateValue(value, forKey: attribute) == nil else {
                throw fail("<\(excerpt(name))> repeats the attribute \(excerpt(attribute))")
            }
            guard attributes.count <= limits.maximumAttributes else {
                throw fail("<\(excerpt(name))> has more than \(limits.maximumAttributes) attributes")
            }
        }
    }

    /// Text up to the next markup, with references replaced.
    mutating func characterData() throws(XMLSyntaxError) -> String {
        var text = ""
        var start = position
        while position < bytes.count, bytes[position] != UInt8(ascii: "<") {
            if bytes[position] == UInt8(ascii: "&") {
                text += normalizedText(start, position)
                text.unicodeScalars.append(try reference())
                start = position
            } else if bytes[position] == UInt8(ascii: "]"), starts(with: "]]>") {
                throw fail("]]> outside a CDATA section")
            } else {
                position += 1
            }
        }
        return text + normalizedText(start, position)
    }

    mutating func attributeValue() throws(XMLSyntaxError) -> String {
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") || bytes[position] == UInt8(ascii: "'") else {
            throw fail("an attribute value must be quoted")
        }
        let quote = bytes[position]
        position += 1
        var value = String.UnicodeScalarView()
        while true {
            guard position < bytes.count else { throw fail("an attribute value that is never closed") }
            let byte = bytes[position]
            if byte == quote {
                position += 1
                return String(value)
            }
            switch byte {
            case UInt8(ascii: "<"): throw fail("< inside an attribute value")
            case UInt8(ascii: "&"): value.append(try reference())
            case 0x9, 0xA, 0xD:
                // Attribute-value normalisation (§3.3.3): each white-space character, and a CR LF pair, is one space.
                if byte == 0xD, position + 1 < bytes.count, bytes[position + 1] == 0xA { position += 1 }
                value.append(" ")
                position += 1
            default:
                let (scalar, width) = scalar(at: position)
                value.append(scalar)
                position += width
            }
        }
    }

    /// `&lt;` `&gt;` `&amp;` `&quot;` `&apos;` `&#N;` `&#xN;`; nothing else (no DTD, so no other entity exists).
    mutating func reference() throws(XMLSyntaxError) -> Unicode.Scalar {
        let start = position
        position += 1
        guard let end = bytes[position...].prefix(12).firstIndex(of: UInt8(ascii: ";")) else {
            throw XMLSyntaxError(position: start, reason: "& must start a reference such as &amp; (write & as &amp;)")
        }
        let body = String(decoding: bytes[position..<end], as: UTF8.self)
        position = end + 1
        switch body {
        case "lt": return "<"
        case "gt": return ">"
        case "amp": return "&"
        case "quot": return "\""
        case "apos": return "'"
        default: break
        }
        var number: UInt32?
        if body.hasPrefix("#x"), body.dropFirst(2).allSatisfy(\.isHexDigit) {
            number = UInt32(body.dropFirst(2), radix: 16)
        } else if body.hasPrefix("#"), body.dropFirst().allSatisfy({ $0.isASCII && $0.isNumber }) {
            number = UInt32(body.dropFirst())
        } else {
            throw XMLSyntaxError(
                position: start,
                reason: "the entity &\(excerpt(body)); is not defined (only &lt; &gt; &amp; &quot; &apos; and character references are)")
        }
        guard let number, let scalar = Unicode.Scalar(number), XMLCharacters.isLegal(scalar) else {
            throw XMLSyntaxError(position: start, reason: "&\(excerpt(body)); is not a character XML allows")
        }
        return scalar
    }

    // MARK: comments and processing instructions

    mutating func comment() throws(XMLSyntaxError) {
        position += 4
        guard let end = find("--") else { throw fail("a comment that is never closed") }
        guard end + 2 < bytes.count, bytes[end + 2] == UInt8(ascii: ">") else { throw XMLSyntaxError(position: end, reason: "-- inside a comment") }
        position = end + 3
    }

    mutating func instruction() throws(XMLSyntaxError) {
        position += 2
        let target = try name()
        guard target.lowercased() != "xml" else { throw fail("an XML declaration anywhere but at the very start") }
        guard let end = find("?>") else { throw fail("a processing instruction that is never closed") }
        guard end == position || XMLCharacters.isSpace(bytes[position]) else {
            throw fail("the processing instruction \(excerpt(target)) needs a space after its target")
        }
        position = end + 2
    }

    // MARK: names and small pieces

    mutating func qualifiedName() throws(XMLSyntaxError) -> String {
        let start = position
        let name = try self.name()
        guard XMLCharacters.isQualifiedName(name) else {
            throw XMLSyntaxError(
                position: start, reason: "\(excerpt(name)) is not an element or attribute name (a name with at most one colon, not at either end)")
        }
        return name
    }

    mutating func name() throws(XMLSyntaxError) -> String {
        let start = position
        var first = true
        var scalars = String.UnicodeScalarView()
        while position < bytes.count {
            let (scalar, width) = scalar(at: position)
            guard first ? XMLCharacters.isNameStart(scalar) : XMLCharacters.isName(scalar) else { break }
            scalars.append(scalar)
            position += width
            first = false
            guard scalars.count <= limits.maximumNameLength else { throw fail("a name longer than \(limits.maximumNameLength) characters") }
        }
        guard position > start else {
            throw fail(position < bytes.count ? "a name was expected here" : "the document ends where a name was expected")
        }
        return String(scalars)
    }

    mutating func quoted() throws(XMLSyntaxError) -> String {
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") || bytes[position] == UInt8(ascii: "'") else {
            throw fail("a quoted value was expected")
        }
        let quote = bytes[position]
        guard let end = bytes[(position + 1)...].firstIndex(of: quote) else { throw fail("a quoted value that is never closed") }
        defer { position = end + 1 }
        return String(decoding: bytes[(position + 1)..<end], as: UTF8.self)
    }

    /// Skips white space; true when there was some.
    @discardableResult
    mutating func skipSpace() -> Bool {
        let start = position
        while position < bytes.count, XMLCharacters.isSpace(bytes[position]) { position += 1 }
        return position > start
    }

    mutating func expect(_ literal: String) throws(XMLSyntaxError) {
        guard starts(with: literal) else { throw fail("\(literal) was expected here") }
        position += literal.utf8.count
    }

    func starts(with literal: String) -> Bool { starts(with: Array(literal.utf8)) }

    func starts(with literal: [UInt8]) -> Bool {
        guard position + literal.count <= bytes.count else { return false }
        return bytes[position..<(position + literal.count)].elementsEqual(literal)
    }

    /// Where `literal` next begins, from the current position.
    func find(_ literal: String) -> Int? {
        let needle = Array(literal.utf8)
        guard let first = needle.first, bytes.count >= needle.count else { return nil }
        var index = position
        while index + needle.count <= bytes.count {
            if bytes[index] == first, bytes[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }

    /// The scalar that starts at `index` and its width in bytes. The input was checked to be
    /// UTF-8 before parsing; the bounds are checked again so that no input can trap here.
    func scalar(at index: Int) -> (Unicode.Scalar, Int) {
        let lead = bytes[index]
        let width = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
        guard index + width <= bytes.count else { return ("\u{FFFD}", 1) }
        guard width > 1 else { return (Unicode.Scalar(lead), 1) }
        var value = UInt32(lead) & (0xFF >> (width + 1))
        for offset in 1..<width { value = value << 6 | UInt32(bytes[index + offset] & 0x3F) }
        return (Unicode.Scalar(value) ?? "\u{FFFD}", width)
    }

    /// The text between two offsets with line ends normalised to LF (§2.11).
    func normalizedText(_ start: Int, _ end: Int) -> String {
        guard start < end else { return "" }
        let slice = bytes[start..<end]
        guard slice.contains(0xD) else { return String(decoding: slice, as: UTF8.self) }
        var normalized = [UInt8]()
        normalized.reserveCapacity(slice.count)
        var index = start
        while index < end {
            if bytes[index] == 0xD {
                normalized.append(0xA)
                if index + 1 < end, bytes[index + 1] == 0xA { index += 1 }
            } else {
                normalized.append(bytes[index])
            }
            index += 1
        }
        return String(decoding: normalized, as: UTF8.self)
    }

    func fail(_ reason: String) -> XMLSyntaxError { XMLSyntaxError(position: position, reason: reason) }

    /// The line (from 1) of a byte offset, for the error sentence.
    func line(at offset: Int) -> Int {
        1 + bytes.prefix(max(0, min(offset, bytes.count))).reduce(0) { $0 + ($1 == 0xA ? 1 : 0) }
    }

    /// A caller's text in an error: at most 32 characters, quoted.
    func excerpt(_ text: String) -> String { "\"" + text.excerpt(32) + "\"" }
}

extension String {
    /// At most `limit` characters of the text, with … where it was cut: how an error quotes
    /// what a caller sent without echoing all of it back.
    public func excerpt(_ limit: Int = 64) -> String {
        // The common case, a short clean text, is returned as it is: the journal cuts every
        // field and step of every request, so this runs several times per inquiry.
        if utf8.count <= limit, isFreeOfControlCharacters { return self }
        let scalars = unicodeScalars.prefix(limit + 1).map { scalar -> Unicode.Scalar in
            // Control characters would break the line the sentence is printed on.
            scalar.value < 0x20 || scalar.value == 0x7F ? "\u{FFFD}" : scalar
        }
        guard scalars.count > limit else { return String(String.UnicodeScalarView(scalars)) }
        return String(String.UnicodeScalarView(scalars.prefix(limit))) + "…"
    }

    /// No byte below 0x20 and no DEL. A native string's bytes are read through one buffer
    /// (walking `utf8` by index cost about 20,000 instructions per inquiry; callgrind, issue 16).
    private var isFreeOfControlCharacters: Bool {
        let clean = { (byte: UInt8) in byte >= 0x20 && byte != 0x7F }
        return utf8.withContiguousStorageIfAvailable { $0.allSatisfy(clean) } ?? utf8.allSatisfy(clean)
    }
}
