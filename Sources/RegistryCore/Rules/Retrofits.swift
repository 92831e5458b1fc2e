/// Ultra-low-emission retrofits (超低排放改造, RULES §7).
public enum SourceType: String, Vocabulary {
  case steelSintering = "steel-sintering", steelPelletising = "steel-pelletising", steelOther = "steel-other"
  case coalBoiler = "coal-boiler", gasBoiler = "gas-boiler", cementKiln = "cement-kiln", ceramicsKiln = "ceramics-kiln"

  public var label: String {
    switch self {
    case .steelSintering: "钢铁烧结机机头"
    case .steelPelletising: "钢铁球团焙烧"
    case .steelOther: "钢铁其他有组织源"
    case .coalBoiler: "燃煤锅炉"
    case .gasBoiler: "燃气锅炉"
    case .cementKiln: "水泥窑"
    case .ceramicsKiln: "陶瓷窑炉"
    }
  }

  public var sector: String {
    switch self {
    case .steelSintering, .steelPelletising, .steelOther: "steel"
    case .coalBoiler, .gasBoiler: "boiler"
    case .cementKiln: "cement"
    case .ceramicsKiln: "ceramics"
    }
  }

  /// The rule id of the limits that apply (UL-1 ... UL-6).
  public var limitRule: String {
    switch self {
    case .steelSintering, .steelPelletising: "UL-1"
    case .steelOther: "UL-2"
    case .coalBoiler: "UL-3"
    case .gasBoiler: "UL-4"
    case .cementKiln: "UL-5"
    case .ceramicsKiln: "UL-6"
    }
  }
}

public enum RetrofitStage: String, Vocabulary, Comparable {
  case planned, underConstruction = "under-construction", completed, stableOperation = "stable-operation", assessed,
    verified

  public var label: String {
    switch self {
    case .planned: "计划"
    case .underConstruction: "施工中"
    case .completed: "完工"
    case .stableOperation: "稳定运行"
    case .assessed: "评估监测"
    case .verified: "核实完成"
    }
  }

  var order: Int { RetrofitStage.allCases.firstIndex(of: self) ?? 0 }
  public var next: RetrofitStage? { order + 1 < RetrofitStage.allCases.count ? RetrofitStage.allCases[order + 1] : nil }
  public static func < (lhs: RetrofitStage, rhs: RetrofitStage) -> Bool { lhs.order < rhs.order }
}

public enum Pollutant: String, Vocabulary {
  case pm = "PM", so2 = "SO2", nox = "NOx"
  public var label: String {
    switch self {
    case .pm: "颗粒物"
    case .so2: "二氧化硫"
    case .nox: "氮氧化物"
    }
  }
  public static var aliases: [String: Pollutant] {
    ["pm": .pm, "so2": .so2, "nox": .nox, "颗粒物": .pm, "二氧化硫": .so2, "氮氧化物": .nox]
  }
}

public struct Measurement: Sendable, Hashable {
  public var pollutant: Pollutant
  /// mg/m³ as measured.
  public var concentration: Double
  /// The O₂ percentage the concentration was measured (or reported) at.
  public var oxygen: Double
  public var measuredOn: Day
  public var measuredBy: String

  public init(pollutant: Pollutant, concentration: Double, oxygen: Double, measuredOn: Day, measuredBy: String) {
    self.pollutant = pollutant
    self.concentration = concentration
    self.oxygen = oxygen
    self.measuredOn = measuredOn
    self.measuredBy = measuredBy
  }
}

public struct StageEntry: Sendable, Hashable {
  public var stage: RetrofitStage
  public var on: Day
  public var note: String
  public init(stage: RetrofitStage, on: Day, note: String = "") {
    self.stage = stage
    self.on = on
    self.note = note
  }
}

public struct Retrofit: Sendable, Hashable {
  public var id: Int
  public var facility: String
  public var sourceType: SourceType
  public var capacity: Double
  public var capacityUnit: String
  /// A gas boiler installed under the current standard (Beijing sets a stricter limit for new ones).
  public var newInstallation: Bool
  public var plannedStart: Day
  public var plannedCompletion: Day
  public var assessingBody: String
  public var stages: [StageEntry]
  public var measurements: [Measurement]

