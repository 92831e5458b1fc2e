import Testing

@testable import RegistryCore

/// A firm of the draw's jurisdiction (Wuhan) with the facts the draw reads.
func drawFirm(
  _ code: String, permitClass: PermitClass? = .simplified, keyUnit: Bool? = false, region: String = "420102"
)
  -> FirmFacts
{
  var facts = cleanFirm(region: region)
  facts.enterprise.creditCode = CreditCode(stored: code) ?? facts.enterprise.creditCode
  facts.enterprise.permitClass = permitClass
  facts.enterprise.keyDischargeUnit = keyUnit
  return facts
}

/// Firm codes that need not verify (the draw reads codes as stored): F000…F999 padded to 18.
func fakeCode(_ n: Int) -> String {
  let digits = String(n)
  return "9142010200000" + String(repeating: "0", count: 5 - digits.count) + digits
}

func inspector(_ staff: String, region: String = "420100", conflicts: Set<String> = []) -> Inspector {
  Inspector(
    staffNo: staff, name: "执法员\(staff)", unit: "武汉市生态环境局", regionCode: region, certificate: "鄂\(staff)",
    conflicts: conflicts)
}

@Suite("The 双随机 draw (RULES §9, RD-1..RD-4)")
struct DrawRulesTests {
  let drawnOn = day("2026-11-30")

  @Test(
    "RD-1: an exempt member is out of the pool on the draw date (its last valid day too), back in the day after",
    arguments: [("2026-11-30", PoolExclusion?.some(.exempt)), ("2027-06-01", .exempt), ("2027-06-02", nil)])
  func rd1ExemptUntilLapse(_ date: String, _ expected: PoolExclusion?) {
    var facts = drawFirm(fakeCode(1))
    facts.memberships = [
      MembershipFact(list: .inspectionExemption, admittedOn: day("2024-06-01"), validUntil: day("2027-06-01"))
    ]
    #expect(DrawRules.exclusion(facts, drawnOn: day(date), inspected: []) == expected)
  }

  @Test("RD-1: a revoked member, a firm of the other list, and a deregistered or already inspected firm")
  func rd1OtherExclusions() {
    var revoked = drawFirm(fakeCode(2))
    revoked.memberships = [
      MembershipFact(
        list: .inspectionExemption, admittedOn: day("2024-06-01"), validUntil: day("2027-06-01"),
        revokedOn: day("2026-10-01"))
    ]
    #expect(DrawRules.exclusion(revoked, drawnOn: drawnOn, inspected: []) == nil)
    var green = drawFirm(fakeCode(3))
    green.memberships = [
      MembershipFact(list: .eiaGreenChannel, admittedOn: day("2024-06-01"), validUntil: day("2027-06-01"))
    ]
    #expect(DrawRules.exclusion(green, drawnOn: drawnOn, inspected: []) == nil)
    var closed = drawFirm(fakeCode(4))
    closed.enterprise.status = .closed
    closed.enterprise.closedOn = day("2026-11-01")
    #expect(DrawRules.exclusion(closed, drawnOn: drawnOn, inspected: []) == .inactive)
    #expect(DrawRules.exclusion(drawFirm(fakeCode(5)), drawnOn: drawnOn, inspected: [fakeCode(5)]) == .inspected)
  }

  @Test(
    "RD-2: strata — a key discharge unit or 重点管理 holder is key, 简化管理 simplified, the rest (class unknown too) general",
    arguments: [
      (PermitClass?.some(.key), Bool?.some(false), DrawStratum.key), (.simplified, true, .key),
      (.simplified, false, .simplified), (.registration, false, .general), (nil, nil, .general),
      (PermitClass.none, false, .general),
    ])
  func rd2Strata(_ permitClass: PermitClass?, _ keyUnit: Bool?, _ expected: DrawStratum) {
    #expect(DrawStratum.of(drawFirm(fakeCode(6), permitClass: permitClass, keyUnit: keyUnit).enterprise) == expected)
  }

  @Test(
    "RD-2: the clean record's 2-year boundary — a penalty on D minus 2 years is outside the window, a day later inside",
    arguments: [("2024-11-30", true), ("2024-12-01", false), ("2026-11-30", false)])
  func rd2CleanBoundary(_ penalty: String, _ clean: Bool) {
    var facts = drawFirm(fakeCode(7))
    facts.penaltiesDecided = [day(penalty)]
    #expect(DrawRules.isClean(facts, drawnOn: drawnOn, years: 2) == clean)
    #expect(DrawRules.candidate(facts, drawnOn: drawnOn, cleanYears: 2).group.clean == clean)
  }

