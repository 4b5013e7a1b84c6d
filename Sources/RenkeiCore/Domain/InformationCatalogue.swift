/// The part of the データ標準レイアウト renkei knows: 特定個人情報名 (TM) codes with their
/// data sets and items, and 事務手続 (JT) codes per 別表第二 item.
///
/// Real codes are few (domain.md §7); the rest are stand-ins, marked `verified == false`
/// so that nobody mistakes them for the official layout.
public struct InformationCatalogue: Sendable {
    public struct ItemSpec: Sendable, Hashable {
        public let code: String
        public let name: String
        /// Whether every 副本 of the data set must carry the item (a blank one as `ReasonOfNull`).
        /// The real layout's rule is not public (domain.md §6.2 [C]); `required: false` in the
        /// catalogue relaxes it per item.
        public let required: Bool
        /// What a value must look like, and how many characters it may have (nil: only the
        /// 副本's own bound of 4,096 bytes).
        public let format: ItemFormat
        public let maxLength: Int?
        public init(code: String, name: String, required: Bool = true, format: ItemFormat = .text, maxLength: Int? = nil) {
            self.code = code
            self.name = name
            self.required = required
            self.format = format
            self.maxLength = maxLength
        }
    }

    public struct DataSetSpec: Sendable, Hashable {
        public let id: String
        public let name: String
        public let items: [ItemSpec]
        public init(id: String, name: String, items: [ItemSpec]) {
            self.id = id
            self.name = name
            self.items = items
        }
    }

    /// One 特定個人情報名.
    public struct InformationSpec: Sendable, Hashable {
        public let code: InformationCode
        public let name: String
        /// The 別表第二 information class it belongs to (地方税関係情報 …).
        public let informationClass: String
        /// True when the code is evidenced in public sources; false for a stand-in.
        public let verified: Bool
        public let dataSets: [DataSetSpec]

        public init(code: InformationCode, name: String, informationClass: String, verified: Bool, dataSets: [DataSetSpec]) {
            self.code = code
            self.name = name
            self.informationClass = informationClass
            self.verified = verified
            self.dataSets = dataSets
        }

        public func itemName(_ code: String) -> String? {
            for dataSet in dataSets { if let item = dataSet.items.first(where: { $0.code == code }) { return item.name } }
            return nil
        }
    }

    /// One 事務手続 and the 別表第二 item it is carried out under.
    public struct ProcedureSpec: Sendable, Hashable {
        public let code: ProcedureCode
        public let name: String
        public let item: ItemNumber
        public let verified: Bool
        public init(code: ProcedureCode, name: String, item: ItemNumber, verified: Bool) {
            self.code = code
            self.name = name
            self.item = item
            self.verified = verified
        }
    }

    public let layoutVersion: String
    public let information: [InformationSpec]
    public let procedures: [ProcedureSpec]
    public let statusCodes: StatusCodeTable
    private let byCode: [InformationCode: InformationSpec]
    private let proceduresByCode: [ProcedureCode: ProcedureSpec]

    public init(
        layoutVersion: String, information: [InformationSpec], procedures: [ProcedureSpec], statusCodes: StatusCodeTable = .standIn
    ) throws(RenkeiError) {
        self.layoutVersion = layoutVersion
        self.information = information
        self.procedures = procedures
        self.statusCodes = statusCodes
        var byCode = [InformationCode: InformationSpec]()
        for spec in information {
            guard byCode.updateValue(spec, forKey: spec.code) == nil else {
                throw RenkeiError(.invalidRequest, "the layout catalogue lists \(spec.code) twice")
            }
        }
        var proceduresByCode = [ProcedureCode: ProcedureSpec]()
        for spec in procedures {
            guard proceduresByCode.updateValue(spec, forKey: spec.code) == nil else {
                throw RenkeiError(.invalidRequest, "the layout catalogue lists \(spec.code) twice")
            }
        }
        self.byCode = byCode
        self.proceduresByCode = proceduresByCode
    }

    public func spec(_ code: InformationCode) -> InformationSpec? { byCode[code] }

    public func procedure(_ code: ProcedureCode) -> ProcedureSpec? { proceduresByCode[code] }

    /// The 事務手続 used when a request names none: the first listed for the item, or the
    /// item's stand-in code.
    public func defaultProcedure(for item: ItemNumber) -> ProcedureCode {
        procedures.first { $0.item == item }?.code ?? Self.standInProcedure(for: item)
    }

    /// Stand-in JT code for an item: JT9 + item (3) + branch (1) + 000000001.
    public static func standInProcedure(for item: ItemNumber) -> ProcedureCode {
        ProcedureCode(trusted: standInCode("JT9", item, "000000001"))
    }

    /// Stand-in JM code for an item: JM9 + item (3) + branch (1) + 000000000.
    public static func standInAffair(for item: ItemNumber) -> AffairCode {
        AffairCode(trusted: standInCode("JM9", item, "000000000"))
    }

    /// prefix + item (3 digits) + branch (1) + tail: the shape of every stand-in code.
    static func standInCode(_ prefix: String, _ item: ItemNumber, _ tail: String) -> String {
        let number = String(item.number)
        return prefix + String(repeating: "0", count: max(0, 3 - number.count)) + number + String(min(item.branch, 9)) + tail
    }

    /// The 別表第二 item a 事務手続 is carried out under: from the catalogue, or read from a
    /// stand-in code.
    public func item(for procedure: ProcedureCode) -> ItemNumber? {
        if let spec = proceduresByCode[procedure] { return spec.item }
        let text = procedure.rawValue
        guard text.hasPrefix("JT9"), text.hasSuffix("000000001"), let number = Int(text.dropFirst(3).prefix(3)),
            let branch = Int(text.dropFirst(6).prefix(1)),
            let item = try? ItemNumber(branch == 0 ? String(number) : "\(number)-\(branch)"), Self.standInProcedure(for: item) == procedure
        else { return nil }
        return item
    }

    /// Checks that `procedure` belongs to `item`. Stand-in codes are derived, so they are
    /// accepted when they are the item's own.
    public func validate(procedure: ProcedureCode, for item: ItemNumber) throws(RenkeiError) {
        if let spec = proceduresByCode[procedure] {
            guard spec.item == item else {
                throw RenkeiError(
                    .procedureMismatch, "事務手続 \(procedure) (\(spec.name)) is carried out under 別表第二 \(spec.item.japanese), not \(item.japanese)")
            }
            return
        }
        guard procedure == Self.standInProcedure(for: item) else {
            throw RenkeiError(
                .procedureMismatch,
                "事務手続 \(procedure) is not in the layout catalogue for 別表第二 \(item.japanese); use \(defaultProcedure(for: item)) or omit it")
        }
    }
}
