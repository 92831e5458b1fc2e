/// RULES §9: the 双随机 inspection draw. Pure functions of values: the pool from the firms' facts
/// (RD-1), the quotas from dated parameters (RD-2), the picks and inspectors from a seeded generator
/// over a stored snapshot (RD-3, RD-4), so that anyone can replay a draw from what was stored.

/// A draw's stratum (RD-2): key discharge units and 重点管理 holders, 简化管理 holders, and the
/// rest. A firm with a clean record (no penalty in the look-back window) is drawn in the clean half
/// of its stratum, at half the ratio.
public enum DrawStratum: String, Sendable, CaseIterable, Comparable {
  case key, simplified, general

  public var label: String {
    switch self {
    case .key: "重点排污单位及重点管理"
    case .simplified: "简化管理"
    case .general: "一般企业"
    }
  }

  public static func < (a: DrawStratum, b: DrawStratum) -> Bool {
    allCases.firstIndex(of: a) ?? 0 < allCases.firstIndex(of: b) ?? 0
  }

  /// The stratum of a firm: key when it is a key discharge unit or holds 重点管理, simplified for
  /// 简化管理, general otherwise (a class never supplied is drawn as general, and the pool says so).
  public static func of(_ firm: Enterprise) -> DrawStratum {
    if firm.keyDischargeUnit == true || firm.permitClass == .key { return .key }
    if firm.permitClass == .simplified { return .simplified }
    return .general
  }
}

/// A sub-stratum of the draw: a stratum and whether its firms have a clean record (RD-2).
public struct DrawGroup: Sendable, Hashable, Comparable, CustomStringConvertible {
  public var stratum: DrawStratum
  public var clean: Bool

  public init(_ stratum: DrawStratum, clean: Bool) {
    self.stratum = stratum
    self.clean = clean
  }

  /// `key`, `key-clean`, `simplified`, … as stored.
  public var description: String { stratum.rawValue + (clean ? "-clean" : "") }

  public init?(_ text: String) {
    let clean = text.hasSuffix("-clean")
    guard let stratum = DrawStratum(rawValue: clean ? String(text.dropLast(6)) : text) else { return nil }
    self.init(stratum, clean: clean)
  }

  public var label: String { stratum.label + (clean ? "（守法记录良好）" : "") }

  public static func < (a: DrawGroup, b: DrawGroup) -> Bool {
    a.stratum != b.stratum ? a.stratum < b.stratum : (!a.clean && b.clean)
  }

  public static let all: [DrawGroup] = DrawStratum.allCases.flatMap {
    [DrawGroup($0, clean: false), DrawGroup($0, clean: true)]
  }
}

/// A draw period: a calendar quarter (`2026Q4`), the period the RD-2 ratios are set for.
public struct DrawPeriod: Sendable, Hashable, CustomStringConvertible {
  public let year: Int
  public let quarter: Int

  public init?(_ text: String) {
    let parts = text.uppercased().split(separator: "Q")
    guard parts.count == 2, parts[0].count == 4, let year = Int(parts[0]), (1...9999).contains(year),
      let quarter = Int(parts[1]), (1...4).contains(quarter)
    else { return nil }
    self.year = year
    self.quarter = quarter
  }

  public var description: String { "\(year)Q\(quarter)" }
  public var first: Day { Day(year: year, month: 3 * quarter - 2, day: 1) ?? Day(ordinal: 0) }
  public var last: Day { first.adding(months: 3).adding(days: -1) }
  public func contains(_ day: Day) -> Bool { first <= day && day <= last }
  public static let refusal = "is not a quarter: write YYYYQn, e.g. 2026Q4"
}

/// An inspector of the roster (RD-4), with the firms they declared a conflict with.
public struct Inspector: Sendable, Hashable {
  public var staffNo: String
  public var name: String
  public var unit: String
  public var regionCode: String
  public var certificate: String
  public var active: Bool
  public var conflicts: Set<String>

  public init(
    staffNo: String, name: String, unit: String, regionCode: String, certificate: String, active: Bool = true,
    conflicts: Set<String> = []
  ) {
    self.staffNo = staffNo
    self.name = name
    self.unit = unit
    self.regionCode = regionCode
    self.certificate = certificate
    self.active = active
    self.conflicts = conflicts
  }
}

