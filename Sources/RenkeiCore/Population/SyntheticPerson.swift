/// A synthetic resident. Every field is generated; 個人番号 pass the check digit.
public struct SyntheticPerson: Sendable, Hashable {
    public enum Sex: String, Sendable, Hashable { case male, female }

    /// The person's medical insurer.
    public enum Insurance: String, Sendable, Hashable {
        /// 国民健康保険, run by the city of residence.
        case nationalHealthInsurance = "kokuho"
        /// 全国健康保険協会 (協会けんぽ), for employees.
        case kyokaiKenpo = "kyokai-kenpo"
        /// 後期高齢者医療, for those aged 75 and over.
        case lateElderly = "koki-korei"
    }

    public let serial: Int
    public let myNumber: MyNumber
    public let residentCode: ResidentCode
    public let familyName: String
    public let givenName: String
    public let familyNameKana: String
    public let givenNameKana: String
    public let sex: Sex
    public let birthDate: CivilDate
    /// The city of residence (its id in the topology).
    public let city: String
    public let address: String
    /// The city the person moved from during the previous fiscal year, if any.
    public let formerCity: String?
    public let insurance: Insurance
    /// Was insured by the city's 国保 before joining 協会けんぽ.
    public let formerlyNationalHealthInsurance: Bool
    public let receivesPension: Bool
    /// 合計所得金額 of the previous year, in yen.
    public let income: Int

    public var name: String { "\(familyName) \(givenName)" }
    public var nameKana: String { "\(familyNameKana) \(givenNameKana)" }

    public func age(on date: CivilDate) -> Int {
        var age = date.year - birthDate.year
        if (date.month, date.day) < (birthDate.month, birthDate.day) { age -= 1 }
        return age
    }
}
