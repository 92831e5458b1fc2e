/// GB/T 4754-2017 industry codes (sections A-T, 2-digit divisions, 3-digit groups, 4-digit
/// classes; RULES ID-5). Provenance: `Embedded/gbt4754-2017-industries.csv`, see the README.
public struct Industries: Sendable {
  public enum Level: String, Sendable, CaseIterable, Codable { case section, division, group, `class` }

  public struct Industry: Sendable, Hashable {
    public let code: String
    public let name: String
    public let level: Level
    public let parentCode: String?
  }

  public let all: [Industry]
  private let byCode: [String: Int]

  init(csv: String) {
    var rows: [Industry] = []
    for record in CSVParser.records(in: csv).dropFirst() where record.fields.count >= 4 {
      let f = record.fields
      guard let level = Level(rawValue: f[2]) else { continue }
      rows.append(Industry(code: f[0], name: f[1], level: level, parentCode: f[3].isEmpty ? nil : f[3]))
    }
    all = rows
    var index: [String: Int] = [:]
    for (offset, row) in rows.enumerated() { index[row.code] = offset }
    byCode = index
  }

  public static let bundled = Industries(csv: Embedded.gbt47542017Industries)

  public func lookup(_ code: String) -> Industry? { byCode[code].map { all[$0] } }

  /// Checks an enterprise's industry code: a 2-, 3- or 4-digit code present in the table.
  public func validate(_ raw: String) -> Result<Industry, IndustryError> {
    var code = normaliseWidth(raw).trimmingSpaces()
    // Spreadsheets often write the section letter first (C2614): read when it is the code's section.
    if let letter = code.first, letter.isASCII, letter.isLetter, (3...5).contains(code.count),
      code.dropFirst().allSatisfy({ $0.isASCII && $0.isNumber })
    {
      let digits = String(code.dropFirst())
      let section = letter.uppercased()
      guard let industry = lookup(digits), industry.level != .section else {
        return .failure(IndustryError(code: code, suggestions: nearest(to: digits)))
      }
      guard let actual = self.section(of: industry), actual.code == section else {
        return .failure(
          IndustryError(code: code, suggestions: [], section: self.section(of: industry).map { ($0.code, $0.name) }))
      }
      code = digits
    }
    // Sections (letters) are not codes an enterprise can carry; classes are looked up directly.
    guard let industry = lookup(code), industry.level != .section else {
      return .failure(IndustryError(code: code, suggestions: nearest(to: code)))
    }
    return .success(industry)
  }

  /// The section (A-T) a division, group or class belongs to.
  public func section(of industry: Industry) -> Industry? {
    var current = industry
    while current.level != .section {
      guard let parent = current.parentCode.flatMap(lookup) else { return nil }
      current = parent
    }
    return current
  }

  /// Up to five known codes closest to `code`: those sharing its longest prefix, then by edit
  /// distance, so that a mistyped class points at its siblings.
  public func nearest(to code: String, limit: Int = 5) -> [Industry] {
    // Only a code-shaped value (2-4 digits) has neighbours; anything else would cost an edit
    // distance against every code for a value that is no code at all.
    guard (2...4).contains(code.utf8.count), code.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return [] }
    let digits = all.filter { $0.level != .section }
    func sharedPrefix(_ a: String, _ b: String) -> Int { zip(a, b).prefix(while: { $0 == $1 }).count }
    func distance(_ a: String, _ b: String) -> Int {
      let a = Array(a), b = Array(b)
      var row = Array(0...b.count)
      for i in 1...max(a.count, 1) where !a.isEmpty {
        var previous = row[0]
        row[0] = i
        for j in 1...max(b.count, 1) where !b.isEmpty {
          let current = row[j]
          row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
          previous = current
        }
      }
      return row[b.count]
    }
    return
      digits
      .map { (industry: $0, prefix: sharedPrefix($0.code, code), distance: distance($0.code, code)) }
      .sorted {
        ($0.prefix, -$0.distance, $1.industry.code) > ($1.prefix, -$1.distance, $0.industry.code)
      }
      .prefix(limit)
      .map(\.industry)
  }
}

public struct IndustryError: Error, Equatable, Sendable, CustomStringConvertible {
  public let code: String
  public let suggestions: [Industries.Industry]
  /// For a code given with a section letter that is not its own: its real section.
  public let actualSection: String?

  public init(code: String, suggestions: [Industries.Industry], section: (code: String, name: String)? = nil) {
    self.code = code
    self.suggestions = suggestions
    actualSection = section.map { "\($0.code) \($0.name)" }
  }

  /// The reason alone, without the code (for messages that already name the field and value).
  public var reason: String {
    if let actualSection {
      return "has a section letter that is not its own: \(code.dropFirst()) is in section \(actualSection) (ID-5)"
    }
    let hint = suggestions.map { "\($0.code) \($0.name)" }.joined(separator: ", ")
    return "is not a GB/T 4754-2017 division, group or class (ID-5)" + (hint.isEmpty ? "" : "; nearest known: \(hint)")
  }

  public var description: String {
    if actualSection != nil { return "industry code \(code.quoted) \(reason)" }
    let hint = suggestions.map { "\($0.code) \($0.name)" }.joined(separator: ", ")
    return "industry code \(code.quoted) is not a GB/T 4754-2017 division, group or class (ID-5)"
      + (hint.isEmpty ? "" : "; nearest known: \(hint)")
  }
}
