import Foundation
import NIOHTTP1
import RenkeiEdge
import RenkeiTestSupport
import Testing

/// A 電文 as a business system writes it.
func message(_ type: String, mode: String = "0", body: String) -> String {
    """
    <?xml version="1.0" encoding="UTF-8"?>
    <Message>
      <MessageHeader>
        <MSGID>M1</MSGID><MSGTypeID>\(type)</MSGTypeID><MSGMode>\(mode)</MSGMode>
        <SourceSystemID>K000000001</SourceSystemID><DestinationSystemID>T000000001</DestinationSystemID>
        <ReceptionNumber/><MSGResult/>
      </MessageHeader>
      <MessageBody>\(body)</MessageBody>
    </Message>
    """
}

func registration(_ entries: [(id: String, person: String, recordKey: String, data: String)], segment: String = "1") -> String {
    let items = entries.map { entry in
        """
        <InformationOfSPIRegistrationDelete>
          <SystemShikibetsuCode/><ShikibetsuCode/><KojinNo/>
          <RecordIdentificationNumber>\(entry.id)</RecordIdentificationNumber>
          <IntegratedAddressNumber>\(entry.person)</IntegratedAddressNumber>
          <SpecificPersonalInformationCode>TM00000000000002</SpecificPersonalInformationCode>
          <DataSetIdentificationItemCode>0001</DataSetIdentificationItemCode>
          <DataSetRecordKey>\(entry.recordKey)</DataSetRecordKey>
          <SPIMajorVersion>1</SPIMajorVersion>
          <PublicationDate>2018-06-01</PublicationDate><PublishedEndDate/>
          <DuplicateCopyData><![CDATA[\(entry.data)]]></DuplicateCopyData>
        </InformationOfSPIRegistrationDelete>
        """
    }.joined()
    return """
        <RequestSourceUnitCode>3595115400</RequestSourceUnitCode><RequestSourceUserID>user01</RequestSourceUserID>
        <SPIRegistrationDeleteList><SegmentOfRegistrationDelete>\(segment)</SegmentOfRegistrationDelete>\(items)</SPIRegistrationDeleteList>
        """
}

func inquiryBody(
    _ addressNumber: String, item: String = "42", provider: String = "sapporo", information: String = "TM00000000000002", year: String = "",
    user: String = "user01"
) -> String {
    """
    <RequestSourceUserID>\(user)</RequestSourceUserID><InquiryRequest><AddressNumber>\(addressNumber)</AddressNumber><LegalItemNumber>\(item)</LegalItemNumber>
    <SpecificPersonalInformationCode>\(information)</SpecificPersonalInformationCode><ProviderCode>\(provider)</ProviderCode>
    <FiscalYear>\(year)</FiscalYear></InquiryRequest>
    """
}

extension HTTPSClient.Response {
    /// The text of the first element with this name.
    func element(_ name: String) -> String? {
        guard let start = text.range(of: "<\(name)>"), let end = text.range(of: "</\(name)>", range: start.upperBound..<text.endIndex) else {
            return nil
        }
        return String(text[start.upperBound..<end.lowerBound])
    }
}

@Suite("XML 電文 over HTTPS", .queuedTimeLimit)
struct XMLTests {
    func post(
        _ edge: EdgeHarness, _ text: String, as system: String = "tomakomai/kokuho", to node: String = "atena-tomakomai"
    ) async throws -> HTTPSClient.Response {
        try await edge.call(system, node, .POST, "/v1/xml", text: text, contentType: "application/xml")
    }

