/// RULES §10: the heavy-pollution-weather emergency reduction list (重污染天气应急减排清单). Pure
/// functions of a firm's facts, the alerts and dated parameters; every measure carries its trace.

/// An alert level (HW-1): 黄 Ⅲ, 橙 Ⅱ, 红 Ⅰ.
public enum AlertLevel: String, Sendable, CaseIterable, Comparable {
  case yellow, orange, red

  public var label: String {
    switch self {
    case .yellow: "黄色（Ⅲ级）"
    case .orange: "橙色（Ⅱ级）"
    case .red: "红色（Ⅰ级）"
    }
  }

  public static func < (a: AlertLevel, b: AlertLevel) -> Bool {
    allCases.firstIndex(of: a) ?? 0 < allCases.firstIndex(of: b) ?? 0
  }

  /// The next lower level (HW-8 for a general firm); nil below yellow.
  public var lower: AlertLevel? {
    switch self {
    case .yellow: nil
    case .orange: .yellow
    case .red: .orange
    }
  }
}

/// An alert (HW-1) over a region (a GB/T 2260 prefix) from a day to its last day in force (open
/// until lifted when nil).
public struct WeatherAlert: Sendable, Hashable {
  public var id: Int
  public var region: String
  public var level: AlertLevel
  public var from: Day
  public var to: Day?
  public var issuer: String
  public var reference: String

  public init(id: Int = 0, region: String, level: AlertLevel, from: Day, to: Day?, issuer: String, reference: String) {
    self.id = id
    self.region = region
    self.level = level
    self.from = from
    self.to = to
    self.issuer = issuer
    self.reference = reference
  }

  /// Whether the alert covers a site in `regionCode` on `day`.
  public func covers(_ regionCode: String, on day: Day) -> Bool {
    regionCode.hasPrefix(region) && from <= day && (to.map { day <= $0 } ?? true)
  }
}

/// A firm's listing (HW-2): a key industry of 340号 (graded) or a general firm.
public enum WeatherClass: String, Sendable {
  case key, general
  public var label: String { self == .key ? "重点行业" : "一般企业" }
}

/// What a firm does under one alert level.
public struct WeatherMeasure: Sendable, Hashable {
  /// The reduction of its emissions in basis points (0: 自主减排; 10000: 停产); nil for a 保障类
  /// firm (以热定产/以量定产) or a firm with no measure.
  public var reductionBasisPoints: Int?
  public var text: String

  public static let noMeasure = WeatherMeasure(reductionBasisPoints: nil, text: "不采取减排措施")
  public static let guarantee = WeatherMeasure(reductionBasisPoints: nil, text: "保障类：以热定产/以量定产")

  public init(reductionBasisPoints: Int?, text: String) {
    self.reductionBasisPoints = reductionBasisPoints
    self.text = text
  }

  static func reduction(_ basisPoints: Int) -> WeatherMeasure {
    switch basisPoints {
    case ...0: WeatherMeasure(reductionBasisPoints: 0, text: "自主减排")
    case 10_000...: WeatherMeasure(reductionBasisPoints: 10_000, text: "停产")
    default: WeatherMeasure(reductionBasisPoints: basisPoints, text: "限产 \(ParameterValue.basisPoints(basisPoints))")
    }
  }

  /// Whether the firm has something to do (HW output (b): measure ≠ none; 自主减排 is nothing mandatory).
  public var isMandatory: Bool { reductionBasisPoints.map { $0 > 0 } ?? (self == .guarantee) }
}

/// A firm's line of the list: its class and grade, each level's measure, and the trace.
public struct WeatherLine: Sendable {
  public var weatherClass: WeatherClass
  /// The grade the measures follow (after HW-3's ungraded rule and HW-8's shift).
  public var grade: PerformanceGrade?
  public var guarantee: Bool
  public var exempt: Bool
  public var measures: [AlertLevel: WeatherMeasure]
  public var trace: [TraceLine]
}

public enum WeatherRules {
  public static let keyIndustriesKey = "hw.key_industries"
  public static let memberMeasureKey = "hw.member_measure"
  public static func reductionKey(_ grade: String, _ level: AlertLevel) -> String {
    "hw.reduction.\(grade).\(level.rawValue)"
  }

