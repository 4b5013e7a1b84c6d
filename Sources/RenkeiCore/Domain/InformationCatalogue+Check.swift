/// One thing wrong with a 副本 against its layout: the item it concerns (nil for the record as
/// a whole, e.g. an unknown data set) and a sentence that names it.
public struct LayoutProblem: Sendable, Hashable {
    public let item: String?
    public let message: String

    public init(item: String?, _ message: String) {
        self.item = item
        self.message = message
    }
}

extension InformationCatalogue.InformationSpec {
    /// Everything that keeps a 副本 from fitting its layout, item by item: an unknown data set,
    /// an item the data set does not have or given twice, a value of the wrong format or too
    /// long, a required item left out (a blank item is given with its `ReasonOfNull`, not
    /// dropped). Empty when it fits. The console shows these beside each field.
    public func problems(_ record: DuplicateRecord) -> [LayoutProblem] {
        guard let dataSet = dataSets.first(where: { $0.id == record.dataSet }) else {
            return [
                LayoutProblem(
                    item: nil,
                    "\(code) has no data set \(record.dataSet.excerpt(16)); its data sets are \(dataSets.map(\.id).joined(separator: ", "))")
            ]
        }
        var problems = [LayoutProblem]()
        var seen = Set<String>()
        for item in record.items {
            guard let spec = dataSet.items.first(where: { $0.code == item.code }) else {
                problems.append(
                    LayoutProblem(
                        item: item.code,
                        "item \(item.code.excerpt(32)) is not in the layout of \(code) data set \(dataSet.id) (\(dataSet.name)); its items are \(dataSet.items.map(\.code).joined(separator: ", "))"
                    ))
                continue
            }
            guard seen.insert(item.code).inserted else {
                problems.append(LayoutProblem(item: item.code, "item \(item.code) is given twice"))
                continue
            }
            guard let value = item.value else { continue }
            if let problem = spec.format.problem(with: value) {
                problems.append(LayoutProblem(item: item.code, "item \(item.code) (\(spec.name)) \(problem)"))
            } else if let limit = spec.maxLength, value.count > limit {
                problems.append(
                    LayoutProblem(item: item.code, "item \(item.code) (\(spec.name)) is \(value.count) characters long; at most \(limit)"))
            }
        }
        for missing in dataSet.items where missing.required && !seen.contains(missing.code) {
            problems.append(
                LayoutProblem(
                    item: missing.code,
                    "missing \(missing.code) (\(missing.name)): \(code) data set \(dataSet.id) needs every item of its layout; a blank item is sent with its ReasonOfNull, not left out"
                ))
        }
        return problems
    }

    /// Refuses a 副本 that does not fit its layout, naming every problem. `at` names the entry
    /// in the sentence.
    public func check(_ record: DuplicateRecord, at: String) throws(RenkeiError) {
        let problems = problems(record)
        guard problems.isEmpty else {
            throw RenkeiError(.invalidRequest, "\(at): " + problems.map(\.message).joined(separator: "; "))
        }
    }
}