  public init(
    id: Int, facility: String, sourceType: SourceType, capacity: Double, capacityUnit: String,
    newInstallation: Bool = false,
    plannedStart: Day, plannedCompletion: Day, assessingBody: String = "", stages: [StageEntry] = [],
    measurements: [Measurement] = []
  ) {
    self.id = id
    self.facility = facility
    self.sourceType = sourceType
    self.capacity = capacity
    self.capacityUnit = capacityUnit
    self.newInstallation = newInstallation
    self.plannedStart = plannedStart
    self.plannedCompletion = plannedCompletion
    self.assessingBody = assessingBody
    self.stages = stages
    self.measurements = measurements
  }

  /// The stage reached on `day` (planned until the first move).
  public func stage(asOf day: Day) -> RetrofitStage {
    stages.filter { $0.on <= day }.map(\.stage).max() ?? .planned
  }

  public func entered(_ stage: RetrofitStage) -> Day? { stages.first { $0.stage == stage }?.on }
}

/// The outcome of `retrofit check`.
public struct RetrofitVerdict: Sendable {
  public var meetsLimits: TraceLine.Outcome
  public var mandated: Bool
  public var deadline: Day?
  public var overdue: Bool
  public var trace: [TraceLine]
}

public enum RetrofitRules {
  /// C_ref = C_meas x (21 - O2_ref) / (21 - O2_meas): a concentration at another O₂ than the limit's.
  public static func convert(_ concentration: Double, from measured: Double, to reference: Double) -> Double {
    concentration * (21 - reference) / (21 - measured)
  }

  /// The parameter key of a limit: `ul.<source>.<pollutant>`; gas boilers also by new or in use.
  public static func limitKey(_ source: SourceType, _ pollutant: Pollutant, newInstallation: Bool) -> String {
    source == .gasBoiler
      ? "ul.gas-boiler.\(newInstallation ? "new" : "in-use").\(pollutant.rawValue)"
      : "ul.\(source.rawValue).\(pollutant.rawValue)"
  }

  /// Checks a stage move: only to the next stage, not before the previous one, and assessment only
  /// after at least a month of stable operation (RULES §7).
  public static func advanceRefusal(_ retrofit: Retrofit, to stage: RetrofitStage, on day: Day) -> String? {
    let current = retrofit.stage(asOf: Day(ordinal: Int.max / 2))
    guard let next = current.next else { return "retrofit \(retrofit.id) is already verified; nothing follows" }
    guard stage == next else {
      return
        """
        retrofit \(retrofit.id) is \(current.rawValue); the next stage is \(next.rawValue), not \(stage.rawValue) \
        (a stage cannot be skipped or repeated)
        """
    }
    if let last = retrofit.stages.map(\.on).max(), day < last {
      return "the date \(day) is before the last stage move (\(last))"
    }
    if stage == .assessed, let stable = retrofit.entered(.stableOperation), day < stable.adding(months: 1) {
      return
        """
        assessment needs at least one month of stable operation: stable since \(stable), so not before \
        \(stable.adding(months: 1))
        """
    }
    return nil
  }

  /// The verdict and trace on `asOf`: limits met, mandated in a key region, deadline, overdue.
  public static func check(_ retrofit: Retrofit, region: String, policy: PolicyBook, asOf: Day) -> RetrofitVerdict {
    let limits = limitLines(retrofit, region: region, policy: policy, asOf: asOf)
    let duty = obligation(retrofit, region: region, policy: policy, asOf: asOf)
    var trace = limits.trace + duty.trace
    var overdue = false
    if let deadline = duty.deadline {
      let line = deadlineLine(retrofit, deadline: deadline, asOf: asOf)
      overdue = line.overdue
      trace.append(line.trace)
    }
    if let line = stabilityLine(retrofit) { trace.append(line) }
    return RetrofitVerdict(
      meetsLimits: limits.meets, mandated: duty.mandated, deadline: duty.deadline, overdue: overdue, trace: trace)
  }

