import Testing

@testable import RegistryCore

/// A firm that meets every §3 condition (no penalties, a valid permit, a good credit rating, no
/// excluded facility) and whose only categories come from its industry: monitoring is installed
/// but not networked (so EX-C6 does not hold) and it is not a key discharge unit (so EX-K3 does
/// not apply). Tests change one thing at a time.
func cleanFirm(industry: String = "3973", region: String = "420102", process: ProductionProcess = .other) -> FirmFacts {
  let code = (try? CreditCode.parse("91350100M000100Y43").get()) ?? CreditCode("91130200699229617X")!
  var firm = Enterprise(
    creditCode: code, name: "测试企业", regionCode: region, industryCode: industry, registeredOn: day("2018-01-01"))
  firm.process = process
  firm.fuel = .gas
  firm.permitClass = .simplified
  firm.keyDischargeUnit = false
  firm.onlineMonitoring = .installed
  firm.creditRating = .blue
  firm.nearYangtze = false
  var facts = FirmFacts(enterprise: firm)
  facts.permits = [
    PermitFact(
      number: "91350100M000100Y43001P", permitClass: .simplified, validFrom: day("2019-01-01"),
      validTo: day("2029-12-31"))
  ]
  return facts
}

func day(_ text: String) -> Day { Day(text) ?? Day(ordinal: 0) }

func status(
  _ facts: FirmFacts, _ list: PositiveList = .inspectionExemption, on date: String, policy: PolicyBook = .national
) -> Verdict.Status {
  eligibility(facts, for: list, policy: policy, asOf: day(date)).status
}

func line(_ verdict: Verdict, _ rule: String) -> TraceLine? { verdict.trace.first { $0.rule == rule } }

@Suite("Positive-list eligibility (RULES §3-4)")
struct EligibilityTests {
  @Test(
    "EX-C8: a 3973 firm is not in the category on 2020-06-02 and is on 2020-06-03 (27号 extension)",
    arguments: [
      ("2020-06-02", Verdict.Status.ineligible, TraceLine.Outcome.notInForce), ("2020-06-03", .eligible, .pass),
    ])
  func exC8DatedExtension(_ date: String, _ expected: Verdict.Status, _ category: TraceLine.Outcome) {
    let verdict = eligibility(
      cleanFirm(industry: "3973"), for: .inspectionExemption, policy: .national, asOf: day(date))
    #expect(verdict.status == expected)
    #expect(line(verdict, "EX-C8")?.outcome == category)
    #expect(line(verdict, "EX-C7")?.outcome == (category == .pass ? .fail : .notInForce))
  }

  @Test(
    "EX-K1: a penalty 364 days before fails the 1-year window; 365 and 366 days before pass",
    arguments: [(364, TraceLine.Outcome.fail), (365, .pass), (366, .pass)])
  func exK1PenaltyWindow(_ daysBefore: Int, _ expected: TraceLine.Outcome) {
    var facts = cleanFirm()
    let asOf = day("2021-07-01")
    facts.penaltiesDecided = [asOf.adding(days: -daysBefore)]
    let verdict = eligibility(facts, for: .inspectionExemption, policy: .national, asOf: asOf)
    #expect(line(verdict, "EX-K1")?.outcome == expected)
    #expect(verdict.status == (expected == .pass ? .eligible : .ineligible))
  }

  @Test(
    "EX-C8: biomedicine qualifies by process; fermentation or chemical synthesis do not; an unknown process is undetermined",
    arguments: [
      (ProductionProcess.other, Verdict.Status.eligible), (.fermentation, .ineligible),
      (.chemicalSynthesis, .ineligible), (.unknown, .undetermined),
    ])
  func exC8BiomedicineByProcess(_ process: ProductionProcess, _ expected: Verdict.Status) {
    #expect(status(cleanFirm(industry: "2761", process: process), on: "2021-01-01") == expected)
  }

