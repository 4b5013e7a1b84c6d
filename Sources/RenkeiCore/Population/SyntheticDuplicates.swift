/// The 副本 an organisation holds for the people in its register, generated from the
/// population and the layout catalogue.
///
/// Who holds what follows the seed scenario: a city holds 地方税関係情報 for the years the
/// person was assessed there (a mover's previous city keeps it), 住民票関係情報 for its
/// residents, 医療保険給付関係情報 for its 国保 insured (and those who left 国保 for
/// 協会けんぽ), and 介護保険給付等関係情報 for residents aged 65 and over; an insurer holds
/// 医療保険給付関係情報 for its insured; a pension body 年金給付関係情報 for pensioners.
extension Population {
    public func duplicates(for person: SyntheticPerson, basis: RegisterBasis, catalogue: InformationCatalogue) -> [DuplicateRecord] {
        SyntheticDuplicates.records(for: person, basis: basis, catalogue: catalogue, referenceDate: plan.referenceDate) { id in
            plan.cities.first { $0.id == id }?.name ?? id
        }
    }
}

enum SyntheticDuplicates {
    static func records(
        for person: SyntheticPerson,
        basis: RegisterBasis,
        catalogue: InformationCatalogue,
        referenceDate: CivilDate,
        cityName: (String) -> String
    ) -> [DuplicateRecord] {
        var result = [DuplicateRecord]()
        let fiscalYear = referenceDate.fiscalYear
        for spec in catalogue.information {
            switch (basis, spec.informationClass) {
            case let (.municipality(city), "地方税関係情報") where (person.formerCity ?? person.city) == city:
                for year in [fiscalYear - 1, fiscalYear] {
                    result += make(spec, person, key: String(year), published: fiscalStart(year), context: .taxYear(year))
                }
            case let (.municipality(city), "住民票関係情報") where person.city == city:
                result += make(spec, person, key: "current", published: nil, context: .none)
            case let (.municipality(city), "医療保険給付関係情報")
            where person.city == city && (person.insurance == .nationalHealthInsurance || person.formerlyNationalHealthInsurance):
                result += make(spec, person, key: "kokuho", published: nil, context: .insurer("\(cityName(city))国民健康保険"))
            case let (.municipality(city), "介護保険給付等関係情報") where person.city == city && person.age(on: referenceDate) >= 65:
                result += make(spec, person, key: String(fiscalYear), published: fiscalStart(fiscalYear), context: .none)
            case let (.insurer(insurance), "医療保険給付関係情報") where person.insurance == insurance:
                result += make(spec, person, key: insurance.rawValue, published: nil, context: .insurer(insurerName(insurance)))
            case (.pension, "年金給付関係情報") where person.receivesPension:
                result += make(spec, person, key: String(fiscalYear), published: fiscalStart(fiscalYear), context: .none)
            default:
                continue
            }
        }
        return result
    }

    enum Context {
        case none
        case taxYear(Int)
        case insurer(String)
    }

    private static func fiscalStart(_ year: Int) -> CivilDate? { try? CivilDate(year: year, month: 6, day: 1) }

    private static func insurerName(_ insurance: SyntheticPerson.Insurance) -> String {
        switch insurance {
        case .nationalHealthInsurance: "国民健康保険"
        case .kyokaiKenpo: "全国健康保険協会"
        case .lateElderly: "後期高齢者医療広域連合"
        }
    }

    private static func make(
        _ spec: InformationCatalogue.InformationSpec,
        _ person: SyntheticPerson,
        key: String,
        published: CivilDate?,
        context: Context
    ) -> [DuplicateRecord] {
        spec.dataSets.map { dataSet in
            DuplicateRecord(
                informationCode: spec.code,
                dataSet: dataSet.id,
                recordKey: key,
                version: 1,
                publicationDate: published,
                endDate: nil,
                items: dataSet.items.map { item in
                    let value = SyntheticValues.value(for: item.name, person: person, context: context)
                    return DuplicateRecord.Item(code: item.code, value: value, reasonOfNull: value == nil ? "NotConvered" : nil)
                }
            )
        }
    }
}

/// Values for the items of the stand-in layouts, chosen by the item's name so that a
/// catalogue edited by a user still gets sensible data where names match.
enum SyntheticValues {
    static func value(for itemName: String, person: SyntheticPerson, context: SyntheticDuplicates.Context) -> String? {
        let taxable = person.income > 1_000_000
        switch itemName {
        case "課税年度":
            if case let .taxYear(year) = context { return String(year) }
            return nil
        case "所得年":
            if case let .taxYear(year) = context { return String(year - 1) }
            return nil
        case "課税区分": return taxable ? "課税" : "非課税"
        case "合計所得金額": return String(person.income)
        case "市町村民税均等割額": return taxable ? "3500" : "0"
        case "道府県民税均等割額": return taxable ? "1500" : "0"
        case "市町村民税所得割額": return String(taxable ? (person.income - 430_000) * 6 / 100 / 100 * 100 : 0)
        case "道府県民税所得割額": return String(taxable ? (person.income - 430_000) * 4 / 100 / 100 * 100 : 0)
        case "扶養親族数": return String(person.serial % 3)
        case "氏名": return person.name
        case "氏名カナ": return person.nameKana
        case "生年月日": return person.birthDate.description
        case "性別": return person.sex == .male ? "男" : "女"
        case "住所": return person.address
        case "住民となった日":
            return person.formerCity == nil ? person.birthDate.description : nil
        case "保険者名":
            if case let .insurer(name) = context { return name }
            return nil
        case "被保険者区分": return "本人"
        case "資格取得日": return person.birthDate.adding(days: 365 * 20).description
        case "資格喪失日": return nil
        case "高額療養費支給額": return String(person.serial % 7 * 12_000)
        case "要介護状態区分": return ["非該当", "要支援1", "要介護1", "要介護2"][person.serial % 4]
        case "保険料段階": return String(1 + person.serial % 9)
        case "年金種別": return "老齢基礎年金"
        case "年金額": return String(780_000 + person.serial % 50 * 1_000)
        default: return nil
        }
    }
}
