import Foundation
import RenkeiEdge
import RenkeiTestSupport
import Testing

/// One hostile input and what the edge must answer: the HTTP status and the stable code.
struct HostileCase: CustomStringConvertible, Sendable {
    let name: String
    let body: [UInt8]
    let status: Int
    let code: String

    init(_ name: String, _ body: [UInt8], _ status: Int = 400, _ code: String = "MALFORMED_MESSAGE") {
        self.name = name
        self.body = body
        self.status = status
        self.code = code
    }

    init(_ name: String, _ text: String, _ status: Int = 400, _ code: String = "MALFORMED_MESSAGE") {
        self.init(name, Array(text.utf8), status, code)
    }

    var description: String { name }
}

/// Bytes of a well-formed inquiry 電文 with `inject` spliced in where `marker` stands.
private func inquiryMessage(replacing marker: String = "", with inject: [UInt8] = [], mover: String = "1000001") -> [UInt8] {
    let text = message("IF_SKI_10101_R01", body: inquiryBody(mover))
    guard !marker.isEmpty, let range = text.range(of: marker) else { return Array(text.utf8) }
    return Array(text[..<range.lowerBound].utf8) + inject + Array(text[range.upperBound...].utf8)
}

private func registrationMessage(data: String) -> String {
    message("IF_DBM_20113_R01", body: registration([("1", "000000100000001", "2017", data)]))
}