  @Test("EX-X1: an excluded facility that meets every other condition is ineligible; the trace names the exclusion")
  func exX1ExcludedFacilityOverridesEverything() {
    var facts = cleanFirm(industry: "7724")
    facts.enterprise.facilityType = .hazardousWaste
    facts.designations = [DesignationFact(kind: .majorProject, grantedBy: "湖北省发改委", validFrom: day("2020-01-01"))]
    let verdict = eligibility(facts, for: .inspectionExemption, policy: .national, asOf: day("2021-01-01"))
    #expect(verdict.categories == ["EX-C4"])
    #expect(verdict.status == .ineligible)
    #expect(verdict.blocking.map(\.rule) == ["EX-X1"])
    #expect(line(verdict, "EX-X1")?.reading == "EXCLUDED")
  }

  @Test("A provincial override applies in its province only (most specific jurisdiction wins)")
  func provincialOverride() {
    let hubei = PolicyParameter(
      key: "ex.k1.years", jurisdiction: .region("42"), from: day("2021-01-01"), value: .integer(2),
      reference: "鄂环发〔2020〕19号")
    let policy = PolicyBook(NationalDefaults.all + [hubei])
    var inHubei = cleanFirm(region: "420102")
    var inFujian = cleanFirm(region: "350102")
    let penalty = day("2020-01-15")  // 18 months before the check: outside 1 year, inside 2
    inHubei.penaltiesDecided = [penalty]
    inFujian.penaltiesDecided = [penalty]
    let hubeiVerdict = eligibility(inHubei, for: .inspectionExemption, policy: policy, asOf: day("2021-07-15"))
    #expect(hubeiVerdict.status == .ineligible)
    #expect(line(hubeiVerdict, "EX-K1")?.clause.contains("ex.k1.years@42 from 2021-01-01") == true)
    #expect(status(inFujian, on: "2021-07-15", policy: policy) == .eligible)
    // Before the override takes effect, Hubei uses the national value.
    #expect(policy.lookup("ex.k1.years", region: "420102", asOf: day("2020-12-31"))?.jurisdiction == .national)
  }

  @Test(
    "A missing fact gives undetermined, never eligible: a chemical plant whose distance to the Yangtze is not surveyed")
  func missingFactIsUndetermined() {
    var facts = cleanFirm(industry: "2614")
    facts.designations = [DesignationFact(kind: .keySector, grantedBy: "市生态环境局", validFrom: day("2020-03-10"))]
    facts.enterprise.nearYangtze = nil
    let verdict = eligibility(facts, for: .inspectionExemption, policy: .national, asOf: day("2021-01-01"))
    #expect(verdict.status == .undetermined)
    #expect(line(verdict, "EX-X2")?.outcome == .unknown)
    facts.enterprise.nearYangtze = true
    #expect(status(facts, on: "2021-01-01") == .ineligible)
    facts.enterprise.nearYangtze = false
    #expect(status(facts, on: "2021-01-01") == .eligible)
  }

  @Test("EX-C2: power (44) is livelihood unless coal-fired; unknown fuel leaves it open")
  func exC2CoalFiredPower() {
    var facts = cleanFirm(industry: "4411")
    for (fuel, expected) in [(Fuel.gas, TraceLine.Outcome.pass), (.coal, .fail), (.unknown, .unknown)] {
      facts.enterprise.fuel = fuel
      let verdict = eligibility(facts, for: .inspectionExemption, policy: .national, asOf: day("2020-05-01"))
      #expect(line(verdict, "EX-C2")?.outcome == expected, "\(fuel)")
    }
  }

  @Test("EX-K2 emergency within 2 years, EX-K3 monitoring, EX-K5 rating, EX-X3 crime within 3 years")
  func otherConditions() {
    var facts = cleanFirm()
    facts.incidents = [IncidentFact(kind: .emergency, occurredOn: day("2019-08-01"))]
    #expect(status(facts, on: "2021-07-31") == .ineligible)
    #expect(status(facts, on: "2021-08-01") == .eligible)  // window 2019-08-02 … 2021-08-01
    facts = cleanFirm()
    facts.enterprise.keyDischargeUnit = true  // a key discharge unit with monitoring only installed
    let k3 = eligibility(facts, for: .inspectionExemption, policy: .national, asOf: day("2021-01-01"))
    #expect(line(k3, "EX-K3")?.outcome == .fail)
    facts = cleanFirm()
    facts.enterprise.creditRating = .yellow
    #expect(status(facts, on: "2021-01-01") == .ineligible)
    facts = cleanFirm()
    facts.incidents = [IncidentFact(kind: .crime, occurredOn: day("2018-01-02"))]
    #expect(status(facts, on: "2021-01-01") == .ineligible)
    #expect(status(facts, on: "2021-01-02") == .eligible)
  }