  /// UL-1: each pollutant's latest measurement on or before `asOf`, converted to the limit's
  /// reference O2, against the ultra-low limit in force; and whether all limits are met.
  static func limitLines(_ retrofit: Retrofit, region: String, policy: PolicyBook, asOf: Day) -> (
    trace: [TraceLine], meets: TraceLine.Outcome
  ) {
    var trace: [TraceLine] = []
    var outcomes: [TraceLine.Outcome] = []
    for pollutant in Pollutant.allCases {
      let key = limitKey(retrofit.sourceType, pollutant, newInstallation: retrofit.newInstallation)
      let latest = retrofit.measurements.filter { $0.pollutant == pollutant && $0.measuredOn <= asOf }.max {
        $0.measuredOn < $1.measuredOn
      }
      guard let parameter = policy.lookup(key, region: region, asOf: asOf),
        case .limit(let limit, let referenceO2) = parameter.value
      else {
        trace.append(
          TraceLine(
            retrofit.sourceType.limitRule, .condition, "\(pollutant.rawValue) ultra-low limit",
            fact: latest.map {
              """
              \(Render.formatDecimal($0.concentration, places: 1)) mg/m³ at \
              \(Render.formatDecimal($0.oxygen, places: 1))% O2 on \($0.measuredOn)
              """
            } ?? "no measurement",
            threshold: "no limit in force (\(key))", outcome: .notInForce, clause: ""))
        continue
      }
      guard let latest else {
        outcomes.append(.unknown)
        trace.append(
          TraceLine(
            retrofit.sourceType.limitRule, .condition, "\(pollutant.rawValue) at or under its ultra-low limit",
            fact: "no measurement", threshold: parameter.value.description, outcome: .unknown,
            clause: parameter.citation
          ))
        continue
      }
      var value = latest.concentration
      var fact =
        """
        \(Render.formatDecimal(latest.concentration, places: 2)) mg/m³ at \
        \(Render.formatDecimal(latest.oxygen, places: 1))% O2 on \(latest.measuredOn) by \(latest.measuredBy)
        """
      if let referenceO2, referenceO2 != latest.oxygen {
        value = convert(latest.concentration, from: latest.oxygen, to: referenceO2)
        fact +=
          """
          ; converted to \(Render.formatDecimal(referenceO2, places: 1))% O2: \
          \(Render.formatDecimal(latest.concentration, places: 2)) x (21 - \
          \(Render.formatDecimal(referenceO2, places: 1))) / (21 - \
          \(Render.formatDecimal(latest.oxygen, places: 1))) = \(Render.formatDecimal(value, places: 2)) mg/m³
          """
      }
      // At or under the limit passes; compare on 0.001 mg/m³ to keep decimal inputs exact.
      let outcome: TraceLine.Outcome = (value * 1000).rounded() <= (limit * 1000).rounded() ? .pass : .fail
      outcomes.append(outcome)
      trace.append(
        TraceLine(
          retrofit.sourceType.limitRule, .condition, "\(pollutant.rawValue) at or under its ultra-low limit",
          fact: fact, threshold: "≤ \(parameter.value)", outcome: outcome, clause: parameter.citation))
    }
    let meets: TraceLine.Outcome
    if outcomes.isEmpty {
      meets = .notInForce
    } else if outcomes.contains(.fail) {
      meets = .fail
    } else if outcomes.contains(.unknown) {
      meets = .unknown
    } else {
      meets = .pass
    }
    return (trace, meets)
  }

