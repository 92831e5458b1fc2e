import Testing

@testable import RegistryCore

@Suite("Rule book 2020.2: decision numbers, division history, unknown facts")
struct IdentityAndFactsTests {
  @Test(
    "ID-8: canonical keys of real decision numbers",
    arguments: [
      ("郑环罚决字〔 2021〕006号", "郑环罚决字〔2021〕6号"), ("韶环罚字〔2020〕第12号", "韶环罚字〔2020〕12号"),
      ("惠市环（龙门）罚[2021]5号", "惠市环(龙门)罚〔2021〕5号"), ("冀环罚[2021]12号", "冀环罚〔2021〕12号"),
      ("冀环罚〔2021〕 12 号", "冀环罚〔2021〕12号"), ("冀环罚〔2021〕12号", "冀环罚〔2021〕12号"), ("冀环罚【2021】12", "冀环罚〔2021〕12号"),
    ])
  func id8CanonicalKey(_ printed: String, _ key: String) throws {
    let number = try DecisionNumber.parse(printed).get()
    #expect(number.key == key)
    #expect(number.printed == printed.trimmingSpaces())
  }

  @Test(
    "ID-8: a number without a year and a serial is refused; 号 missing and a foreign year are warnings",
    arguments: ["x", "冀环罚12号", "冀环罚〔21〕12号", "〔2021〕12号", "冀环罚〔2021〕", "冀环罚〔2021〕号"])
  func id8Refused(_ printed: String) {
    #expect(throws: DecisionNumber.Refusal.self) { try DecisionNumber.parse(printed).get() }
  }

  @Test("ID-8: warnings for a missing 号 and a year other than the decision's")
  func id8Warnings() throws {
    let number = try DecisionNumber.parse("冀环罚〔2020〕12", decidedOn: day("2021-03-01")).get()
    #expect(number.warnings.count == 2)
  }

  @Test(
    "ID-3 and GB/T 2260 history: real codes once in force are known; a credit code's authority may be any of them, without warning",
    arguments: ["500222", "500226", "500227", "500228", "500382", "532331", "120222", "440101", "130230"])
  func id3History(_ code: String) throws {
    #expect(Divisions.bundled.everListed(code))
    let body = "91" + code + "MA0000000"
    let credit = try CreditCode.parse(body + String(CreditCode.checkCharacter(for: body) ?? "0")).get()
    #expect(!credit.warnings().contains { $0.contains("ID-3") })
  }

  @Test("GB/T 2260: a site's region must be in force on the date it is used: 500222 綦江县 in 2005, not in 2026")
  func siteRegionInForce() {
    #expect(Divisions.bundled.inForce("500222", on: day("2005-06-01")))
    #expect(!Divisions.bundled.inForce("500222", on: day("2026-11-29")))
    #expect(Divisions.bundled.inForce("420102", on: day("2026-11-29")))
    let input = EnterpriseInput([
      .creditCode: "91350100M000100Y43", .name: "綦江测试", .regionCode: "500222", .industryCode: "3985",
    ])
    guard case .invalid(let problems) = input.resolve(onto: nil, asOf: day("2026-11-29")) else {
      Issue.record("accepted 500222 in 2026"); return
    }
    #expect(problems.first?.reason.contains("500110") == true)  // names the successor
    let old = EnterpriseInput([
      .creditCode: "91350100M000100Y43", .name: "綦江测试", .regionCode: "500222", .industryCode: "3985",
      .registeredOn: "2005-06-01",
    ])
    guard case .valid = old.resolve(onto: nil, asOf: day("2026-11-29")) else {
      Issue.record("refused 500222 registered in 2005"); return
    }
  }

  @Test(
    "Conventions (EX-K3, EX-K4, EX-C6): a firm registered with only its required fields has those facts unknown, never 'no'"
  )
  func unknownFacts() {
    let code = CreditCode("91350100M000100Y43")!
    let firm = Enterprise(
      creditCode: code, name: "仅必填", regionCode: "350102", industryCode: "3985", registeredOn: day("2020-01-01"))
    #expect(firm.keyDischargeUnit == nil && firm.permitClass == nil && firm.onlineMonitoring == nil)
    let verdict = eligibility(
      FirmFacts(enterprise: firm), for: .inspectionExemption, policy: .national, asOf: day("2026-11-29"))
    #expect(verdict.status != .eligible)
    #expect(line(verdict, "EX-K3")?.outcome == .unknown)
    #expect(line(verdict, "EX-K4")?.outcome == .unknown)
    #expect(line(verdict, "EX-C6")?.outcome == .unknown)
    // Known facts decide: a non-key, not-a-key-unit firm needs no networked monitoring.
    var known = FirmFacts(enterprise: firm)
    known.enterprise.keyDischargeUnit = false
    known.enterprise.permitClass = PermitClass.none
    known.enterprise.onlineMonitoring = .installed
    let decided = eligibility(known, for: .inspectionExemption, policy: .national, asOf: day("2026-11-29"))
    #expect(line(decided, "EX-K3")?.outcome == .pass)
    #expect(line(decided, "EX-K4")?.outcome == .pass)
  }
}