    @Test("IF_DBM_20113_R01 registers 副本 with ReasonOfNull; an IF_SKI inquiry returns them")
    func registerThenInquire() async throws {
        try await withEdge { edge in
            let mover = try #require(edge.movers().first)
            let serial = try #require(edge.people(of: "tomakomai") { entry, _ in entry.addressNumber.short == mover }.first?.1.serial)
            let sapporo = try #require(edge.people(of: "sapporo") { _, person in person.serial == serial }.first?.0)
            let data =
                #"<TM00000000000002 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><K0001>2018</K0001><K0002>2017</K0002><K0003 xsi:nil="true"><ReasonOfNull>NotAcceptable</ReasonOfNull></K0003><K0004 ReasonOfNull="NotConvered" xsi:nil="true"/><K0005>3500</K0005><K0006>0</K0006><K0007>1500</K0007><K0008>0</K0008><K0009>1</K0009></TM00000000000002>"#
            let registered = try await post(
                edge, message("IF_DBM_20113_R01", body: registration([("1", sapporo.integratedAddressNumber.rawValue, "2018", data)])),
                as: "sapporo/zei", to: "atena-sapporo")
            #expect(registered.status == 200, "\(registered.text)")
            #expect(registered.element("MSGTypeID") == "IF_DBM_20113_A01")
            #expect(registered.element("MSGResult") == "0000")
            #expect(registered.element("Registered") == "1")

            let answer = try await post(edge, message("IF_SKI_10101_R01", body: inquiryBody(mover, year: "2018")))
            #expect(answer.status == 200, "\(answer.text)")
            #expect(answer.element("MSGResult") == "0000")
            #expect(answer.element("DetailStatus") == "09")
            #expect(answer.element("SPIStatus") == "01")
            #expect(answer.element("K0001") == "2018")
            #expect(answer.text.contains(#"<K0004 ReasonOfNull="NotConvered" xsi:nil="true"/>"#))
            // The element form of ReasonOfNull is read, and answered in the attribute form.
            #expect(answer.text.contains(#"<K0003 ReasonOfNull="NotAcceptable" xsi:nil="true"/>"#))
            let reception = try #require(answer.element("ReceptionNumber"))
            let polled = try await post(edge, message("IF_SKI_10102_R01", body: "<ReceptionNumber>\(reception)</ReceptionNumber>"))
            #expect(polled.element("MSGTypeID") == "IF_SKI_10102_A01")
            #expect(polled.element("Outcome") == "provided")
        }
    }