  /// UL-O1..O3: whether the source is mandated in a key region on `asOf`, with its deadline.
  static func obligation(_ retrofit: Retrofit, region: String, policy: PolicyBook, asOf: Day) -> (
    trace: [TraceLine], mandated: Bool, deadline: Day?
  ) {
    let sets = KeyRegions.membership(of: region, on: asOf)
    let inKeyRegion = !sets.isEmpty
    let regionFact =
      inKeyRegion
      ? "\(region) in \(sets.map(\.name).joined(separator: ", ")) on \(asOf)" : "\(region) in no key region on \(asOf)"
    func line(
      _ rule: String, _ description: String, applies: Bool, factExtra: String, threshold: String, deadlineKey: String
    ) -> (trace: [TraceLine], mandated: Bool, deadline: Day?) {
      let parameter = policy.lookup(deadlineKey, region: region, asOf: asOf)
      var due: Day?
      if case .day(let day)? = parameter?.value { due = day }
      let trace = TraceLine(
        rule, .category, description, fact: regionFact + factExtra,
        threshold: threshold + (due.map { "; deadline \($0)" } ?? ""), outcome: applies ? .pass : .fail,
        clause: parameter.map(\.citation) ?? "")
      return ([trace], applies, applies ? due : nil)
    }
    switch retrofit.sourceType {
    case .coalBoiler:
      let minimum = policy.lookup("ul.o1.min_capacity_th", region: region, asOf: asOf)?.value.integer ?? 65
      let large = retrofit.capacityUnit == "t/h" && retrofit.capacity >= Double(minimum)
      return line(
        "UL-O1", "coal-fired boiler of \(minimum) t/h or more in a key region: energy-saving and ultra-low retrofit",
        applies: inKeyRegion && large,
        factExtra: "; capacity \(Render.formatDecimal(retrofit.capacity, places: 1)) \(retrofit.capacityUnit)",
        threshold: "≥ \(minimum) t/h in a key region", deadlineKey: "ul.o1.deadline")
    case .gasBoiler:
      return line(
        "UL-O2", "gas boiler in a key region: low-NOx retrofit", applies: inKeyRegion, factExtra: "",
        threshold: "in a key region", deadlineKey: "ul.o2.deadline")
    case .steelSintering, .steelPelletising, .steelOther:
      return line(
        "UL-O3", "steel in a key region: ultra-low retrofit (60% of capacity by 2020, basically all by 2025)",
        applies: inKeyRegion, factExtra: "", threshold: "in a key region", deadlineKey: "ul.o3.deadline")
    case .cementKiln, .ceramicsKiln:
      return ([], false, nil)
    }
  }

  /// A mandated retrofit is verified by its deadline: overdue once the deadline has passed unverified.
  static func deadlineLine(_ retrofit: Retrofit, deadline: Day, asOf: Day) -> (trace: TraceLine, overdue: Bool) {
    let verifiedOn = retrofit.entered(.verified)
    let overdue = asOf > deadline && !(verifiedOn.map { $0 <= asOf } ?? false)
    let late = verifiedOn.map { $0 > deadline } ?? false
    let line = TraceLine(
      "UL-O", .condition, "mandated retrofit verified by its deadline",
      fact: "stage \(retrofit.stage(asOf: asOf).rawValue)" + (verifiedOn.map { ", verified \($0)" } ?? ""),
      threshold: "verified by \(deadline)",
      outcome: overdue || late ? .fail : (asOf <= deadline && verifiedOn == nil ? .unknown : .pass),
      clause: "RULES §7 obligations")
    return (line, overdue)
  }

  /// UL-S: at least one month of stable operation before the assessment, when both are recorded.
  static func stabilityLine(_ retrofit: Retrofit) -> TraceLine? {
    guard let stable = retrofit.entered(.stableOperation), let assessed = retrofit.entered(.assessed) else {
      return nil
    }
    let ok = assessed >= stable.adding(months: 1)
    return TraceLine(
      "UL-S", .condition, "at least one month of stable operation before assessment",
      fact: "stable from \(stable), assessed \(assessed)",
      threshold: "assessed on or after \(stable.adding(months: 1))", outcome: ok ? .pass : .fail, clause: "RULES §7")
  }

}