/// One firm of a draw's pool as the snapshot keeps it.
public struct DrawCandidate: Sendable, Hashable {
  public var code: String
  public var group: DrawGroup
  /// The firm's site (RD-4: its inspectors are of a division covering it).
  public var regionCode: String
  public init(code: String, group: DrawGroup, regionCode: String) {
    self.code = code
    self.group = group
    self.regionCode = regionCode
  }
}

/// Why a firm of the jurisdiction is not in the pool (RD-1), for the pool's trace.
public enum PoolExclusion: String, Sendable, CaseIterable {
  case inactive, exempt = "inspection-exempt", inspected = "inspected-in-period"
}

/// A group's quota (RD-2): its pool, ratio, minimum and how many are drawn, with the parameter's clause.
public struct DrawQuota: Sendable, Hashable {
  public var group: DrawGroup
  public var pool: Int
  public var ratioBasisPoints: Int
  public var minimum: Int
  public var quota: Int
  public var clause: String

  public init(group: DrawGroup, pool: Int, ratioBasisPoints: Int, minimum: Int, quota: Int, clause: String) {
    self.group = group
    self.pool = pool
    self.ratioBasisPoints = ratioBasisPoints
    self.minimum = minimum
    self.quota = quota
    self.clause = clause
  }

  /// The chance of each firm of the group being drawn.
  public var probability: Double { pool == 0 ? 0 : Double(quota) / Double(pool) }
}

/// A picked firm and its inspectors (staff numbers).
public struct DrawPick: Sendable, Hashable {
  public var code: String
  public var group: DrawGroup
  public var inspectors: [String]
  public init(code: String, group: DrawGroup, inspectors: [String]) {
    self.code = code
    self.group = group
    self.inspectors = inspectors
  }
}

/// What a draw stores (RD-3): enough to replay it with another tool.
public struct DrawSnapshot: Sendable, Hashable {
  public var jurisdiction: String
  public var period: DrawPeriod
  public var drawnOn: Day
  public var seed: UInt64
  /// The pool, sorted by credit code.
  public var pool: [DrawCandidate]
  /// The roster: active inspectors of the jurisdiction with their conflicts, sorted by staff number.
  public var roster: [Inspector]
  public var quotas: [DrawQuota]
  public var inspectorsPerFirm: Int

  public init(
    jurisdiction: String, period: DrawPeriod, drawnOn: Day, seed: UInt64, pool: [DrawCandidate], roster: [Inspector],
    quotas: [DrawQuota], inspectorsPerFirm: Int
  ) {
    self.jurisdiction = jurisdiction
    self.period = period
    self.drawnOn = drawnOn
    self.seed = seed
    self.pool = pool
    self.roster = roster
    self.quotas = quotas
    self.inspectorsPerFirm = inspectorsPerFirm
  }
}

/// The draw's generator (RD-3), specified so any tool can replay it: SplitMix64 from the seed
/// (`SeededGenerator`); `below(n)` takes the next 64-bit output x and returns ⌊x · n / 2⁶⁴⌋ (the high
/// word of the 128-bit product).
public struct DrawGenerator: Sendable {
  private var source: SeededGenerator
  public init(seed: UInt64) { source = SeededGenerator(seed: seed) }

  public mutating func next() -> UInt64 { source.next() }

  /// A number in 0..<n (n > 0).
  public mutating func below(_ n: Int) -> Int {
    Int(next().multipliedFullWidth(by: UInt64(n)).high)
  }

  /// The first `count` of `items` after a partial Fisher–Yates shuffle: for i in 0..<count, swap
  /// item i with item i + below(n − i).
  public mutating func choose<T>(_ count: Int, from items: [T]) -> [T] {
    var items = items
    let count = min(count, items.count)
    for i in 0..<count {
      let j = i + below(items.count - i)
      items.swapAt(i, j)
    }
    return Array(items.prefix(count))
  }
}

public enum DrawRules {
  /// RD-2 parameter keys: the ratio per stratum and period, the minimum, the clean-record window.
  public static func ratioKey(_ stratum: DrawStratum) -> String { "rd.ratio.\(stratum.rawValue)" }
  public static let minimumKey = "rd.minimum"
  public static let cleanYearsKey = "rd.clean_record.years"
  public static let inspectorsKey = "rd.inspectors_per_firm"