  /// HW-1: the highest level of the alerts covering `regionCode` on `day`.
  public static func level(_ alerts: [WeatherAlert], regionCode: String, on day: Day) -> WeatherAlert? {
    alerts.filter { $0.covers(regionCode, on: day) }.max { $0.level < $1.level }
  }

  /// HW-2 … HW-9: a firm's measures at each level on `day` (the list version in force on `day`).
  public static func line(_ facts: FirmFacts, policy: PolicyBook, on day: Day) -> WeatherLine {
    let firm = facts.enterprise
    let region = firm.regionCode
    var trace: [TraceLine] = []
    // HW-2: key industry or general.
    let industries = policy.lookup(keyIndustriesKey, region: region, asOf: day)
    let keyMatch = (industries?.value.codes ?? []).first { firm.industryCode.hasPrefix($0) }
    let weatherClass: WeatherClass = keyMatch == nil ? .general : .key
    trace.append(
      TraceLine(
        "HW-2", .category, "listed as a key industry of 340号 (graded) or a general firm",
        fact: "industry \(firm.industryCode)", threshold: "key industries \(industries?.value.description ?? "-")",
        outcome: keyMatch == nil ? .fail : .pass, clause: industries.map(\.citation) ?? ""))
    // HW-3: the grade; an ungraded key-industry firm takes its industry's lowest grade (D).
    var grade: PerformanceGrade? = nil
    if weatherClass == .key {
      grade = firm.grade == .unrated ? .d : firm.grade
      trace.append(
        TraceLine(
          "HW-3", .condition, "performance grade (an ungraded firm: its industry's lowest, D)",
          fact: "grade \(firm.grade.rawValue)", threshold: "grade used \(grade?.rawValue ?? "-")", outcome: .pass,
          clause: "环办大气函〔2020〕340号; 环办大气〔2026〕2号"))
    }
    // HW-7: 保障类 designation in force.
    let guarantee = facts.designations.contains { $0.kind == .weatherGuarantee && $0.isInForce(asOf: day) }
    trace.append(
      TraceLine(
        "HW-7", .category, "保障类 designation in force (以热定产/以量定产)",
        fact: guarantee ? "designated" : "no 保障类 designation", threshold: "weather-guarantee in force",
        outcome: guarantee ? .pass : .fail, clause: "HW-7 (local)"))
    // HW-8: an inspection-exempt member on the day.
    let exempt = facts.memberships.contains { $0.list == .inspectionExemption && $0.isMember(asOf: day) }
    let memberRule = policy.lookup(memberMeasureKey, region: region, asOf: day)
    let memberMeasure = memberRule?.value.codes?.first ?? "asGraded"
    trace.append(
      TraceLine(
        "HW-8", .condition, "a §3 member takes no or fewer measures (27号 二(二))",
        fact: exempt ? "member of the inspection-exemption list" : "not a member",
        threshold: "members: \(memberMeasure)", outcome: exempt ? .pass : .fail,
        clause: memberRule.map(\.citation) ?? ""))
    // HW-9: the measure at each level.
    var measures: [AlertLevel: WeatherMeasure] = [:]
    var shifted = grade
    if exempt && memberMeasure == "lighter", let current = grade { shifted = lighter(current) }
    /// The measure a reduction parameter gives (HW-4 by grade, HW-5 for general firms), traced.
    func reduction(_ rule: String, _ description: String, fact: String, key: String) -> WeatherMeasure {
      let parameter = policy.lookup(key, region: region, asOf: day)
      trace.append(
        TraceLine(
          rule, .condition, description, fact: fact,
          threshold: parameter?.value.description ?? "no value in force (\(key))",
          outcome: parameter == nil ? .unknown : .pass, clause: parameter.map(\.citation) ?? ""))
      return parameter?.value.basisPointsValue.map(WeatherMeasure.reduction) ?? .noMeasure
    }
    for level in AlertLevel.allCases {
      if exempt && memberMeasure == "none" {
        measures[level] = .noMeasure
      } else if guarantee {
        measures[level] = .guarantee
      } else if weatherClass == .key, let used = shifted {
        measures[level] = reduction(
          "HW-4", "measure of grade \(used.rawValue) at \(level.rawValue)", fact: "grade \(used.rawValue)",
          key: reductionKey(used.rawValue, level))
      } else if let used = exempt && memberMeasure == "lighter" ? level.lower : level {
        // HW-5: general firms by level; a member's `lighter` takes the next lower level's measure.
        measures[level] = reduction(
          "HW-5", "general firm's measure at \(used.rawValue)", fact: "general firm", key: reductionKey("general", used)
        )
      } else {
        measures[level] = .noMeasure
      }
    }
    return WeatherLine(
      weatherClass: weatherClass, grade: shifted, guarantee: guarantee, exempt: exempt, measures: measures, trace: trace
    )
  }

