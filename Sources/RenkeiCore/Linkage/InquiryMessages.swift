/// The person an inquiry or a 符号取得 is about, as the business system names them.
public enum PersonReference: Sendable, Hashable {
    /// 宛名番号 of the business system's municipality.
    case addressNumber(String)
    /// 個人番号: resolved by the AddressSystem and never forwarded.
    case myNumber(String)
}

/// business system → AddressSystem ("atena.inquire").
public struct AddresseeInquiryRequest: Sendable, Hashable {
    public var person: PersonReference?
    public var question = InquiryQuestion()
    /// Return at once with the 受付番号; the result is fetched later.
    public var asynchronous = false

    public init() {}
}

/// business system → AddressSystem ("atena.result"): poll an inquiry.
public struct AddresseeResultRequest: Sendable, Hashable {
    public var receptionNumber = ""

    public init() {}
}

/// AddressSystem or business system → inquirer tenant ("ms.inquire").
public struct TenantInquiryRequest: Sendable, Hashable {
    public enum Person: Sendable, Hashable {
        /// From the AddressSystem.
        case integratedAddressNumber(String)
        /// From a business system of a 機関 without an AddressSystem.
        case addressNumber(String)
    }

    /// The inquirer tenant's 機関コード.
    public var tenant = ""
    public var person: Person?
    public var question = InquiryQuestion()
    /// The business system on whose behalf an AddressSystem asks (its certificate name).
    public var businessSystem = ""
    public var asynchronous = false

    public init() {}
}

/// → inquirer tenant ("ms.result"): the state of an inquiry by its 受付番号.
public struct ResultRequest: Sendable, Hashable {
    public var tenant = ""
    public var receptionNumber = ""
    /// The business system asking (set by an AddressSystem on its behalf).
    public var businessSystem = ""

    public init() {}
}

/// inquirer 中間サーバー → network system ("nws.inquire").
public struct NetworkInquiryRequest: Sendable, Hashable {
    public var receptionNumber = ""
    public var inquirer = ""
    public var inquirerLinkCode = ""
    public var question = InquiryQuestion()
    public var requestedAtMicros: Int64 = 0

    public init() {}
}

/// network system → provider 中間サーバー ("ms.provide"), with the permit.
public struct ProvisionRequest: Sendable, Hashable {
    public var receptionNumber = ""
    public var inquirer = ""
    public var provider = ""
    public var providerLinkCode = ""
    public var question = InquiryQuestion()
    public var permit = SealedPermit()
    public var requestedAtMicros: Int64 = 0

    public init() {}
}