  @Test("RD-2: no halving before 27号 (2020-06-03): the clean-record window is not yet in force")
  func rd2NoHalvingBefore27() {
    let policy = PolicyBook.national
    #expect(policy.lookup(DrawRules.cleanYearsKey, region: "420100", asOf: day("2020-06-02")) == nil)
    #expect(policy.lookup(DrawRules.cleanYearsKey, region: "420100", asOf: day("2020-06-03"))?.value.integer == 2)
    #expect(
      DrawRules.candidate(drawFirm(fakeCode(8)), drawnOn: day("2020-06-02"), cleanYears: nil).group.clean == false)
  }

  @Test("RD-2: quotas — ⌈pool × ratio⌉ per group, the clean half at half the ratio, the minimum, never above the pool")
  func rd2Quotas() throws {
    var pool: [DrawCandidate] = []
    func add(_ count: Int, _ stratum: DrawStratum, clean: Bool) {
      for _ in 0..<count {
        pool.append(
          DrawCandidate(code: fakeCode(pool.count), group: DrawGroup(stratum, clean: clean), regionCode: "420102"))
      }
    }
    add(10, .key, clean: false)
    add(10, .key, clean: true)
    add(40, .simplified, clean: false)
    add(1, .simplified, clean: true)
    add(100, .general, clean: true)
    let quotas = try DrawRules.quotas(pool: pool, policy: .national, region: "420100", drawnOn: drawnOn)
    let byGroup = Dictionary(
      uniqueKeysWithValues: quotas.map { ($0.group.description, ($0.ratioBasisPoints, $0.quota)) })
    #expect(byGroup["key"]! == (2500, 3))  // ⌈10 × 25%⌉
    #expect(byGroup["key-clean"]! == (1250, 2))  // ⌈10 × 12.5%⌉
    #expect(byGroup["simplified"]! == (1000, 4))
    #expect(byGroup["simplified-clean"]! == (500, 1))  // the minimum, no more than the pool
    #expect(byGroup["general-clean"]! == (250, 3))  // ⌈100 × 2.5%⌉
    #expect(byGroup["general"]! == (500, 0))  // an empty group draws nothing
  }

  /// A snapshot of `count` firms in one group and a roster.
  func snapshot(seed: UInt64, count: Int = 20, quota: Int = 5, roster: [Inspector]? = nil) -> DrawSnapshot {
    let group = DrawGroup(.simplified, clean: false)
    let pool = (0..<count).map { DrawCandidate(code: fakeCode($0), group: group, regionCode: "420102") }
    return DrawSnapshot(
      jurisdiction: "4201", period: DrawPeriod("2026Q4")!, drawnOn: drawnOn, seed: seed, pool: pool,
      roster: roster ?? ["A1", "A2", "A3", "A4"].map { inspector($0) },
      quotas: [DrawQuota(group: group, pool: count, ratioBasisPoints: 2500, minimum: 1, quota: quota, clause: "")],
      inspectorsPerFirm: 2)
  }

  @Test("RD-3: the generator is SplitMix64 (the reference outputs for seed 0), and below(n) is the high word of x·n")
  func rd3Generator() {
    var generator = DrawGenerator(seed: 0)
    #expect(generator.next() == 0xE220_A839_7B1D_CDAF)
    #expect(generator.next() == 0x6E78_9E6A_A1B9_65F4)
    var a = DrawGenerator(seed: 42), b = DrawGenerator(seed: 42)
    #expect(a.below(1000) == Int(b.next().multipliedFullWidth(by: 1000).high))
  }

  @Test("RD-3: the same seed and snapshot give the same picks and inspectors; another seed other picks")
  func rd3Reproducible() throws {
    let first = try DrawRules.picks(snapshot(seed: 20_261_201))
    #expect(first == (try DrawRules.picks(snapshot(seed: 20_261_201))))
    #expect(first.count == 5 && Set(first.map(\.code)).count == 5)
    #expect(first.map(\.code) != (try DrawRules.picks(snapshot(seed: 7))).map(\.code))
  }

  @Test("RD-3: the snapshot stored as JSON arrays of strings reads back the same (pool, roster, quotas)")
  func rd3Codec() throws {
    var s = snapshot(seed: 1)
    s.roster[0].name = "王\"五\\六"
    s.roster[0].conflicts = [fakeCode(1), fakeCode(2)]
    #expect(DrawCodec.pool(DrawCodec.encode(pool: s.pool)) == s.pool)
    #expect(DrawCodec.roster(DrawCodec.encode(roster: s.roster)) == s.roster)
    #expect(DrawCodec.quotas(DrawCodec.encode(quotas: s.quotas)) == s.quotas)
    #expect(DrawCodec.strings(#"["a\u00e9\ud83d\ude00", "b\n"]"#) == ["aé😀", "b\n"])
    for junk in ["", "[", "[\"a\"", "{}", "[1]", "[\"\\ud83d\"]", "[\"a\",]", "[\"a\"] x"] {
      #expect(DrawCodec.strings(junk) == nil, "\(junk)")
    }
  }

  @Test(
    "RD-4: at least two inspectors per firm, never one with a declared conflict, only of a division covering the site")
  func rd4Inspectors() throws {
    let conflicted = inspector("A1", conflicts: Set((0..<20).map(fakeCode)))
    let roster = [conflicted, inspector("A2"), inspector("A3"), inspector("B1", region: "420500")]
    let picks = try DrawRules.picks(snapshot(seed: 3, roster: roster))
    for pick in picks {
      #expect(pick.inspectors.count == 2)
      #expect(!pick.inspectors.contains("A1") && !pick.inspectors.contains("B1"), "\(pick)")
    }
    // Only one inspector left for the area: refused, naming RD-4.
    #expect { try DrawRules.picks(snapshot(seed: 3, roster: [conflicted, inspector("A2")])) } throws: {
      "\($0)".contains("RD-4")
    }
  }

  @Test(
    "RD-3: over 10,000 draws every firm of a stratum is picked with its stratum's probability (χ², fixed seeds)"
  )
  func rd3Uniform() throws {
    let firms = 20, quota = 5, draws = 10_000
    var counts = [String: Int]()
    for seed in 0..<draws {
      for pick in try DrawRules.picks(snapshot(seed: UInt64(seed) &* 0x9E37_79B9 &+ 11, count: firms, quota: quota)) {
        counts[pick.code, default: 0] += 1
      }
    }
    let expected = Double(draws * quota) / Double(firms)  // p = 5/20 per draw
    let chiSquare = (0..<firms).map { Double(counts[fakeCode($0)] ?? 0) }.reduce(0) {
      $0 + ($1 - expected) * ($1 - expected) / expected
    }
    // 19 degrees of freedom: the 0.1% critical value is 43.82.
    #expect(chiSquare < 43.82, "χ² = \(chiSquare), counts \(counts.values.sorted())")
    #expect(counts.count == firms)
  }

  @Test("Periods: a quarter's first and last days; anything else is refused")
  func periods() {
    #expect(DrawPeriod("2026Q4")?.first == day("2026-10-01") && DrawPeriod("2026Q4")?.last == day("2026-12-31"))
    #expect(DrawPeriod("2024q1")?.last == day("2024-03-31"))
    for bad in ["2026Q5", "2026", "26Q1", "2026-11", "Q4", ""] { #expect(DrawPeriod(bad) == nil, "\(bad)") }
  }
}

