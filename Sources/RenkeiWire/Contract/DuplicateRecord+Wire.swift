public import RenkeiCore

extension Renkei_V1_DuplicateRecord {
    public init(_ record: DuplicateRecord) {
        self.init()
        informationCode = record.informationCode.rawValue
        dataSet = record.dataSet
        recordKey = record.recordKey
        version = UInt32(clamping: record.version)
        publicationDate = record.publicationDate?.description ?? ""
        endDate = record.endDate?.description ?? ""
        items = record.items.map { item in
            var wire = Renkei_V1_DuplicateItem()
            wire.code = item.code
            if let value = item.value {
                wire.value = value
            } else {
                wire.null = true
                wire.reasonOfNull = item.reasonOfNull ?? ""
            }
            return wire
        }
    }
}

extension DuplicateRecord {
    /// Validates a 副本 from the wire.
    public init(_ wire: Renkei_V1_DuplicateRecord) throws(RenkeiError) {
        let code: InformationCode
        do { code = try InformationCode(wire.informationCode) } catch { throw RenkeiError(error) }
        guard wire.items.count <= Self.maximumItems else {
            throw RenkeiError(.invalidRequest, "a 副本 may carry at most \(Self.maximumItems) items; this one has \(wire.items.count)")
        }
        let items = wire.items.map { item in
            DuplicateRecord.Item(
                code: item.code, value: item.null ? nil : item.value, reasonOfNull: item.null && !item.reasonOfNull.isEmpty ? item.reasonOfNull : nil)
        }
        self.init(
            informationCode: code, dataSet: wire.dataSet, recordKey: wire.recordKey, version: Int(wire.version),
            publicationDate: try CivilDate.field(wire.publicationDate, "公開開始日"), endDate: try CivilDate.field(wire.endDate, "公開終了日"), items: items
        )
        try validate()
    }
}