    @Test("a 副本 that leaves out items, names an unknown item, or is blank without a ReasonOfNull is refused with the item named")
    func layoutChecked() async throws {
        try await withEdge { edge in
            let sapporo = try #require(edge.people(of: "sapporo") { _, _ in true }.first?.0)
            let header = #"<TM00000000000002 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#
            let full =
                "<K0002>2017</K0002><K0003>1</K0003><K0004>0</K0004><K0005>0</K0005><K0006>0</K0006><K0007>0</K0007><K0008>0</K0008><K0009>0</K0009>"
            let cases: [(String, String)] = [
                (header + "<K0001>2018</K0001><K0002>2017</K0002><K0003>1</K0003></TM00000000000002>", "missing K0004 (合計所得金額)"),
                (
                    header + "<K0001>2018</K0001>" + full + "<K0099>1</K0099></TM00000000000002>",
                    "item K0099 is not in the layout of TM00000000000002"
                ),
                (header + #"<K0001 xsi:nil="true"/>"# + full + "</TM00000000000002>", "item K0001 is blank (xsi:nil) but gives no ReasonOfNull"),
            ]
            for (data, named) in cases {
                let refused = try await post(
                    edge, message("IF_DBM_20113_R01", body: registration([("1", sapporo.integratedAddressNumber.rawValue, "2018", data)])),
                    as: "sapporo/zei", to: "atena-sapporo")
                #expect(refused.status == 400, "\(refused.text)")
                #expect(refused.element("MSGResult") == "INVALID_REQUEST")
                #expect(refused.text.contains(named), "\(refused.text)")
            }
        }
    }

    @Test("MSGMode 1 runs the whole path and marks the records as test; a test registration is checked, not applied")
    func testMode() async throws {
        try await withEdge { edge in
            let mover = try #require(edge.movers().first)
            let answer = try await post(edge, message("IF_SKI_10101_R01", mode: "1", body: inquiryBody(mover)))
            #expect(answer.element("MSGMode") == "1")
            #expect(answer.element("TestMode") == "1")
            #expect(answer.element("Outcome") == "provided")
            let test = try await edge.call("admin", "admin", .GET, "/admin/verify?provider=sapporo&item=42&test=true")
            let real = try await edge.call("admin", "admin", .GET, "/admin/verify?provider=sapporo&item=42")
            #expect(test.json["count"] as? Int == 1)
            #expect(real.json["count"] as? Int == 0, "test records are never mixed with real ones")

            let checked = try await post(
                edge, message("IF_DBM_20113_R01", mode: "1", body: registration([("1", "000000100000001", "2017", "<R><K0001>2017</K0001></R>")])),
                as: "sapporo/zei", to: "atena-sapporo")
            #expect(checked.element("Checked") == "1")
            #expect(checked.element("Registered") == "0")
        }
    }

    @Test("negative cases: malformed 電文 are refused with MSGResult and the right status")
    func refusals() async throws {
        try await withEdge { edge in
            let mover = try #require(edge.movers().first)
            func expectXML(_ response: HTTPSClient.Response, _ status: Int, _ code: String, sourceLocation: SourceLocation = #_sourceLocation) {
                #expect(response.status == status, "\(response.text)", sourceLocation: sourceLocation)
                #expect(response.element("MSGResult") == code, "\(response.text)", sourceLocation: sourceLocation)
            }
            expectXML(try await post(edge, "<Message><MessageHeader>"), 400, "MALFORMED_MESSAGE")
            expectXML(try await post(edge, #"<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY lol "lol">]><Message/>"#), 400, "MALFORMED_MESSAGE")
            expectXML(try await post(edge, message("IF_XYZ_99999_R01", body: "")), 400, "MALFORMED_MESSAGE")
            expectXML(try await post(edge, message("IF_SKI_10101_R01", mode: "7", body: inquiryBody(mover))), 400, "MALFORMED_MESSAGE")
            expectXML(try await post(edge, "<Message><MessageBody/></Message>"), 400, "MALFORMED_MESSAGE")
            expectXML(
                try await post(edge, message("IF_SKI_10101_R01", body: String(repeating: "<a>", count: 40) + String(repeating: "</a>", count: 40))),
                400, "MALFORMED_MESSAGE")
            expectXML(
                try await post(edge, message("IF_SKI_10101_R01", body: inquiryBody(mover, provider: "nenkin", information: "TM90000000000004"))), 403,
                "RULE_NOT_PERMITTED")
            expectXML(
                try await post(edge, message("IF_SKI_10101_R01", body: "<InquiryRequest><LegalItemNumber>42</LegalItemNumber></InquiryRequest>")),
                400, "MALFORMED_MESSAGE")
            expectXML(
                try await post(edge, message("IF_SKI_10102_R01", body: "<ReceptionNumber>R404</ReceptionNumber>")), 404, "UNKNOWN_RECEPTION_NUMBER")

            let missingID = registration([("1", "000000100000001", "2017", "<R/>")]).replacingOccurrences(
                of: "<RecordIdentificationNumber>1</RecordIdentificationNumber>", with: "")
            expectXML(
                try await post(edge, message("IF_DBM_20113_R01", body: missingID), as: "sapporo/zei", to: "atena-sapporo"), 400, "MALFORMED_MESSAGE")
            let twice = try await post(
                edge,
                message(
                    "IF_DBM_20113_R01",
                    body: registration([
                        ("7", "000000100000001", "2017", "<R/>"), ("7", "000000100000002", "2017", "<R/>"),
                    ])), as: "sapporo/zei", to: "atena-sapporo")
            expectXML(twice, 400, "DUPLICATE_RECORD")
            #expect(twice.element("ResultMessage")?.contains("「レコード識別番号」が既に存在しています。") == true)
            let badSegment = registration([("1", "000000100000001", "2017", "<R/>")], segment: "9")
            expectXML(
                try await post(edge, message("IF_DBM_20113_R01", body: badSegment), as: "sapporo/zei", to: "atena-sapporo"), 400, "MALFORMED_MESSAGE")
            let unknownPerson = registration([("1", "000000999999999", "2017", "<R/>")])
            expectXML(
                try await post(edge, message("IF_DBM_20113_R01", body: unknownPerson), as: "sapporo/zei", to: "atena-sapporo"), 404, "UNKNOWN_PERSON")
        }
    }
}
