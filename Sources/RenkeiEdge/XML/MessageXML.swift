import Foundation
import RenkeiCore

/// The MessageHeader of a 中間サーバー 電文 (domain.md §6.2), element order fixed.
struct MessageHeader {
    /// 電文メッセージID
    var messageID = ""
    /// 電文種別ID, e.g. IF_DBM_20113_R01.
    var typeID = ""
    /// 電文実行モード: 0 本番, 1 テスト.
    var mode = "0"
    var sourceSystemID = ""
    var destinationSystemID = ""
    /// 中間サーバー受付番号, set in answers.
    var receptionNumber = ""
    /// 電文結果コード, set in answers: 0000 for success, otherwise the error code.
    var result = ""

    var isTest: Bool { mode == "1" }

    /// The header's elements, in their fixed order.
    static let elements = ["MSGID", "MSGTypeID", "MSGMode", "SourceSystemID", "DestinationSystemID", "ReceptionNumber", "MSGResult"]

    init() {}

    init(_ tree: XMLTree) throws(RenkeiError) {
        guard let header = tree.child("MessageHeader") else {
            throw RenkeiError(.malformedMessage, "the 電文 has no MessageHeader")
        }
        messageID = header.value("MSGID") ?? ""
        guard messageID.count <= 64 else { throw RenkeiError(.malformedMessage, "MessageHeader.MSGID is at most 64 characters") }
        guard let type = header.value("MSGTypeID") else { throw RenkeiError(.malformedMessage, "MessageHeader.MSGTypeID is missing") }
        guard type.count <= 32 else { throw RenkeiError(.malformedMessage, "MessageHeader.MSGTypeID \"\(type.excerpt(32))\" is not a 電文種別ID") }
        typeID = type
        mode = header.value("MSGMode") ?? ""
        guard mode == "0" || mode == "1" else {
            throw RenkeiError(.malformedMessage, "MessageHeader.MSGMode must be 0 (本番) or 1 (テスト), not \"\(mode.excerpt(8))\"")
        }
        guard let source = header.value("SourceSystemID"), source.count <= 20, let destination = header.value("DestinationSystemID"),
            destination.count <= 20
        else {
            throw RenkeiError(.malformedMessage, "MessageHeader needs SourceSystemID and DestinationSystemID (at most 20 characters)")
        }
        sourceSystemID = source
        destinationSystemID = destination
        receptionNumber = header.value("ReceptionNumber") ?? ""
        guard receptionNumber.count <= 64 else { throw RenkeiError(.malformedMessage, "MessageHeader.ReceptionNumber is at most 64 characters") }
    }

    /// The header of the answer to this message.
    func answer(type: String, receptionNumber: String, result: String) -> MessageHeader {
        var header = MessageHeader()
        header.messageID = messageID
        header.typeID = type
        header.mode = mode
        header.sourceSystemID = destinationSystemID
        header.destinationSystemID = sourceSystemID
        header.receptionNumber = receptionNumber
        header.result = result
        return header
    }

    func write(to writer: inout XMLWriter) {
        writer.open("MessageHeader")
        writer.element("MSGID", messageID)
        writer.element("MSGTypeID", typeID)
        writer.element("MSGMode", mode)
        writer.element("SourceSystemID", sourceSystemID)
        writer.element("DestinationSystemID", destinationSystemID)
        writer.element("ReceptionNumber", receptionNumber)
        writer.element("MSGResult", result)
        writer.close("MessageHeader")
    }
}

/// The message types this edge understands. DBM 20113 is the observed 副本 registration;
/// the SKI numbers are renkei's stand-ins in the same naming pattern.
enum MessageType {
    static let duplicateRegistration = "IF_DBM_20113_R01"
    static let inquiry = "IF_SKI_10101_R01"
    static let result = "IF_SKI_10102_R01"

    /// The answer type: R01 → A01.
    static func answer(to type: String) -> String {
        type.hasSuffix("_R01") && [duplicateRegistration, inquiry, result].contains(type) ? String(type.dropLast(4)) + "_A01" : "IF_ERR_00000_A01"
    }
}

/// 副本データ: the embedded XML of a 副本, one element per item. A blank item carries its
/// 未設定事由 in either form the layouts use: the attribute `<K0003 ReasonOfNull="…" xsi:nil="true"/>`
/// or the element `<K0003 xsi:nil="true"><ReasonOfNull>…</ReasonOfNull></K0003>`. A blank item
/// without a reason, or an item with any other child element, is refused with the item named.
enum DuplicateCopyData {
    static func parse(_ text: String, entry: Int) throws(RenkeiError) -> [DuplicateRecord.Item] {
        let at = "InformationOfSPIRegistrationDelete[\(entry)].DuplicateCopyData"
        let root = try XMLTreeParser.parse(text.utf8, what: at)
        return try root.children.map { node throws(RenkeiError) in try item(node, at: at) }
    }

    private static func item(_ node: XMLTree, at: String) throws(RenkeiError) -> DuplicateRecord.Item {
        let reasonElement = node.children.first { $0.name == "ReasonOfNull" }
        if let other = node.children.first(where: { $0.name != "ReasonOfNull" }) {
            throw RenkeiError(
                .invalidRequest, "\(at): item \(node.name) has a child element <\(other.name)>; an item is one value, or blank with its ReasonOfNull")
        }
        guard node.isNil || reasonElement != nil else {
            return DuplicateRecord.Item(code: node.name, value: node.text.trimmingXMLWhitespace)
        }
        let reason = (node.attributes["ReasonOfNull"] ?? reasonElement?.text)?.trimmingXMLWhitespace ?? ""
        guard !reason.isEmpty else {
            throw RenkeiError(
                .invalidRequest,
                "\(at): item \(node.name) is blank (xsi:nil) but gives no ReasonOfNull; write ReasonOfNull=\"NotAcceptable\" (or another 未設定事由) as an attribute or a <ReasonOfNull> element"
            )
        }
        return DuplicateRecord.Item(code: node.name, value: nil, reasonOfNull: reason)
    }

    static func write(_ record: DuplicateRecord, to writer: inout XMLWriter) {
        writer.open(
            "Record",
            [
                ("SpecificPersonalInformationCode", record.informationCode.rawValue), ("DataSetIdentificationItemCode", record.dataSet),
                ("DataSetRecordKey", record.recordKey), ("SPIMajorVersion", String(record.version)),
            ])
        for item in record.items {
            if let value = item.value {
                writer.element(item.code, value)
            } else {
                writer.element(item.code, nil, [("ReasonOfNull", item.reasonOfNull ?? "NotAcceptable"), ("xsi:nil", "true")])
            }
        }
        writer.close("Record")
    }
}
