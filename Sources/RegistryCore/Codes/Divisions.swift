/// GB/T 2260 administrative divisions: the bundled table of current codes (31 provinces, 342
/// prefectures, 2,842 counties) plus a short list of abolished codes that still appear in old credit
/// codes. Provenance: `Embedded/gbt2260-divisions.csv`, see the README's data section.
public struct Divisions: Sendable {
  public enum Level: String, Sendable, CaseIterable, Codable { case province, prefecture, county }

  public struct Division: Sendable, Hashable {
    public let code: String
    public let name: String
    public let level: Level
    public let parentCode: String?
    /// `YYYY-MM` for an abolished code, `nil` for a current one.
    public let abolishedOn: String?
    public let note: String?
  }

  public let all: [Division]
  private let byCode: [String: Int]
  init(current: String, historical: String) {
    var rows: [Division] = []
    for record in CSVParser.records(in: current).dropFirst() where record.fields.count >= 4 {
      let f = record.fields
      guard let level = Level(rawValue: f[2]) else { continue }
      rows.append(
        Division(
          code: f[0], name: f[1], level: level, parentCode: f[3].isEmpty ? nil : f[3], abolishedOn: nil, note: nil))
    }
    for record in CSVParser.records(in: historical).dropFirst() where record.fields.count >= 6 {
      let f = record.fields
      guard let level = Level(rawValue: f[2]) else { continue }
      rows.append(
        Division(
          code: f[0], name: f[1], level: level, parentCode: f[3].isEmpty ? nil : f[3], abolishedOn: f[4], note: f[5]))
    }
    all = rows
    var index: [String: Int] = [:]
    for (offset, row) in rows.enumerated() { index[row.code] = offset }
    byCode = index
  }

  /// The table compiled into envreg.
  public static let bundled = Divisions(current: Embedded.gbt2260Divisions, historical: Embedded.gbt2260Historical)

  /// Every period of every code ever listed, by code, oldest first (parsed on first use).
  public var history: [String: [DivisionHistory.Period]] { DivisionHistory.bundled.periods }

  /// Listed at any time since 1980 (ID-3: the registering authority inside a credit code may be
  /// any code ever in force).
  public func everListed(_ code: String) -> Bool { lookup(code) != nil || DivisionHistory.bundled.periods[code] != nil }

  /// The period of `code` in force on `day`, or `nil`. The history is by list month: a period runs
  /// from its first list's month until the month before the next list after its last one.
  public func period(of code: String, on day: Day) -> DivisionHistory.Period? {
    DivisionHistory.bundled.period(of: code, on: day)
  }