/// `retrofit progress`: counts and capacity by stage per province and sector, the verified share of
/// steel capacity in each key region against the UL-O3 targets, and the overdue mandated projects.
public enum RetrofitProgress {
  public static func report(
    _ projects: [(retrofit: Retrofit, owner: String, name: String, region: String)], policy: PolicyBook, asOf: Day,
    divisions: Divisions = .bundled
  ) -> Fields {
    // 1. By province, sector and stage.
    struct Key: Hashable { var province: String; var sector: String; var stage: RetrofitStage; var unit: String }
    var groups: [Key: (count: Int, capacity: Double)] = [:]
    for p in projects {
      let key = Key(
        province: String(p.region.prefix(2)) + "0000", sector: p.retrofit.sourceType.sector,
        stage: p.retrofit.stage(asOf: asOf), unit: p.retrofit.capacityUnit)
      groups[key, default: (0, 0)].count += 1
      groups[key, default: (0, 0)].capacity += p.retrofit.capacity
    }
    let byStage: [Value] = groups.keys.sorted {
      ($0.province, $0.sector, $0.stage, $0.unit) < ($1.province, $1.sector, $1.stage, $1.unit)
    }.map { key in
      let group = groups[key] ?? (0, 0)
      return .record(
        Fields([
          ("province", .text(key.province)), ("province_name", .text(divisions.lookup(key.province)?.name ?? "")),
          ("sector", .text(key.sector)),
          ("stage", .text(key.stage.rawValue)), ("projects", .int(group.count)),
          ("capacity", .decimal(group.capacity, places: 1)), ("unit", .text(key.unit)),
        ]))
    }

    // 2. Steel: verified share of capacity per key-region set in force, against the 2020 and 2025 targets.
    var target2020 = 6000
    if case .basisPoints(let bp)? = policy.lookup("ul.o3.target_2020", region: "", asOf: asOf)?.value {
      target2020 = bp
    }
    let steel: [Value] = KeyRegions.inForce(on: asOf).map { set in
      let inSet = projects.filter { $0.retrofit.sourceType.sector == "steel" && set.contains($0.region) }
      let total = inSet.reduce(0) { $0 + $1.retrofit.capacity }
      let verified = inSet.filter { $0.retrofit.stage(asOf: asOf) == .verified }.reduce(0) { $0 + $1.retrofit.capacity }
      let share = total > 0 ? verified / total * 100 : 0
      return .record(
        Fields([
          ("key_region", .text(set.name)), ("steel_projects", .int(inSet.count)),
          ("steel_capacity", .decimal(total, places: 1)), ("verified_capacity", .decimal(verified, places: 1)),
          ("verified_share_percent", .decimal(share, places: 1)),
          (
            "target_2020",
            .text(
              "\(target2020 / 100)% by 2020-12-31: \(total == 0 ? "no steel" : share * 100 >= Double(target2020) ? "met" : "not met")"
            )
          ),
          (
            "target_2025",
            .text(
              "100% by 2025-12-31: \(total == 0 ? "no steel" : verified >= total ? "met" : asOf > Day(year: 2025, month: 12, day: 31) ?? asOf ? "not met" : "open")"
            )
          ),
        ]))
    }

    // 3. Overdue mandated projects.
    let overdue: [Value] = projects.compactMap { p in
      let verdict = RetrofitRules.check(p.retrofit, region: p.region, policy: policy, asOf: asOf)
      guard verdict.overdue else { return nil }
      return .record(
        Report.retrofitRow(p.retrofit, owner: p.owner, name: p.name, region: p.region, verdict: verdict, asOf: asOf))
    }
    return Fields([
      ("as_of", .day(asOf)), ("projects", .int(projects.count)), ("by_stage", .list(byStage)),
      ("steel_in_key_regions", .list(steel)), ("overdue_mandated", .list(overdue)),
    ])
  }
}

extension RetrofitRules {
  /// A retrofit project as it may be recorded: a named facility, a non-negative capacity in t/h, t/a
  /// or MW, completion planned no earlier than the start.
  public static func recordProblem(_ r: Retrofit) -> FieldProblem? {
    if r.facility.trimmingSpaces().isEmpty {
      return FieldProblem(field: "facility", value: "", reason: "a retrofit names its facility (e.g. 1号烧结机)")
    }
    if !r.capacity.isFinite || r.capacity < 0 {
      return FieldProblem(field: "capacity", value: String(r.capacity), reason: "must be a non-negative number")
    }
    if !["t/h", "t/a", "MW"].contains(r.capacityUnit) {
      return FieldProblem(field: "capacity_unit", value: r.capacityUnit, reason: "must be t/h, t/a or MW")
    }
    if r.plannedCompletion < r.plannedStart {
      return FieldProblem(
        field: "planned_completion", value: r.plannedCompletion.description,
        reason: "is before planned_start \(r.plannedStart)")
    }
    return nil
  }
  /// A stack measurement as it may be recorded: a concentration of at least zero, O2 in [0, 21) %.
  public static func measurementProblem(_ m: Measurement) -> FieldProblem? {
    guard m.concentration.isFinite, m.concentration >= 0, m.oxygen >= 0, m.oxygen < 21 else {
      return FieldProblem(
        field: "measurement", value: "\(m.concentration) mg/m³ at \(m.oxygen)% O2",
        reason: "concentration must be ≥ 0 and O2 between 0 and 21%")
    }
    return nil
  }
}