@Suite("The heavy-pollution-weather list (RULES §10, HW-1..HW-9)")
struct WeatherRulesTests {
  let day12 = day("2020-12-12")

  func firm(industry: String, grade: PerformanceGrade, region: String = "130402") -> FirmFacts {
    var facts = cleanFirm(industry: industry, region: region)
    facts.enterprise.grade = grade
    return facts
  }

  @Test(
    "HW-1: the level on a day is the highest of the alerts covering the site; the last day counts, the next does not",
    arguments: [
      ("2020-12-09", nil), ("2020-12-10", AlertLevel?.some(.orange)), ("2020-12-12", .red), ("2020-12-13", .orange),
      ("2020-12-14", nil),
    ])
  func hw1Level(_ date: String, _ expected: AlertLevel?) {
    let alerts = [
      WeatherAlert(
        region: "1304", level: .orange, from: day("2020-12-10"), to: day("2020-12-13"), issuer: "邯郸", reference: "1"),
      WeatherAlert(
        region: "13", level: .red, from: day("2020-12-12"), to: day("2020-12-12"), issuer: "河北", reference: "2"),
      WeatherAlert(region: "1301", level: .red, from: day("2020-12-01"), to: nil, issuer: "石家庄", reference: "3"),
    ]
    #expect(WeatherRules.level(alerts, regionCode: "130402", on: day(date))?.level == expected)
  }

  @Test("HW-2/HW-3: a key industry is graded, an ungraded one takes D; another industry is a general firm")
  func hw2hw3() {
    let steel = WeatherRules.line(firm(industry: "3120", grade: .unrated), policy: .national, on: day12)
    #expect(steel.weatherClass == .key && steel.grade == .d)
    let food = WeatherRules.line(firm(industry: "1411", grade: .a), policy: .national, on: day12)
    #expect(food.weatherClass == .general && food.grade == nil)
  }

