import Foundation

/// The 副本 of a result travel as the bytes of a RecordSet (see the .proto): these read and
/// write them as records. Reading decodes; nodes that only pass results on never do.
extension Renkei_V1_ProvisionResult {
    public var records: [Renkei_V1_DuplicateRecord] {
        get { RecordSetCoding.decode(recordSet) }
        set { recordSet = RecordSetCoding.encode(newValue) }
    }
}

extension Renkei_V1_InquiryResult {
    public var records: [Renkei_V1_DuplicateRecord] {
        get { RecordSetCoding.decode(recordSet) }
        set { recordSet = RecordSetCoding.encode(newValue) }
    }
}

enum RecordSetCoding {
    static func decode(_ bytes: Data) -> [Renkei_V1_DuplicateRecord] {
        guard !bytes.isEmpty else { return [] }
        // Bytes that do not decode read as no records; they were made by a provider of this
        // network, so that cannot happen short of a bug, and the outcome still says what happened.
        return (try? Renkei_V1_RecordSet(serializedBytes: bytes))?.records ?? []
    }

    static func encode(_ records: [Renkei_V1_DuplicateRecord]) -> Data {
        guard !records.isEmpty else { return Data() }
        var set = Renkei_V1_RecordSet()
        set.records = records
        return (try? set.serializedData()) ?? Data()
    }
}
