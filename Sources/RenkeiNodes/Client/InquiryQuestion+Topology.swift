public import RenkeiConfig
public import RenkeiCore

extension InquiryQuestion {
    /// The question of an inquiry from what a person or a file wrote — REST, XML 電文, a batch
    /// row, `renkei inquire`, a load mix — with names resolved to codes: a provider by id,
    /// name or 機関コード, what is asked by 特定個人情報名コード, information class or its
    /// abbreviation. The one place an inquiry's question is made.
    public init(
        item: String, provider: String, information: String, procedure: String? = nil, fiscalYear: String? = nil, nondisclosure: Bool = false,
        testMode: Bool = false, department: String? = nil, user: String? = nil, trace: String = "", topology: Topology
    ) throws(RenkeiError) {
        self.init()
        self.item = try ItemCitation(item).description
        self.provider = try topology.requireOrganization(provider, role: "provider").code.rawValue
        informationCode = try topology.informationCode(for: information).rawValue
        procedureCode = procedure ?? ""
        self.fiscalYear = fiscalYear ?? ""
        inquirerNondisclosure = nondisclosure
        self.testMode = testMode
        departmentCode = department ?? ""
        userID = user ?? ""
        traceID = trace
    }
}

extension InquiryQuestion {
    /// What the request journal keeps of a question.
    var journalSummary: [String: String] {
        var fields = ["item": item, "provider": provider, "information": informationCode]
        if !procedureCode.isEmpty { fields["procedure"] = procedureCode }
        if !fiscalYear.isEmpty { fields["fiscalYear"] = fiscalYear }
        if testMode { fields["testMode"] = "true" }
        return fields
    }
}