  @Test("HW-4/HW-5: A takes 自主减排 (no mandatory measure), D stops at red, a general firm 多排多减")
  func hw4hw5() {
    let a = WeatherRules.line(firm(industry: "3120", grade: .a), policy: .national, on: day12)
    #expect(a.measures[.red]?.text == "自主减排" && a.measures[.red]?.isMandatory == false)
    let d = WeatherRules.line(firm(industry: "2520", grade: .d), policy: .national, on: day12)
    #expect(d.measures[.red]?.text == "停产" && d.measures[.orange]?.reductionBasisPoints == 5000)
    let general = WeatherRules.line(firm(industry: "1411", grade: .unrated), policy: .national, on: day12)
    #expect(general.weatherClass == .general && general.measures[.orange]?.reductionBasisPoints == 2000)
  }

  @Test("HW-7: a 保障类 firm runs 以热定产 at every level; once the designation ends, its grade's measure")
  func hw7Guarantee() {
    var heating = firm(industry: "4430", grade: .c)
    heating.designations = [
      DesignationFact(
        kind: .weatherGuarantee, grantedBy: "邯郸市", validFrom: day("2020-10-01"), validUntil: day("2021-03-15"))
    ]
    #expect(WeatherRules.line(heating, policy: .national, on: day12).measures[.orange] == .guarantee)
    #expect(WeatherRules.line(heating, policy: .national, on: day("2021-03-16")).measures[.orange] != .guarantee)
  }

  @Test("HW-8: a §3 member takes one grade lighter (D → C); a general member the next lower level's measure")
  func hw8Lighter() {
    let membership = MembershipFact(
      list: .inspectionExemption, admittedOn: day("2020-07-01"), validUntil: day("2023-07-01"))
    var ceramics = firm(industry: "3071", grade: .d)
    ceramics.memberships = [membership]
    let line = WeatherRules.line(ceramics, policy: .national, on: day12)
    #expect(line.grade == .c && line.measures[.orange]?.reductionBasisPoints == 3000)
    var food = firm(industry: "1411", grade: .unrated)
    food.memberships = [membership]
    let general = WeatherRules.line(food, policy: .national, on: day12)
    #expect(
      general.measures[.orange]?.reductionBasisPoints == 1000 && general.measures[.yellow] == WeatherMeasure.noMeasure)
  }

  @Test("HW-9: the rule book's 邯郸 example — on 12-12 under orange: steel A none mandatory, coking C its orange measure")
  func hw9Example() {
    let steel = WeatherRules.line(firm(industry: "3120", grade: .a), policy: .national, on: day12)
    let coking = WeatherRules.line(firm(industry: "2521", grade: .c), policy: .national, on: day12)
    #expect(steel.measures[.orange]?.isMandatory == false)
    #expect(coking.measures[.orange] == WeatherMeasure(reductionBasisPoints: 3000, text: "限产 30.00%"))
    for line in steel.trace + coking.trace { #expect(!line.rule.isEmpty && line.rule.hasPrefix("HW-")) }
  }

  @Test(
    "HW-6: listed reductions weighed by baselines against 10/20/30%; a shortfall fails, a missing baseline is unknown")
  func hw6RegionCheck() {
    let d = WeatherRules.line(firm(industry: "2520", grade: .d), policy: .national, on: day12)  // 30/50/100%
    let general = WeatherRules.line(firm(industry: "1411", grade: .unrated), policy: .national, on: day12)  // 10/20/30%
    let a = WeatherRules.line(firm(industry: "3120", grade: .a), policy: .national, on: day12)  // 0
    func check(_ rows: [(line: WeatherLine, baselines: [WeatherPollutant: Int])]) -> [String: TraceLine.Outcome] {
      Dictionary(
        uniqueKeysWithValues: WeatherRules.regionCheck(rows, policy: .national, region: "130400", on: day12)
          .filter { $0.description.hasPrefix("SO2") }.map {
            (String($0.description.split(separator: " ")[3]), $0.outcome)
          })
    }
    // D 100 kg and A 100 kg: yellow 30/200 = 15% ≥ 10%, orange 50/200 = 25% ≥ 20%, red 100/200 = 50% ≥ 30%.
    #expect(check([(d, [.so2: 100]), (a, [.so2: 100])]) == ["yellow": .pass, "orange": .pass, "red": .pass])
    // General 100 kg and A 900 kg: 10/1000 = 1% < 10%: every level short (a warning).
    #expect(check([(general, [.so2: 100]), (a, [.so2: 900])]) == ["yellow": .fail, "orange": .fail, "red": .fail])
    // A listed firm without its SO2 baseline: unknown, never a silent pass.
    #expect(check([(d, [.so2: 100]), (a, [.nox: 5])]) == ["yellow": .unknown, "orange": .unknown, "red": .unknown])
  }
}
