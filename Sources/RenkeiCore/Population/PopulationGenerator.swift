/// Makes a deterministic synthetic population from a plan.
public struct Population: Sendable {
    public let plan: PopulationPlan
    /// Indexed by `serial`.
    public let persons: [SyntheticPerson]

    public init(plan: PopulationPlan) {
        self.plan = plan
        self.persons = Self.generate(plan)
    }

    /// The people an organisation knows, in a stable order with stable numbers.
    public func register(_ basis: RegisterBasis) -> [RegisterEntry] {
        let members: [(SyntheticPerson, Bool)]
        let numberBase: Int
        switch basis {
        case let .municipality(city):
            members = persons.compactMap { person in
                if person.city == city { return (person, true) }
                if person.formerCity == city { return (person, false) }
                return nil
            }
            numberBase = 1_000_000
        case let .insurer(insurance):
            members = persons.filter { $0.insurance == insurance }.map { ($0, true) }
            numberBase = 5_000_000
        case .pension:
            members = persons.filter(\.receivesPension).map { ($0, true) }
            numberBase = 7_000_000
        }
        let pendingEvery = max(plan.linkCodePendingEvery, 0)
        return members.enumerated().map { index, member in
            RegisterEntry(
                person: member.0.serial,
                addressNumber: AddressNumber(sequence: numberBase + index + 1),
                integratedAddressNumber: IntegratedAddressNumber(sequence: 100_000_000 + index + 1),
                isResident: member.1,
                linkCodeAcquired: pendingEvery == 0 || (index + 1) % pendingEvery != 0
            )
        }
    }

    private static func generate(_ plan: PopulationPlan) -> [SyntheticPerson] {
        let root = SeededGenerator(seed: plan.seed)
        var numbers = root.derived("my-number")
        var residentCodes = root.derived("resident-code")
        var usedNumbers = Set<String>()
        var usedResidentCodes = Set<String>()
        var persons = [SyntheticPerson]()
        persons.reserveCapacity(plan.cities.reduce(0) { $0 + $1.residents })

        for city in plan.cities {
            var rng = root.derived("city:\(city.id)")
            let inbound = plan.moves.filter { $0.to == city.id }
            for index in 0..<city.residents {
                let serial = persons.count
                let myNumber = uniqueMyNumber(&numbers, used: &usedNumbers)
                let residentCode = uniqueResidentCode(&residentCodes, used: &usedResidentCodes)
                let sex: SyntheticPerson.Sex = rng.next() % 2 == 0 ? .male : .female
                let family = JapaneseNames.family[Int(rng.next() % UInt64(JapaneseNames.family.count))]
                let givenList = sex == .male ? JapaneseNames.male : JapaneseNames.female
                let given = givenList[Int(rng.next() % UInt64(givenList.count))]
                let nominalAge = Int(rng.next() % 90)
                let birthYear = plan.referenceDate.year - nominalAge - 1
                let newYear = (try? CivilDate(year: birthYear, month: 1, day: 1)) ?? plan.referenceDate
                let birthDate = newYear.adding(days: Int(rng.next() % 365))
                let realAge = completedYears(from: birthDate, to: plan.referenceDate)
                let town = city.towns.isEmpty ? "" : city.towns[Int(rng.next() % UInt64(city.towns.count))]
                let address = "\(city.prefecture)\(city.name)\(town)\(1 + rng.next() % 9)丁目\(1 + rng.next() % 30)番\(1 + rng.next() % 20)号"
                // The first share of a city's residents moved in from elsewhere: stable
                // across seeds, so the seed scenario always finds movers.
                var formerCity: String?
                var cumulative = 0
                for move in inbound {
                    cumulative += Int((Double(city.residents) * move.share).rounded())
                    if index < cumulative {
                        formerCity = move.from
                        break
                    }
                }
                let insurance: SyntheticPerson.Insurance
                if realAge >= 75 {
                    insurance = .lateElderly
                } else if realAge >= 20 && realAge < 65 && rng.next() % 100 < 55 {
                    insurance = .kyokaiKenpo
                } else {
                    insurance = .nationalHealthInsurance
                }
                let formerlyNHI = insurance == .kyokaiKenpo && rng.next() % 100 < 30
                let income = realAge < 18 ? 0 : Int(rng.next() % 8_000) * 1_000
                persons.append(
                    SyntheticPerson(
                        serial: serial,
                        myNumber: myNumber,
                        residentCode: residentCode,
                        familyName: family.0,
                        givenName: given.0,
                        familyNameKana: family.1,
                        givenNameKana: given.1,
                        sex: sex,
                        birthDate: birthDate,
                        city: city.id,
                        address: address,
                        formerCity: formerCity,
                        insurance: insurance,
                        formerlyNationalHealthInsurance: formerlyNHI,
                        receivesPension: realAge >= 65,
                        income: income
                    ))
            }
        }
        return persons
    }

    private static func completedYears(from birth: CivilDate, to date: CivilDate) -> Int {
        var age = date.year - birth.year
        if (date.month, date.day) < (birth.month, birth.day) { age -= 1 }
        return age
    }

    /// A random 11-digit body with its check digit; never a degenerate sequence such as all
    /// zeros or 012345678901, and never a number already given out.
    private static func uniqueMyNumber(_ rng: inout SeededGenerator, used: inout Set<String>) -> MyNumber {
        while true {
            let body = (0..<11).map { _ in Int(rng.next() % 10) }
            guard !isDegenerate(body), let number = try? MyNumber(body: body), used.insert(number.rawValue).inserted else { continue }
            return number
        }
    }

    private static func uniqueResidentCode(_ rng: inout SeededGenerator, used: inout Set<String>) -> ResidentCode {
        while true {
            let body = (0..<10).map { _ in Int(rng.next() % 10) }
            guard !isDegenerate(body) else { continue }
            let code = ResidentCode(body: body)
            if used.insert(code.rawValue).inserted { return code }
        }
    }

    static func isDegenerate(_ digits: [Int]) -> Bool {
        guard let first = digits.first else { return true }
        if digits.allSatisfy({ $0 == first }) { return true }
        let steps = zip(digits, digits.dropFirst()).map { ($1 - $0 + 10) % 10 }
        return steps.allSatisfy { $0 == 1 } || steps.allSatisfy { $0 == 9 }
    }
}
