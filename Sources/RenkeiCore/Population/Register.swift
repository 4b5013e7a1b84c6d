/// On what basis an organisation knows people, and so whom it registers and acquires 符号
/// for.
public enum RegisterBasis: Sendable, Hashable {
    /// A city: its residents and those who moved away during the year (住登外者).
    case municipality(city: String)
    /// A medical insurer: the people it insures.
    case insurer(SyntheticPerson.Insurance)
    /// A pension provider: the people who draw a pension.
    case pension
}

/// One person as an organisation knows them.
public struct RegisterEntry: Sendable, Hashable {
    public let person: Int
    /// 宛名番号 (for insurers and pension bodies, their own person number).
    public let addressNumber: AddressNumber
    public let integratedAddressNumber: IntegratedAddressNumber
    /// For a city: lives there now (住登者) rather than having moved away.
    public let isResident: Bool
    /// False for the people whose 符号 acquisition is still pending (符号未取得).
    public let linkCodeAcquired: Bool
}