  /// RD-1: whether a firm of the jurisdiction enters the pool on `drawnOn`, and if not, why. `inspected`
  /// holds the firms already inspected (or drawn) in the period.
  public static func exclusion(_ facts: FirmFacts, drawnOn: Day, inspected: Set<String>) -> PoolExclusion? {
    let firm = facts.enterprise
    if firm.status != .active || (firm.closedOn.map { $0 <= drawnOn } ?? false) || firm.registeredOn > drawnOn {
      return .inactive
    }
    // Members of the inspection-exemption list on the draw date are checked off-site (27号 二(二)).
    if facts.memberships.contains(where: { $0.list == .inspectionExemption && $0.isMember(asOf: drawnOn) }) {
      return .exempt
    }
    if inspected.contains(firm.creditCode.value) { return .inspected }
    return nil
  }

  /// RD-2: a clean record is no environmental administrative penalty within the window ending on
  /// the draw date (2 years by default).
  public static func isClean(_ facts: FirmFacts, drawnOn: Day, years: Int) -> Bool {
    let window = lookBackWindow(years: years, endingOn: drawnOn)
    return !facts.penaltiesDecided.contains { window.contains($0) }
  }

  /// The pool entry of a firm that is in the pool; with no clean-record window in force (before
  /// 27号) no firm is drawn at the halved ratio.
  public static func candidate(_ facts: FirmFacts, drawnOn: Day, cleanYears: Int?) -> DrawCandidate {
    DrawCandidate(
      code: facts.enterprise.creditCode.value,
      group: DrawGroup(
        DrawStratum.of(facts.enterprise),
        clean: cleanYears.map { isClean(facts, drawnOn: drawnOn, years: $0) } ?? false),
      regionCode: facts.enterprise.regionCode)
  }

  /// RD-2: the quota of each group: ⌈pool × ratio⌉ (half the stratum's ratio for the clean half),
  /// at least the minimum while the pool has firms, never more than the pool.
  public static func quotas(
    pool: [DrawCandidate], policy: PolicyBook, region: String, drawnOn: Day
  ) throws -> [DrawQuota] {
    var sizes: [DrawGroup: Int] = [:]
    for candidate in pool { sizes[candidate.group, default: 0] += 1 }
    let minimum = policy.lookup(minimumKey, region: region, asOf: drawnOn)
    return try DrawGroup.all.map { group in
      guard let ratio = policy.lookup(ratioKey(group.stratum), region: region, asOf: drawnOn),
        case .basisPoints(let stratumRatio) = ratio.value
      else {
        throw RegistryError.refused(
          "No draw ratio (\(ratioKey(group.stratum))) is in force on \(drawnOn) for region \(region) (RD-2).")
      }
      let basisPoints = group.clean ? stratumRatio / 2 : stratumRatio
      let size = sizes[group] ?? 0
      let least = min(minimum?.value.integer ?? 0, size)
      // ⌈size × bp / 10000⌉ in integers.
      let (product, overflow) = size.multipliedReportingOverflow(by: basisPoints)
      let byRatio = overflow ? size : (product + 9_999) / 10_000
      let quota = min(size, max(least, byRatio))
      let clauses = [ratio] + (minimum.map { [$0] } ?? [])
      let versions = clauses.map { "\($0.key)@\($0.jurisdiction) from \($0.effectiveFrom)" }.joined(separator: ", ")
      return DrawQuota(
        group: group, pool: size, ratioBasisPoints: basisPoints, minimum: minimum?.value.integer ?? 0, quota: quota,
        clause: "\(ratio.reference) [\(versions)]")
    }
  }

