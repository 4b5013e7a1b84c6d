/// An item as a request cites it: a number, and the table it is numbered in when the request
/// says so ("2015:27", "2024:48"). A plain number ("27") is read in the numbering the rule book
/// sets for plain numbers.
public struct ItemCitation: Sendable, Hashable, CustomStringConvertible {
    public let numbering: RuleNumbering?
    public let number: ItemNumber

    public init(numbering: RuleNumbering?, number: ItemNumber) {
        self.numbering = numbering
        self.number = number
    }

    /// Accepts "27", "56-2", "2015:27" and "2024:48".
    public init(_ text: String) throws(RenkeiError) {
        guard let colon = text.utf8.firstIndex(of: UInt8(ascii: ":")) else {
            self.init(numbering: nil, number: try ItemNumber(text))
            return
        }
        let prefix = String(text[..<colon])
        guard let numbering = RuleNumbering(rawValue: prefix) else {
            throw RenkeiError(
                .invalidRequest,
                "item \"\(text.excerpt(16))\" names the table \"\(prefix.excerpt(8))\"; write 2015:27 for 別表第二, 2024:48 for the 2024 ordinance, or a plain number"
            )
        }
        self.init(numbering: numbering, number: try ItemNumber(String(text[text.index(after: colon)...])))
    }

    public var description: String { numbering.map { "\($0.rawValue):\(number)" } ?? number.description }
}
