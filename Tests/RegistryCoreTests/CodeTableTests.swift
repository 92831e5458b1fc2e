import Testing

@testable import RegistryCore

@Suite("Bundled code tables and key regions (RULES §1-2)")
struct CodeTableTests {
  @Test("GB/T 2260 rows per level match the data README (31 / 342 / 2,842 + 2 and 4 abolished)")
  func divisionCounts() {
    let all = Divisions.bundled.all
    func count(_ level: Divisions.Level, abolished: Bool) -> Int {
      all.filter { $0.level == level && ($0.abolishedOn != nil) == abolished }.count
    }
    #expect(count(.province, abolished: false) == 31)
    #expect(count(.prefecture, abolished: false) == 342)
    #expect(count(.county, abolished: false) == 2_842)
    #expect(count(.prefecture, abolished: true) == 2)
    #expect(count(.county, abolished: true) == 4)
  }

  @Test("GB/T 4754-2017 rows per level match the data README (20 / 97 / 473 / 1,381)")
  func industryCounts() {
    let all = Industries.bundled.all
    #expect(all.filter { $0.level == .section }.count == 20)
    #expect(all.filter { $0.level == .division }.count == 97)
    #expect(all.filter { $0.level == .group }.count == 473)
    #expect(all.filter { $0.level == .class }.count == 1_381)
  }

  @Test("ID-5: an unknown industry code is an error that suggests the nearest known ones")
  func id5UnknownIndustrySuggests() {
    guard case .failure(let error) = Industries.bundled.validate("2699") else {
      Issue.record("2699 accepted")
      return
    }
    #expect(error.suggestions.first?.code.hasPrefix("26") == true)
    #expect(error.description.contains("nearest known"))
    #expect(throws: Never.self) { try Industries.bundled.validate("3973").get() }
    #expect(throws: IndustryError.self) { try Industries.bundled.validate("C").get() }
  }

  @Test("Division lineage and prefixes")
  func lineage() {
    #expect(Divisions.bundled.fullName(of: "420102") == "湖北省 武汉市 江岸区")
    #expect(Divisions.prefix(of: "420000") == "42")
    #expect(Divisions.prefix(of: "420100") == "4201")
    #expect(Divisions.prefix(of: "420102") == "420102")
    #expect(Divisions.bundled.lookup("371200")?.abolishedOn == "2019-01")
  }

  @Test(
    "§2: key-region membership follows the set version in force",
    arguments: [
      // (region, date, expected set versions)
      ("330302", "2023-12-06", ["yrd 2018"]),  // 温州 left 长三角 in 2023
      ("330302", "2023-12-07", []),
      ("140105", "2023-12-06", ["jjj 2+26"]),  // 太原 moved to 汾渭平原
      ("140105", "2023-12-07", ["fwp 2023"]),
      ("410302", "2023-12-06", ["fwp 2018"]),  // 洛阳 moved to 京津冀及周边
      ("410302", "2023-12-07", ["jjj 2+36"]),
      ("610581", "2023-12-06", ["fwp 2018"]),  // 韩城 lies in 渭南 610500, a 2018 member
      ("610581", "2023-12-07", ["fwp 2023"]),
      ("610403", "2020-01-01", ["fwp 2018"]),  // 杨凌 is listed on its own
      ("110105", "2017-02-28", []),  // before 2+26 took effect
      ("110105", "2017-03-01", ["jjj 2+26"]),
      ("420102", "2020-06-03", []),  // 武汉 is in no set
    ])
  func keyRegionVersions(_ region: String, _ date: String, _ expected: [String]) throws {
    let day = try #require(Day(date))
    let found = KeyRegions.membership(of: region, on: day).map { "\($0.key.rawValue) \($0.version)" }
    #expect(found == expected)
  }
}