  /// RD-3, RD-4: the picks of a snapshot. For each group in order (key, key-clean, simplified, …)
  /// its quota is chosen from its pool (sorted by credit code) by the generator; then, for each
  /// pick in that order, `inspectorsPerFirm` inspectors are chosen from the active roster (sorted by
  /// staff number) whose division covers the firm's site, less those with a conflict with the firm.
  /// Throws when a firm cannot get enough.
  public static func picks(_ snapshot: DrawSnapshot) throws -> [DrawPick] {
    var generator = DrawGenerator(seed: snapshot.seed)
    var chosen: [DrawCandidate] = []
    let pool = snapshot.pool.sorted { $0.code < $1.code }
    for quota in snapshot.quotas.sorted(by: { $0.group < $1.group }) {
      chosen += generator.choose(quota.quota, from: pool.filter { $0.group == quota.group })
    }
    var picks = chosen.map { DrawPick(code: $0.code, group: $0.group, inspectors: []) }
    let roster = snapshot.roster.filter(\.active).sorted { $0.staffNo < $1.staffNo }
    for index in picks.indices {
      // Inspectors of a division covering the firm's site, with no conflict declared with it.
      let free = roster.filter {
        chosen[index].regionCode.hasPrefix(Divisions.prefix(of: $0.regionCode))
          && !$0.conflicts.contains(picks[index].code)
      }
      guard free.count >= snapshot.inspectorsPerFirm else {
        throw RegistryError.refused(
          """
          \(picks[index].code) needs \(snapshot.inspectorsPerFirm) inspectors of its area without a conflict and \
          the roster has \(free.count) (RD-4); add inspectors with 'envreg inspector add'.
          """)
      }
      picks[index].inspectors = generator.choose(snapshot.inspectorsPerFirm, from: free).map(\.staffNo).sorted()
    }
    return picks
  }

  /// Whether an inspector's region serves a draw's jurisdiction: one lies inside the other (a
  /// provincial inspector serves a city's draw; a city's inspector serves its province's draw).
  public static func serves(_ inspector: Inspector, jurisdiction: String) -> Bool {
    inspector.regionCode.hasPrefix(jurisdiction)
      || jurisdiction.hasPrefix(Divisions.prefix(of: inspector.regionCode))
  }
}

/// How a draw's snapshot is stored (RD-3): each part a JSON array of strings, one per line of a
/// tab-separated record, so that any tool reads it back.
///   pool:   "CODE<TAB>group<TAB>region"               (group: key, key-clean, simplified, …)
///   roster: "STAFF_NO<TAB>name<TAB>unit<TAB>region<TAB>certificate<TAB>CODE,CODE…" (its conflicts)
///   quotas: "group<TAB>pool<TAB>ratio_bp<TAB>minimum<TAB>quota<TAB>clause"
public enum DrawCodec {
  public static func encode(pool: [DrawCandidate]) -> String {
    array(pool.map { "\($0.code)\t\($0.group)\t\($0.regionCode)" })
  }

  public static func encode(roster: [Inspector]) -> String {
    array(
      roster.map {
        [$0.staffNo, $0.name, $0.unit, $0.regionCode, $0.certificate, $0.conflicts.sorted().joined(separator: ",")]
          .joined(separator: "\t")
      })
  }

  public static func encode(quotas: [DrawQuota]) -> String {
    array(
      quotas.map {
        ["\($0.group)", "\($0.pool)", "\($0.ratioBasisPoints)", "\($0.minimum)", "\($0.quota)", $0.clause]
          .joined(separator: "\t")
      })
  }

  public static func encode(inspectors: [String]) -> String { array(inspectors) }

  static func array(_ items: [String]) -> String {
    "[" + items.map(Render.jsonString).joined(separator: ",") + "]"
  }

  public static func pool(_ json: String) -> [DrawCandidate]? {
    guard let items = strings(json) else { return nil }
    var pool: [DrawCandidate] = []
    for item in items {
      let parts = item.split(separator: "\t", omittingEmptySubsequences: false)
      guard parts.count == 3, let group = DrawGroup(String(parts[1])) else { return nil }
      pool.append(DrawCandidate(code: String(parts[0]), group: group, regionCode: String(parts[2])))
    }
    return pool
  }

  public static func roster(_ json: String) -> [Inspector]? {
    guard let items = strings(json) else { return nil }
    var roster: [Inspector] = []
    for item in items {
      let p = item.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
      guard p.count == 6 else { return nil }
      roster.append(
        Inspector(
          staffNo: p[0], name: p[1], unit: p[2], regionCode: p[3], certificate: p[4],
          conflicts: Set(p[5].split(separator: ",").map(String.init))))
    }
    return roster
  }