  @Test("EX-K4: no valid permit fails; an epidemic deferral counts as valid; registration firms need a registration")
  func exK4Permits() {
    var facts = cleanFirm()
    facts.permits = [
      PermitFact(
        number: "91350100M000100Y43001P", permitClass: .key, validFrom: day("2017-01-01"), validTo: day("2020-03-01"))
    ]
    #expect(status(facts, on: "2020-06-10") == .ineligible)
    facts.permits[0].deferrals = [(day("2020-06-20"), day("2020-12-31"))]
    // granted after that day: it does not count yet (Conventions)
    #expect(status(facts, on: "2020-06-10") == .ineligible)
    facts.permits[0].deferrals = [(day("2020-06-01"), day("2020-12-31"))]
    #expect(status(facts, on: "2020-06-10") == .eligible)
    facts.permits = []
    facts.enterprise.permitClass = .registration
    facts.enterprise.keyDischargeUnit = false
    let verdict = eligibility(facts, for: .inspectionExemption, policy: .national, asOf: day("2021-01-01"))
    #expect(line(verdict, "EX-K4")?.fact == "no permit on record")
    #expect(verdict.status == .ineligible)
  }

  @Test("Every condition is evaluated: the trace lists all failures, not just the first")
  func noShortCircuit() {
    var facts = cleanFirm()
    facts.penaltiesDecided = [day("2020-12-01")]
    facts.enterprise.creditRating = .red
    facts.permits = []
    let verdict = eligibility(facts, for: .inspectionExemption, policy: .national, asOf: day("2021-01-01"))
    #expect(Set(verdict.blocking.map(\.rule)) == ["EX-K1", "EX-K4", "EX-K5"])
    #expect(verdict.trace.count == 18)  // 8 categories, 7 conditions, 3 exclusions
  }

  @Test("Re-entry bar: revoked for a serious violation, barred for 3 years")
  func reentryBar() {
    var facts = cleanFirm()
    facts.memberships = [
      MembershipFact(
        list: .inspectionExemption, admittedOn: day("2020-07-01"), validUntil: day("2023-07-01"),
        revokedOn: day("2021-03-01"), seriousViolation: true)
    ]
    #expect(status(facts, on: "2024-02-29") == .ineligible)
    #expect(status(facts, on: "2024-03-01") == .eligible)
  }

  @Test(
    "EIA green channel: categories dated, electroplating and sensitive areas excluded",
    arguments: [
      ("0313", ProductionProcess.other, "2020-06-02", Verdict.Status.ineligible),
      ("0313", .other, "2020-06-03", .eligible),
      ("2762", .other, "2020-06-03", .eligible),
      ("2762", .fermentation, "2020-06-03", .ineligible),
      ("3360", .electroplating, "2021-01-01", .ineligible),
    ])
  func eiaGreenChannel(_ industry: String, _ process: ProductionProcess, _ date: String, _ expected: Verdict.Status) {
    #expect(status(cleanFirm(industry: industry, process: process), .eiaGreenChannel, on: date) == expected)
  }

  @Test(
    "EIA-X1: a designated major project in a sensitive area is excluded; an electroplating firm with unknown process is open"
  )
  func eiaExclusions() {
    var facts = cleanFirm(industry: "3360", process: .unknown)
    facts.designations = [DesignationFact(kind: .majorProject, grantedBy: "省发改委", validFrom: day("2020-01-01"))]
    #expect(status(facts, .eiaGreenChannel, on: "2021-01-01") == .undetermined)
    facts.enterprise.process = .other
    #expect(status(facts, .eiaGreenChannel, on: "2021-01-01") == .eligible)
    facts.designations.append(DesignationFact(kind: .sensitiveArea, grantedBy: "市生态环境局", validFrom: day("2020-01-01")))
    #expect(status(facts, .eiaGreenChannel, on: "2021-01-01") == .ineligible)
  }
}
