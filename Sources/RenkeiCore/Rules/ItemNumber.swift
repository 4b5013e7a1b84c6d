/// A 項 of 別表第二: a number and, for rows inserted later, a branch ("56-2" is 第56項の2).
public struct ItemNumber: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let number: Int
    public let branch: Int

    /// Accepts "42", "56-2" and "56の2".
    public init(_ text: String) throws(RenkeiError) {
        // Every inquiry carries one, at every node: plain ASCII ("42", "56-2") is read directly.
        if let parsed = Self.ascii(text.utf8) {
            (number, branch) = parsed
            return
        }
        let normalized = String(text.replacing("の", with: "-").filter { !$0.isWhitespace })
        let parts = normalized.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count),
            let number = Int(parts[0]), (1...999).contains(number),
            parts.count == 1 || Int(parts[1]).map({ (2...99).contains($0) }) == true
        else {
            throw RenkeiError(.invalidRequest, "別表第二 item \"\(text.excerpt(16))\" is not an item number; write it as 42 or 56-2")
        }
        self.number = number
        self.branch = parts.count == 2 ? Int(parts[1]) ?? 0 : 0
    }

    private static func ascii(_ bytes: String.UTF8View) -> (Int, Int)? {
        var number = 0, branch = 0, digits = 0, inBranch = false
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                digits += 1
                guard digits <= 3 else { return nil }
                if inBranch { branch = branch * 10 + Int(byte - 48) } else { number = number * 10 + Int(byte - 48) }
            case UInt8(ascii: "-") where !inBranch && digits > 0:
                inBranch = true
                digits = 0
            default:
                return nil
            }
        }
        guard digits > 0, (1...999).contains(number), !inBranch || (2...99).contains(branch) else { return nil }
        return (number, branch)
    }

    public var description: String { branch == 0 ? String(number) : "\(number)-\(branch)" }
    /// How the law writes it: 第42項, 第56項の2.
    public var japanese: String { branch == 0 ? "第\(number)項" : "第\(number)項の\(branch)" }

    public static func < (a: Self, b: Self) -> Bool { (a.number, a.branch) < (b.number, b.branch) }
}