  public static func quotas(_ json: String) -> [DrawQuota]? {
    guard let items = strings(json) else { return nil }
    var quotas: [DrawQuota] = []
    for item in items {
      let p = item.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
      guard p.count == 6, let group = DrawGroup(p[0]), let pool = Int(p[1]), let ratio = Int(p[2]),
        let minimum = Int(p[3]), let quota = Int(p[4])
      else { return nil }
      quotas.append(
        DrawQuota(group: group, pool: pool, ratioBasisPoints: ratio, minimum: minimum, quota: quota, clause: p[5]))
    }
    return quotas
  }

  /// A JSON array of strings (what `array` writes; any JSON string escapes), nil for anything else.
  public static func strings(_ json: String) -> [String]? {
    var scalars = Array(json.unicodeScalars)[...]
    func skipSpace() {
      while let c = scalars.first, c == " " || c == "\n" || c == "\r" || c == "\t" { scalars.removeFirst() }
    }
    skipSpace()
    guard scalars.popFirst() == "[" else { return nil }
    var items: [String] = []
    skipSpace()
    if scalars.first == "]" {
      scalars.removeFirst()
      skipSpace()
      return scalars.isEmpty ? items : nil
    }
    while true {
      skipSpace()
      guard scalars.popFirst() == "\"" else { return nil }
      var text = String.UnicodeScalarView()
      while true {
        guard let c = scalars.popFirst() else { return nil }
        if c == "\"" { break }
        guard c == "\\" else {
          text.append(c)
          continue
        }
        guard let e = scalars.popFirst() else { return nil }
        switch e {
        case "\"", "\\", "/": text.append(e)
        case "n": text.append("\n")
        case "t": text.append("\t")
        case "r": text.append("\r")
        case "b": text.append("\u{8}")
        case "f": text.append("\u{C}")
        case "u":
          guard scalars.count >= 4, let code = UInt32(String(String.UnicodeScalarView(scalars.prefix(4))), radix: 16)
          else { return nil }
          scalars.removeFirst(4)
          // A surrogate pair or a lone surrogate: pairs are joined, lone ones refused.
          if (0xD800...0xDBFF).contains(code) {
            guard scalars.count >= 6, scalars.first == "\\", scalars.dropFirst().first == "u",
              let low = UInt32(String(String.UnicodeScalarView(scalars.dropFirst(2).prefix(4))), radix: 16),
              (0xDC00...0xDFFF).contains(low),
              let scalar = Unicode.Scalar(0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00))
            else { return nil }
            scalars.removeFirst(6)
            text.append(scalar)
          } else {
            guard let scalar = Unicode.Scalar(code) else { return nil }
            text.append(scalar)
          }
        default: return nil
        }
      }
      items.append(String(text))
      skipSpace()
      guard let c = scalars.popFirst() else { return nil }
      if c == "]" { break }
      guard c == "," else { return nil }
    }
    skipSpace()
    return scalars.isEmpty ? items : nil
  }
}

/// What an inspection of a drawn firm found.
public enum InspectionFinding: String, Sendable, CaseIterable {
  case none, violation
  public var label: String { self == .none ? "未发现问题" : "发现违法问题" }
}

public struct InspectionResult: Sendable, Hashable {
  public var foundOn: Day
  public var finding: InspectionFinding
  public var note: String
  public var ledgerItemID: Int?

  public init(foundOn: Day, finding: InspectionFinding, note: String, ledgerItemID: Int? = nil) {
    self.foundOn = foundOn
    self.finding = finding
    self.note = note
    self.ledgerItemID = ledgerItemID
  }
}

/// A draw as stored: its snapshot, its picks and the results recorded since.
public struct StoredDraw: Sendable {
  public var id: Int
  public var snapshot: DrawSnapshot
  public var picks: [DrawPick]
  public var results: [String: InspectionResult]

  public init(id: Int, snapshot: DrawSnapshot, picks: [DrawPick], results: [String: InspectionResult]) {
    self.id = id
    self.snapshot = snapshot
    self.picks = picks
    self.results = results
  }
}