/// The XML 電文 interface under hostile input (issue 9). Foundation's XMLParser trapped on
/// several of these and took every node of the process down; each must now be one refusal with
/// its code, and the network must go on serving afterwards.
@Suite("Hostile XML 電文", .queuedTimeLimit)
struct HostileXMLTests {
    static let cases: [HostileCase] = [
        // Bytes that are not UTF-8, wherever they sit: names, prefixes, attributes, PIs, comments, text, CDATA.
        HostileCase(
            "invalid UTF-8 in an element name",
            inquiryMessage(replacing: "<MessageHeader>", with: Array("<Message".utf8) + [0xFF] + Array("Header>".utf8))),
        HostileCase(
            "invalid UTF-8 in an attribute name",
            inquiryMessage(replacing: "<MessageHeader>", with: Array("<MessageHeader a".utf8) + [0xFE] + Array("=\"1\">".utf8))),
        HostileCase("invalid UTF-8 in a namespace prefix", [0x3C, 0xC3, 0x28] + Array(":Message/>".utf8)),
        HostileCase(
            "invalid UTF-8 in a processing instruction", Array("<?xml version=\"1.0\"?><?pi ".utf8) + [0xFF, 0xFF] + Array("?><Message/>".utf8)),
        HostileCase("invalid UTF-8 in a comment before the root", Array("<!-- ".utf8) + [0x80] + Array(" --><Message/>".utf8)),
        HostileCase("invalid UTF-8 in a comment after the root", inquiryMessage() + Array("<!-- ".utf8) + [0xC0, 0xAF] + Array(" -->".utf8)),
        HostileCase("invalid UTF-8 in text", inquiryMessage(replacing: "<MSGID>M1", with: Array("<MSGID>M".utf8) + [0xF8, 0x88, 0x80, 0x80, 0x80])),
        HostileCase(
            "invalid UTF-8 inside CDATA",
            inquiryMessage(replacing: "<MSGID>M1", with: Array("<MSGID><![CDATA[".utf8) + [0xE3, 0x81] + Array("]]>".utf8))),
        HostileCase("an overlong encoding of /", Array("<Message>".utf8) + [0xC0, 0xAF] + Array("</Message>".utf8)),
        HostileCase("an encoded surrogate", Array("<Message>".utf8) + [0xED, 0xA0, 0x80] + Array("</Message>".utf8)),
        HostileCase("a multi-byte character cut at the end", Array("<Message/>".utf8) + [0xE3, 0x81]),
        HostileCase("a UTF-16 document", [0xFF, 0xFE] + Array("<Message/>".utf8).flatMap { [$0, 0] }),
        // Documents that are not well-formed.
        HostileCase("content after the root element", inquiryMessage() + Array("trailing text".utf8)),
        HostileCase(
            "a second root element", inquiryMessage() + Array(message("IF_SKI_10102_R01", body: "<ReceptionNumber>R1</ReceptionNumber>").utf8)),
        HostileCase(
            "an encoding declaration that does not match the bytes",
            message("IF_SKI_10101_R01", body: inquiryBody("1000001")).replacingOccurrences(of: "UTF-8", with: "Shift_JIS")),
        HostileCase("an XML declaration after the start", " " + message("IF_SKI_10101_R01", body: inquiryBody("1000001"))),
        HostileCase("a NUL byte in text", inquiryMessage(replacing: "<MSGID>M1", with: Array("<MSGID>M".utf8) + [0x00])),
        HostileCase("a control character in text", inquiryMessage(replacing: "<MSGID>M1", with: Array("<MSGID>M".utf8) + [0x01])),
        HostileCase(
            "a character reference to a control character",
            message("IF_SKI_10101_R01", body: inquiryBody("1000001")).replacingOccurrences(of: "<MSGID>M1", with: "<MSGID>&#1;")),
        HostileCase(
            "a character reference beyond Unicode",
            message("IF_SKI_10101_R01", body: inquiryBody("1000001")).replacingOccurrences(of: "<MSGID>M1", with: "<MSGID>&#x110000;")),
        HostileCase(
            "an undefined entity",
            message("IF_SKI_10101_R01", body: inquiryBody("1000001")).replacingOccurrences(of: "<MSGID>M1", with: "<MSGID>&nbsp;")),
        HostileCase(
            "a bare ampersand", message("IF_SKI_10101_R01", body: inquiryBody("1000001")).replacingOccurrences(of: "<MSGID>M1", with: "<MSGID>A&B")),
        HostileCase("mismatched tags", "<Message><MessageHeader></MessageBody></Message>"),
        HostileCase("an unclosed root", "<Message><MessageHeader/>"),
        HostileCase("a repeated attribute", #"<Message a="1" a="2"/>"#),
        HostileCase("< inside an attribute value", #"<Message a="<"/>"#),
        HostileCase("an unquoted attribute value", "<Message a=1/>"),
        HostileCase("attributes without space between them", #"<Message a="1"b="2"/>"#),
        HostileCase("a name that starts with a digit", "<1Message/>"),
        HostileCase("a name with two colons", "<a:b:Message/>"),
        HostileCase("a name that ends with a colon", "<Message:/>"),
        HostileCase(
            "entity expansion (billion laughs)",
            #"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><Message>&lol2;</Message>"#),
        HostileCase(
            "an external entity (XXE)", #"<?xml version="1.0"?><!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]><Message>&x;</Message>"#),
        HostileCase("a DTD inside the root", "<Message><!DOCTYPE x></Message>"),
        HostileCase("]]> in text", "<Message>a]]>b</Message>"),
        HostileCase("-- inside a comment", "<!-- a -- b --><Message/>"),
        HostileCase("an unterminated comment", "<Message/><!-- a"),
        HostileCase("an unterminated CDATA section", "<Message><![CDATA[ a</Message>"),
        HostileCase("CDATA outside the root", "<![CDATA[x]]><Message/>"),
        HostileCase("an empty body", ""),
        HostileCase("text and no root", "just text"),
        HostileCase(
            "nesting deeper than 32 levels",
            message("IF_SKI_10101_R01", body: String(repeating: "<a>", count: 40) + String(repeating: "</a>", count: 40))),
        HostileCase("a root that is not a Message", "<Foo><MessageHeader/></Foo>"),
        HostileCase(
            "an MSGID of 100 characters",
            message("IF_SKI_10101_R01", body: inquiryBody("1000001")).replacingOccurrences(
                of: "<MSGID>M1", with: "<MSGID>" + String(repeating: "M", count: 100))),
        HostileCase(
            "a SourceSystemID of 21 characters",
            message("IF_SKI_10101_R01", body: inquiryBody("1000001")).replacingOccurrences(of: "K000000001", with: String(repeating: "K", count: 21))),
        // 副本 data that would break an answer, a result file or the next start.
        HostileCase(
            "a 副本 value with U+001F (the store's old separator), which XML does not allow",
            registrationMessage(data: "<R><K0001>20\u{1F}17</K0001></R>")),
        HostileCase(
            "a 副本 value with U+0085 (NEL), which XML allows and a 副本 does not", registrationMessage(data: "<R><K0001>20\u{85}17</K0001></R>"), 400,
            "INVALID_REQUEST"),
        HostileCase("a 副本 value with CR LF", registrationMessage(data: "<R><K0001>2017\r\n01,forged,row</K0001></R>"), 400, "INVALID_REQUEST"),
        HostileCase("a 副本 value with a tab", registrationMessage(data: "<R><K0001>2017\t1</K0001></R>"), 400, "INVALID_REQUEST"),
        HostileCase(
            "a 副本 item code with a prefix", registrationMessage(data: #"<R xmlns:x="urn:x"><x:K0001>1</x:K0001></R>"#), 400, "INVALID_REQUEST"),
        HostileCase("a 副本 item code that is not ASCII", registrationMessage(data: "<R><項目>1</項目></R>"), 400, "INVALID_REQUEST"),
        HostileCase("a 副本 item code given twice", registrationMessage(data: "<R><K0001>1</K0001><K0001>2</K0001></R>"), 400, "INVALID_REQUEST"),
        HostileCase(
            "a 副本 value of 5,000 bytes", registrationMessage(data: "<R><K0001>" + String(repeating: "9", count: 5_000) + "</K0001></R>"), 400,
            "INVALID_REQUEST"),
        HostileCase(
            "a ReasonOfNull that is not a reason code",
            registrationMessage(data: #"<R xmlns:xsi="urn:x"><K0001 ReasonOfNull="no reason" xsi:nil="true"/></R>"#), 400, "INVALID_REQUEST"),
        HostileCase("副本 data that is not well-formed", registrationMessage(data: "<R><K0001>1</R>")),
        HostileCase("副本 data with a second root", registrationMessage(data: "<R/><R/>")),
    ]

    @Test("every hostile 電文 is refused with its code; the network serves on")
    func hostileMessages() async throws {
        #expect(Self.cases.count >= 50)
        try await withEdge { edge in
            for hostile in Self.cases {
                let holder = hostile.code == "INVALID_REQUEST" || hostile.name.hasPrefix("副本") ? "sapporo/zei" : "tomakomai/kokuho"
                let node = holder == "sapporo/zei" ? "atena-sapporo" : "atena-tomakomai"
                let answer = try await edge.call(holder, node, .POST, "/v1/xml", bytes: hostile.body, contentType: "application/xml")
                #expect(answer.status == hostile.status, "\(hostile.name): \(answer.text)")
                #expect(answer.element("MSGResult") == hostile.code, "\(hostile.name): \(answer.text)")
                // A refusal quotes at most a bounded excerpt of what was sent.
                #expect(answer.body.count < 2_048, "\(hostile.name): the answer is \(answer.body.count) bytes")
            }
            let mover = try #require(edge.movers().first)
            let after = try await edge.call(
                "tomakomai/kokuho", "atena-tomakomai", .POST, "/v1/xml", text: message("IF_SKI_10101_R01", body: inquiryBody(mover)),
                contentType: "application/xml")
            #expect(after.element("MSGResult") == "0000", "the network still answers after every hostile 電文: \(after.text)")
        }
    }

    @Test("a 電文 over the body limit is refused with BODY_TOO_LARGE")
    func oversized() async throws {
        try await withEdge { edge in
            let padding = "<!--" + String(repeating: "x", count: EdgeLimits.maximumBody) + "-->"
            let answer = try await edge.call(
                "tomakomai/kokuho", "atena-tomakomai", .POST, "/v1/xml", text: padding + "<Message/>", contentType: "application/xml")
            #expect(answer.status == 413, "\(answer.text.prefix(300))")
            #expect(answer.element("MSGResult") == "BODY_TOO_LARGE", "\(answer.text.prefix(300))")
        }
    }
}
