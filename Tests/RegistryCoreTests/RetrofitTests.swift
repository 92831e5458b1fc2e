import Testing

@testable import RegistryCore

func boiler(
  _ capacity: Double, source: SourceType = .coalBoiler, new: Bool = false, stages: [StageEntry] = [],
  measurements: [Measurement] = []
) -> Retrofit {
  Retrofit(
    id: 1, facility: "1号锅炉", sourceType: source, capacity: capacity, capacityUnit: "t/h", newInstallation: new,
    plannedStart: day("2019-01-01"),
    plannedCompletion: day("2020-10-31"), stages: stages, measurements: measurements)
}

@Suite("Ultra-low-emission retrofits (RULES §7)")
struct RetrofitTests {
  @Test(
    "UL-O1: a coal boiler of 65 t/h in a key region is mandated; 64 t/h is not; outside key regions neither",
    arguments: [(64.0, "130203", false), (65.0, "130203", true), (65.0, "420102", false), (64.0, "420102", false)])
  func ulO1CapacityAndRegion(_ capacity: Double, _ region: String, _ mandated: Bool) {
    let verdict = RetrofitRules.check(boiler(capacity), region: region, policy: .national, asOf: day("2020-06-01"))
    #expect(verdict.mandated == mandated)
    #expect(verdict.deadline?.description == (mandated ? "2020-12-31" : nil))
  }

  @Test(
    "UL-O1/§2: a 温州 (330302) boiler is mandated before the sets changed on 2023-12-07, not after",
    arguments: [("2023-12-06", true), ("2023-12-07", false)])
  func wenzhouLeavesKeyRegions(_ date: String, _ mandated: Bool) {
    let verdict = RetrofitRules.check(boiler(80), region: "330302", policy: .national, asOf: day(date))
    #expect(verdict.mandated == mandated)
    #expect(verdict.overdue == mandated)  // not verified, and past 2020-12-31 while mandated
  }

  @Test(
    "UL-3: a measurement exactly at the limit meets it; 0.1 over does not",
    arguments: [(50.0, TraceLine.Outcome.pass), (50.1, .fail)])
  func limitBoundary(_ nox: Double, _ expected: TraceLine.Outcome) {
    let measured = [
      Measurement(pollutant: .pm, concentration: 10, oxygen: 6, measuredOn: day("2020-12-01"), measuredBy: "监测站"),
      Measurement(pollutant: .so2, concentration: 35, oxygen: 6, measuredOn: day("2020-12-01"), measuredBy: "监测站"),
      Measurement(pollutant: .nox, concentration: nox, oxygen: 6, measuredOn: day("2020-12-01"), measuredBy: "监测站"),
    ]
    let verdict = RetrofitRules.check(
      boiler(80, measurements: measured), region: "130203", policy: .national, asOf: day("2020-12-02"))
    #expect(verdict.meetsLimits == expected)
  }

  @Test("O2 conversion: 40 mg/m³ at 9% O2 is 50 mg/m³ at 6% (40 x 15 / 12), and the trace shows it")
  func oxygenConversion() {
    #expect(abs(RetrofitRules.convert(40, from: 9, to: 6) - 50) < 1e-9)
    #expect(abs(RetrofitRules.convert(30, from: 12, to: 10) - 36.666_666_666) < 1e-6)  // 30 x 11 / 9
    let measured = [
      Measurement(pollutant: .nox, concentration: 40, oxygen: 9, measuredOn: day("2020-12-01"), measuredBy: "监测站")
    ]
    let verdict = RetrofitRules.check(
      boiler(80, measurements: measured), region: "130203", policy: .national, asOf: day("2020-12-02"))
    let nox = verdict.trace.first { $0.description.hasPrefix("NOx") }
    #expect(nox?.fact.contains("40.00 x (21 - 6.0) / (21 - 9.0) = 50.00 mg/m³") == true)
    #expect(nox?.outcome == .pass)
    #expect(verdict.meetsLimits == .unknown)  // PM and SO2 have limits but no measurement
  }

