extension InformationCatalogue.InformationSpec {
    /// Refuses a 副本 that does not fit its layout: an unknown data set, an item the data set
    /// does not have, an item given twice, or a required item left out (a blank item is given
    /// with its `ReasonOfNull`, not dropped). `at` names the entry in the sentence.
    public func check(_ record: DuplicateRecord, at: String) throws(RenkeiError) {
        guard let dataSet = dataSets.first(where: { $0.id == record.dataSet }) else {
            throw RenkeiError(
                .invalidRequest,
                "\(at): \(code) has no data set \(record.dataSet.excerpt(16)); its data sets are \(dataSets.map(\.id).joined(separator: ", "))")
        }
        var seen = Set<String>()
        for item in record.items {
            guard dataSet.items.contains(where: { $0.code == item.code }) else {
                throw RenkeiError(
                    .invalidRequest,
                    "\(at): item \(item.code.excerpt(32)) is not in the layout of \(code) data set \(dataSet.id) (\(dataSet.name)); its items are \(dataSet.items.map(\.code).joined(separator: ", "))"
                )
            }
            guard seen.insert(item.code).inserted else {
                throw RenkeiError(.invalidRequest, "\(at): item \(item.code) is given twice")
            }
        }
        let missing = dataSet.items.filter { $0.required && !seen.contains($0.code) }
        guard missing.isEmpty else {
            let names = missing.map { "\($0.code) (\($0.name))" }.joined(separator: ", ")
            throw RenkeiError(
                .invalidRequest,
                "\(at): \(code) data set \(dataSet.id) needs every item of its layout; missing \(names). A blank item is sent with its ReasonOfNull, not left out"
            )
        }
    }
}