  /// HW-8 `lighter`: one grade better (D→C→B→A; 引领性 and A stay).
  public static func lighter(_ grade: PerformanceGrade) -> PerformanceGrade {
    switch grade {
    case .d: .c
    case .c: .b
    case .b: .a
    case .a, .leading, .unrated: grade
    }
  }
}

extension ParameterValue {
  /// A percentage's basis points, nil for any other kind.
  public var basisPointsValue: Int? {
    if case .basisPoints(let value) = self { return value }
    return nil
  }
}

/// The pollutants HW-6 weighs (SO2, NOx, PM, VOCs).
public enum WeatherPollutant: String, Sendable, CaseIterable {
  case so2 = "SO2", nox = "NOx", pm = "PM", vocs = "VOCs"
}

/// A firm's annual emissions of one pollutant in kilograms (HW-6's weight), with its year.
public struct EmissionBaseline: Sendable, Hashable {
  public var pollutant: WeatherPollutant
  public var year: Int
  public var kilograms: Int
  public var reference: String

  public init(pollutant: WeatherPollutant, year: Int, kilograms: Int, reference: String) {
    self.pollutant = pollutant
    self.year = year
    self.kilograms = kilograms
    self.reference = reference
  }
}

extension WeatherRules {
  public static func regionCheckKey(_ level: AlertLevel) -> String { "hw.region_check.\(level.rawValue)" }

  /// HW-6: for each pollutant and level, the listed reductions (each firm's baseline × its measure's
  /// ratio; a 保障类 or unlisted measure counts as no reduction) against the share the level requires
  /// of the region's emissions (the listed firms' baselines). A firm of the list without a baseline
  /// for the pollutant makes the check unknown; a shortfall is a warning (`fail`).
  public static func regionCheck(
    _ rows: [(line: WeatherLine, baselines: [WeatherPollutant: Int])], policy: PolicyBook, region: String, on day: Day
  ) -> [TraceLine] {
    var lines: [TraceLine] = []
    for pollutant in WeatherPollutant.allCases {
      let missing = rows.filter { $0.baselines[pollutant] == nil }.count
      let total = rows.reduce(0) { $0 &+ ($1.baselines[pollutant] ?? 0) }
      for level in AlertLevel.allCases {
        let key = regionCheckKey(level)
        guard let parameter = policy.lookup(key, region: region, asOf: day),
          let required = parameter.value.basisPointsValue
        else { continue }
        // Σ baseline × bp, in kilogram basis points (an overflow is refused as unknown below).
        var reduced = 0
        var overflow = false
        for row in rows {
          guard let baseline = row.baselines[pollutant], let bp = row.line.measures[level]?.reductionBasisPoints else {
            continue
          }
          let (part, over) = baseline.multipliedReportingOverflow(by: bp)
          let (sum, over2) = reduced.addingReportingOverflow(part)
          overflow = overflow || over || over2
          reduced = sum
        }
        let outcome: TraceLine.Outcome
        let share: String
        if missing > 0 || total == 0 || overflow {
          outcome = .unknown
          share =
            missing > 0
            ? "\(missing) firm(s) without a \(pollutant.rawValue) baseline"
            : "no \(pollutant.rawValue) emissions listed"
        } else {
          let basisPoints = reduced / total
          outcome = basisPoints >= required ? .pass : .fail
          share = "\(ParameterValue.basisPoints(basisPoints)) of \(total) kg"
        }
        lines.append(
          TraceLine(
            "HW-6", .condition, "\(pollutant.rawValue) reduction at \(level.rawValue) against the region's emissions",
            fact: share, threshold: "≥ \(ParameterValue.basisPoints(required))", outcome: outcome,
            clause:
              "\(parameter.reference) [\(parameter.key)@\(parameter.jurisdiction) from \(parameter.effectiveFrom)]"))
      }
    }
    return lines
  }
}
