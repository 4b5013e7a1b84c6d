/// The qualified names of the store's tables in its schema (checked to be a plain name, so
/// they can be written into SQL).
struct PostgresTables: Sendable {
    let schema: String
    var processingNumbers: String { "\(schema).processing_numbers" }
    var manualExchanges: String { "\(schema).manual_exchanges" }
    var records: String { "\(schema).records" }
    var audit: String { "\(schema).audit" }
    var checkpoints: String { "\(schema).audit_checkpoints" }
    var stamps: String { "\(schema).audit_stamps" }
    var head: String { "\(schema).audit_head" }
}