  @Test("Stages cannot be skipped; assessment needs a month of stable operation")
  func stageRules() {
    var project = boiler(80)
    #expect(
      RetrofitRules.advanceRefusal(project, to: .completed, on: day("2020-01-01"))?.contains("cannot be skipped")
        == true)
    #expect(RetrofitRules.advanceRefusal(project, to: .underConstruction, on: day("2020-01-01")) == nil)
    project.stages = [
      StageEntry(stage: .underConstruction, on: day("2020-01-01")),
      StageEntry(stage: .completed, on: day("2020-09-01")),
      StageEntry(stage: .stableOperation, on: day("2020-09-15")),
    ]
    #expect(RetrofitRules.advanceRefusal(project, to: .assessed, on: day("2020-10-14"))?.contains("one month") == true)
    #expect(RetrofitRules.advanceRefusal(project, to: .assessed, on: day("2020-10-15")) == nil)
    #expect(
      RetrofitRules.advanceRefusal(project, to: .assessed, on: day("2020-09-10"))?.contains(
        "before the last stage move") == true)
  }

  @Test(
    "UL-4: Beijing's gas-boiler limits override the national 50 inside Beijing (new 30, in use 80)",
    arguments: [
      ("110105", true, 35.0, TraceLine.Outcome.fail), ("110105", false, 75.0, .pass), ("130203", false, 75.0, .fail),
      ("130203", true, 35.0, .pass),
    ])
  func beijingOverride(_ region: String, _ new: Bool, _ nox: Double, _ expected: TraceLine.Outcome) {
    let measured = [
      Measurement(pollutant: .nox, concentration: nox, oxygen: 3.5, measuredOn: day("2021-03-01"), measuredBy: "监测站")
    ]
    let verdict = RetrofitRules.check(
      boiler(10, source: .gasBoiler, new: new, measurements: measured), region: region, policy: .national,
      asOf: day("2021-03-02"))
    #expect(verdict.meetsLimits == expected)
    #expect(verdict.mandated)  // gas boilers in key regions (Beijing and 唐山 both are)
  }

  @Test("UL-5 applies from 2024-01-01; UL-6 ceramics has no limit until a province loads one")
  func datedAndLocalLimits() {
    let kiln = Retrofit(
      id: 2, facility: "2号窑", sourceType: .cementKiln, capacity: 1_000_000, capacityUnit: "t/a",
      plannedStart: day("2023-01-01"), plannedCompletion: day("2024-06-30"),
      measurements: [
        Measurement(pollutant: .nox, concentration: 45, oxygen: 10, measuredOn: day("2023-06-01"), measuredBy: "站")
      ])
    #expect(
      RetrofitRules.check(kiln, region: "130203", policy: .national, asOf: day("2023-12-31")).meetsLimits == .notInForce
    )
    #expect(
      RetrofitRules.check(kiln, region: "130203", policy: .national, asOf: day("2024-01-01")).meetsLimits == .unknown)
    var ceramics = kiln
    ceramics.sourceType = .ceramicsKiln
    let none = RetrofitRules.check(ceramics, region: "430102", policy: .national, asOf: day("2025-01-01"))
    #expect(none.meetsLimits == .notInForce && none.trace.allSatisfy { $0.threshold.hasPrefix("no limit in force") })
    let hunan = PolicyParameter(
      key: "ul.ceramics-kiln.NOx", jurisdiction: .region("43"), from: day("2024-07-01"),
      value: .limit(milligrams: 100, oxygen: 18), reference: "湖南省陶瓷工业大气污染物排放标准")
    let loaded = RetrofitRules.check(
      ceramics, region: "430102", policy: PolicyBook(NationalDefaults.all + [hunan]), asOf: day("2025-01-01"))
    #expect(loaded.trace.first { $0.description.hasPrefix("NOx") }?.outcome == .pass)  // 45 at 10% = 16.9 at 18%
  }

  @Test("UL-O3: steel progress counts verified capacity per key region against the 60% target")
  func steelProgress() {
    func steel(_ id: Int, _ capacity: Double, verified: Bool) -> Retrofit {
      Retrofit(
        id: id, facility: "\(id)号烧结机", sourceType: .steelSintering, capacity: capacity, capacityUnit: "t/a",
        plannedStart: day("2019-06-01"), plannedCompletion: day("2020-10-31"),
        stages: verified
          ? RetrofitStage.allCases.dropFirst().enumerated().map {
            StageEntry(stage: $0.element, on: day("2020-01-01").adding(months: $0.offset * 2))
          } : [])
    }
    let projects = [
      (steel(1, 600, verified: true), "a", "甲", "130203"), (steel(2, 400, verified: false), "b", "乙", "130204"),
      (steel(3, 500, verified: false), "c", "丙", "420102"),
    ]
    let report = RetrofitProgress.report(
      projects.map { (retrofit: $0.0, owner: $0.1, name: $0.2, region: $0.3) }, policy: .national,
      asOf: day("2020-12-31"))
    guard case .list(let rows)? = report["steel_in_key_regions"],
      case .record(let jjj)? = rows.first(where: { row in
        if case .record(let f) = row, case .text(let name)? = f["key_region"] { return name.hasPrefix("京津冀") }
        return false
      })
    else {
      Issue.record("no 京津冀 row")
      return
    }
    #expect(jjj["verified_share_percent"] == .decimal(60, places: 1))
    #expect(jjj["target_2020"] == .text("60% by 2020-12-31: met"))
  }
}
