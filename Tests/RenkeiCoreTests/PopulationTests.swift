import RenkeiCore
import RenkeiTestSupport
import Testing

@Suite("Synthetic population", .timeLimit(.minutes(3)))
struct PopulationTests {
    static func plan(seed: UInt64) throws -> PopulationPlan {
        PopulationPlan(
            seed: seed,
            referenceDate: try CivilDate("2026-11-26"),
            cities: [
                .init(id: "tomakomai", name: "苫小牧市", prefecture: "北海道", residents: 300, towns: ["旭町", "錦町"]),
                .init(id: "sapporo", name: "札幌市", prefecture: "北海道", residents: 500, towns: ["中央区北一条西"]),
            ],
            moves: [.init(from: "sapporo", to: "tomakomai", share: 0.1)]
        )
    }

    @Test("the same seed gives the same people; another seed gives others")
    func deterministic() throws {
        let first = Population(plan: try Self.plan(seed: 7))
        let again = Population(plan: try Self.plan(seed: 7))
        let other = Population(plan: try Self.plan(seed: 8))
        #expect(first.persons == again.persons)
        #expect(first.persons.map(\.myNumber) != other.persons.map(\.myNumber))
    }

    @Test("every 個人番号 passes its check digit, is unique and is not a degenerate sequence")
    func validNumbers() throws {
        let population = Population(plan: try Self.plan(seed: 2015))
        #expect(population.persons.count == 800)
        #expect(Set(population.persons.map(\.myNumber)).count == 800)
        #expect(Set(population.persons.map(\.residentCode)).count == 800)
        for person in population.persons {
            #expect(try MyNumber(person.myNumber.rawValue) == person.myNumber)
            #expect(Set(person.myNumber.rawValue).count > 1)
            #expect(person.myNumber.rawValue != "012345678901")
        }
    }

    @Test("movers are registered in both cities, and the previous city holds their 地方税関係情報")
    func movers() throws {
        let population = Population(plan: try Self.plan(seed: 2015))
        let movers = population.persons.filter { $0.formerCity == "sapporo" }
        #expect(movers.count == 30)
        #expect(movers.allSatisfy { $0.city == "tomakomai" })
        let sapporo = population.register(.municipality(city: "sapporo"))
        #expect(sapporo.filter { !$0.isResident }.count == 30)
        let catalogue = try InformationCatalogue(
            layoutVersion: "test",
            information: [
                .init(
                    code: try InformationCode("TM00000000000002"), name: "地方税関係情報", informationClass: "地方税関係情報", verified: true,
                    dataSets: [.init(id: "0001", name: "課税", items: [.init(code: "K0004", name: "合計所得金額")])])
            ],
            procedures: []
        )
        let mover = movers[0]
        let atSapporo = population.duplicates(for: mover, basis: .municipality(city: "sapporo"), catalogue: catalogue)
        let atTomakomai = population.duplicates(for: mover, basis: .municipality(city: "tomakomai"), catalogue: catalogue)
        #expect(atSapporo.map(\.recordKey) == ["2025", "2026"])
        #expect(atSapporo.first?.items.first?.value == String(mover.income))
        #expect(atTomakomai.isEmpty)
    }

    @Test("every n-th person of a register has no 符号 yet")
    func pendingLinkCodes() throws {
        let register = Population(plan: try Self.plan(seed: 1)).register(.municipality(city: "tomakomai"))
        #expect(register.filter { !$0.linkCodeAcquired }.count == register.count / 25)
        #expect(register[24].linkCodeAcquired == false)
    }
}