  /// The prefix a region selection (`--region`, a jurisdiction) stands for: 2, 4 or 6 digits, or a
  /// 6-digit code, naming a division listed at some time (420000 and 42 are Hubei, 4201 Wuhan).
  /// Fails with the reason, so that no text reaches a query unless it is such a prefix.
  public func selection(_ text: String) -> Result<String, SelectionRefusal> {
    let code = normaliseWidth(text).trimmingSpaces()
    guard [2, 4, 6].contains(code.utf8.count), code.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
      return .failure(
        SelectionRefusal(reason: "must be a GB/T 2260 code or its leading 2 or 4 digits, e.g. 42, 4201 or 420102"))
    }
    let full = code + String(repeating: "0", count: 6 - code.utf8.count)
    guard everListed(full) else {
      return .failure(SelectionRefusal(reason: "names no GB/T 2260 division (\(full) was never listed since 1980)"))
    }
    return .success(code.utf8.count == 6 ? Divisions.prefix(of: code) : code)
  }

  public struct SelectionRefusal: Error, Sendable, Equatable { public let reason: String }

  /// Why a site may not use the 6-digit `code` on `day`, or `nil` when it may: a site's region must
  /// be in force on the date it is used; the refusal gives the code's periods and its successor.
  public func siteRefusal(_ code: String, on day: Day) -> String? {
    if inForce(code, on: day) { return nil }
    guard let periods = history[code], let first = periods.first, let last = periods.last else {
      return "is not a GB/T 2260 division code: it was never listed since 1980"
    }
    let successor = last.successor.map { "; its successor is \($0)" } ?? ""
    return
      "is a GB/T 2260 code not in force on \(day) (\(last.name), listed \(first.fromMonth) … \(last.toMonth ?? "now"))\(successor); a site's region must be in force on the date it is used"
  }

  /// Whether a site may use `code` on `day`: a current division always (the history's last list
  /// is 2023-06; later codes come from the current table), else a code whose period covers `day`.
  public func inForce(_ code: String, on day: Day) -> Bool {
    if let division = lookup(code), division.abolishedOn == nil { return true }
    return period(of: code, on: day) != nil
  }

  public func lookup(_ code: String) -> Division? { byCode[code].map { all[$0] } }

  /// The province, prefecture and county codes that contain `code` (itself included), outermost first.
  public func lineage(of code: String) -> [Division] {
    var chain: [Division] = []
    var next: String? = code
    while let current = next, let division = lookup(current), chain.count < 4 {
      chain.insert(division, at: 0)
      next = division.parentCode
    }
    return chain
  }

  /// "湖北省 武汉市 江岸区" for a county code; the code itself when unknown.
  public func fullName(of code: String) -> String {
    let chain = lineage(of: code).filter { $0.name != "市辖区" && $0.name != "县" && !$0.name.hasSuffix("直辖县级行政区划") }
    return chain.isEmpty ? code : chain.map(\.name).joined(separator: " ")
  }

  /// The SQL `LIKE`-style prefix that selects a division and everything inside it: `42` for a
  /// province code 420000, `4201` for a prefecture 420100, the full code for a county.
  public static func prefix(of code: String) -> String {
    if code.hasSuffix("0000") { return String(code.prefix(2)) }
    if code.hasSuffix("00") { return String(code.prefix(4)) }
    return code
  }
}

/// The GB/T 2260 history since 1980 (`Embedded/gbt2260-history.csv`, provenance in the data README).
public struct DivisionHistory: Sendable {
  /// One period during which a code was listed under one name (GB/T 2260 history since 1980).
  public struct Period: Sendable, Hashable {
    public let code: String
    public let name: String
    public let level: Divisions.Level
    /// `YYYY-MM` of the first list that has it.
    public let fromMonth: String
    /// `YYYY-MM` of the last list that has it; `nil` while in force.
    public let toMonth: String?
    public let successor: String?
  }

  /// Every period of every code ever listed, by code, oldest first.
  public let periods: [String: [Period]]
  /// The months of the lists the history was read from, in order (a period ends before the next).
  let listMonths: [String]

  public static let bundled = DivisionHistory(Embedded.gbt2260History)

  init(_ historyText: String) {
    var periods: [String: [Period]] = [:]
    var months = Set<String>()
    for record in CSVParser.records(in: historyText).dropFirst() where record.fields.count >= 6 {
      let f = record.fields
      guard let level = Divisions.Level(rawValue: f[2]) else { continue }
      periods[f[0], default: []].append(
        Period(
          code: f[0], name: f[1], level: level, fromMonth: f[3], toMonth: f[4].isEmpty ? nil : f[4],
          successor: f[5].isEmpty ? nil : f[5]))
      months.insert(f[3])
    }
    self.periods = periods
    listMonths = months.sorted()
  }

  /// The period of `code` in force on `day`, or `nil`. The history is by list month: a period runs
  /// from its first list's month until the month before the next list after its last one.
  public func period(of code: String, on day: Day) -> Period? {
    let (year, month, _) = day.parts
    let asMonth = String(year) + "-" + (month < 10 ? "0" : "") + String(month)
    return periods[code]?.last { period in
      guard period.fromMonth <= asMonth else { return false }
      guard let to = period.toMonth else { return true }
      let next = listMonths.first { $0 > to }
      return asMonth <= to || next.map { asMonth < $0 } ?? false
    }
  }
}
