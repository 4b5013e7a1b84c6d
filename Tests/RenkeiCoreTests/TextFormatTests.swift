import Foundation
import Testing

@testable import RenkeiCore

/// The text forms on the inquiry path (issue 16 made them fast): they must say the same as before.
@Suite("Text formats")
struct TextFormatTests {
    @Test("hex writes two lowercase digits a byte, from contiguous and from lazy bytes alike")
    func hexDigits() {
        let sample: [UInt8] = [0x00, 0x0f, 0x10, 0xa5, 0xff]
        #expect(hex(sample) == "000f10a5ff")
        #expect(hex(sample[1...3]) == "0f10a5")
        #expect(hex(Data(sample)) == "000f10a5ff")
        #expect(hex(sample.lazy.map { $0 ^ 0xff }) == "fff0ef5a00")
        #expect(hex([UInt8]()) == "")
        let all = (0...255).map(UInt8.init)
        #expect(bytes(fromHex: hex(all)) == all)
    }

    @Test("excerpt keeps a short clean text whole, Japanese too, and replaces control characters")
    func excerptText() {
        #expect("札幌市 国保".excerpt(8) == "札幌市 国保")
        #expect("abc".excerpt(3) == "abc")
        #expect("abcd".excerpt(3) == "abc…")
        #expect("a\u{7}b\nc\u{7F}".excerpt() == "a\u{FFFD}b\u{FFFD}c\u{FFFD}")
        #expect("個人番号照会".excerpt(2) == "個人…")
    }
}
