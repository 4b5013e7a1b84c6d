/// What a 副本 may hold, checked where one enters (registration) and where one is read back
/// (start-up), so that no stored value can add an element to an XML answer, a line to a batch
/// result file, or break the next start.
extension DuplicateRecord {
    public static let maximumItems = 2_000
    public static let maximumValueBytes = 4_096
    public static let maximumCodeLength = 64

    public func validate() throws(RenkeiError) {
        guard dataSet.count == 4, dataSet.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) }) else {
            throw RenkeiError(.invalidRequest, "データセット識別項目コード \"\(dataSet.excerpt(8))\" must be 4 letters or digits (e.g. 0001)")
        }
        guard !recordKey.isEmpty, recordKey.utf8.count <= 64, Self.isPlainText(recordKey) else {
            throw RenkeiError(.invalidRequest, "データセットレコードキー must be 1 to 64 bytes without control characters")
        }
        guard version >= 1, version <= 9_999 else {
            throw RenkeiError(.invalidRequest, "版番号 (SPIMajorVersion) must be from 1 to 9999, not \(version)")
        }
        guard items.count <= Self.maximumItems else {
            throw RenkeiError(.invalidRequest, "a 副本 may carry at most \(Self.maximumItems) items; this one has \(items.count)")
        }
        var codes = Set<String>()
        for (index, item) in items.enumerated() {
            guard Self.isItemCode(item.code) else {
                throw RenkeiError(
                    .invalidRequest,
                    "副本 item \(index + 1): \"\(item.code.excerpt(32))\" is not an item code (1 to \(Self.maximumCodeLength) ASCII letters, digits, _ . -, starting with a letter or _)"
                )
            }
            guard codes.insert(item.code).inserted else { throw RenkeiError(.invalidRequest, "副本 item \(item.code) appears twice") }
            if let value = item.value {
                guard value.utf8.count <= Self.maximumValueBytes else {
                    throw RenkeiError(
                        .invalidRequest, "副本 item \(item.code): the value is \(value.utf8.count) bytes; at most \(Self.maximumValueBytes)")
                }
                guard Self.isPlainText(value) else {
                    throw RenkeiError(
                        .invalidRequest,
                        "副本 item \(item.code): the value holds a control character (tab, line break, U+0000–U+001F, U+007F–U+009F) or a non-character; 副本 values are single-line text"
                    )
                }
            } else if let reason = item.reasonOfNull, !Self.isItemCode(reason) {
                throw RenkeiError(
                    .invalidRequest, "副本 item \(item.code): ReasonOfNull \"\(reason.excerpt(32))\" is not a reason code (e.g. NotAcceptable)")
            }
        }
    }

    /// An item code is also an element name in XML answers: an ASCII NCName, bounded.
    static func isItemCode(_ code: String) -> Bool {
        guard let first = code.unicodeScalars.first, code.unicodeScalars.count <= maximumCodeLength else { return false }
        let letter: (Unicode.Scalar) -> Bool = { ("A"..."Z").contains($0) || ("a"..."z").contains($0) || $0 == "_" }
        return letter(first) && code.unicodeScalars.allSatisfy { letter($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "." }
    }

    /// Text without control characters or non-characters: what a one-line field may hold.
    static func isPlainText(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { scalar in
            switch scalar.value {
            case 0x00...0x1F, 0x7F...0x9F, 0xFFFE, 0xFFFF: false
            default: XMLCharacters.isLegal(scalar)
            }
        }
    }
}

extension DuplicateRecord {
    /// The key of a record to delete (登録削除区分): no items, 版番号 1, checked as any 副本 is.
    public static func key(informationCode: InformationCode, dataSet: String, recordKey: String) throws(RenkeiError) -> DuplicateRecord {
        let record = DuplicateRecord(
            informationCode: informationCode, dataSet: dataSet, recordKey: recordKey, version: 1, publicationDate: nil, endDate: nil, items: [])
        try record.validate()
        return record
    }
}
