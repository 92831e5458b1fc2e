/// A policy parameter: a value with an effective period, a jurisdiction and a legal reference
/// (RULES conventions). Rules never hard-code these; they ask a `PolicyBook`.
public struct PolicyParameter: Sendable, Hashable {
  public var key: String
  /// `national`, or a GB/T 2260 prefix (`42` Hubei, `4201` Wuhan).
  public var jurisdiction: Jurisdiction
  public var effectiveFrom: Day
  /// Last day in force, inclusive; `nil` while in force.
  public var effectiveTo: Day?
  public var value: ParameterValue
  public var reference: String

  public init(
    key: String, jurisdiction: Jurisdiction = .national, from: Day, to: Day? = nil, value: ParameterValue,
    reference: String
  ) {
    self.key = key
    self.jurisdiction = jurisdiction
    self.effectiveFrom = from
    self.effectiveTo = to
    self.value = value
    self.reference = reference
  }

  public func isInForce(asOf day: Day) -> Bool {
    effectiveFrom <= day && (effectiveTo.map { day <= $0 } ?? true)
  }

  /// "13号 [ex.k1.years@national from 2020-03-03]": the clause a trace line cites, with the version.
  public var citation: String { "\(reference) [\(key)@\(jurisdiction) from \(effectiveFrom)]" }

  /// "ex.k1.years = 1 (national, from 2020-03-03; 13号 practice)": where a value came from.
  public var provenance: String {
    "\(key) = \(value) (\(jurisdiction), from \(effectiveFrom)\(effectiveTo.map { " to \($0)" } ?? ""); \(reference))"
  }
}

public enum Jurisdiction: Hashable, Sendable, CustomStringConvertible {
  case national
  /// A GB/T 2260 code prefix of 2, 4 or 6 digits.
  case region(String)

  public init?(_ text: String) {
    let trimmed = text.trimmingSpaces()
    if trimmed == "national" || trimmed == "全国" {
      self = .national
      return
    }
    guard [2, 4, 6].contains(trimmed.utf8.count), trimmed.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
      return nil
    }
    // 420000 and 42 name the same jurisdiction.
    self = .region(trimmed.utf8.count == 6 ? Divisions.prefix(of: trimmed) : trimmed)
  }

  public var description: String {
    switch self {
    case .national: "national"
    case .region(let prefix): prefix
    }
  }

  /// How specific: national 0, province 2, prefecture 4, county 6. `nil` if it does not cover `region`.
  func specificity(for regionCode: String) -> Int? {
    switch self {
    case .national: return 0
    case .region(let prefix): return regionCode.hasPrefix(prefix) ? prefix.utf8.count : nil
    }
  }
}

/// A parameter value: a number of years or days, a rate, a set of codes, a date, or text.
public enum ParameterValue: Hashable, Sendable, CustomStringConvertible {
  case integer(Int)
  /// Parts per ten thousand (3% = 300), so that rates stay exact.
  case basisPoints(Int)
  case codes([String])
  case day(Day)
  case text(String)
  /// A limit in mg/m³ with its reference O₂ percentage, e.g. NOx 50 at 6% O₂.
  case limit(milligrams: Double, oxygen: Double?)

  public var description: String {
    switch self {
    case .integer(let n): String(n)
    case .basisPoints(let n): "\(n / 100).\(pad(n % 100, 2))%"
    case .codes(let codes): codes.joined(separator: " ")
    case .day(let day): day.description
    case .text(let text): text
    case .limit(let mg, let oxygen):
      "\(Render.formatDecimal(mg, places: 1)) mg/m³"
        + (oxygen.map { " at \(Render.formatDecimal($0, places: 0))% O2" } ?? "")
    }
  }

  public var integer: Int? {
    if case .integer(let n) = self { return n }
    return nil
  }

  public var codes: [String]? {
    if case .codes(let codes) = self { return codes }
    return nil
  }

  /// The stored JSON form (`policy_parameter.value`).
  public var json: String {
    switch self {
    case .integer(let n): "{\"integer\":\(n)}"
    case .basisPoints(let n): "{\"basis_points\":\(n)}"
    case .codes(let codes): "{\"codes\":[" + codes.map(Render.jsonString).joined(separator: ",") + "]}"
    case .day(let day): "{\"day\":\"\(day)\"}"
    case .text(let text): "{\"text\":\(Render.jsonString(text))}"
    case .limit(let mg, let oxygen):
      "{\"mg_m3\":\(Render.formatDecimal(mg, places: 3))"
        + (oxygen.map { ",\"o2\":\(Render.formatDecimal($0, places: 2))" } ?? "") + "}"
    }
  }

  /// Parses what `policy set` is given for a key of this kind (the kind of `template`).
  public static func parse(_ text: String, like template: ParameterValue) -> ParameterValue? {
    let trimmed = text.trimmingSpaces()
    switch template {
    case .integer: return Int(trimmed).flatMap { $0 >= 0 ? .integer($0) : nil }
    case .basisPoints:
      guard trimmed.hasSuffix("%"), let fen = Fen(yuan: String(trimmed.dropLast())) else { return nil }
      return .basisPoints(Int(fen.value))
    case .codes:
      let codes = trimmed.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
      return codes.isEmpty ? nil : .codes(codes)
    case .day: return Day(trimmed).map(ParameterValue.day)
    case .text: return trimmed.isEmpty ? nil : .text(trimmed)
    case .limit(_, let oxygen):
      let parts = trimmed.split(separator: "@").map { String($0).trimmingSpaces() }
      guard let mg = Double(parts[0]), mg >= 0 else { return nil }
      let o2 = parts.count > 1 ? Double(parts[1].replacingOccurrences("%", with: "")) : oxygen
      return .limit(milligrams: mg, oxygen: o2)
    }
  }
}

/// Every parameter known, with the lookup rules use: the value in force on a date for a region,
/// the most specific jurisdiction winning (RULES conventions).
public struct PolicyBook: Sendable {
  public let parameters: [PolicyParameter]
  private let byKey: [String: [PolicyParameter]]

  public init(_ parameters: [PolicyParameter]) {
    self.parameters = parameters
    byKey = Dictionary(grouping: parameters, by: \.key)
  }

  /// The national defaults that ship with envreg.
  public static let national = PolicyBook(NationalDefaults.all)

  /// The parameter in force for `key` on `day` in `regionCode`: among those in force, the most
  /// specific jurisdiction covering the region; among equals, the latest start.
  public func lookup(_ key: String, region regionCode: String, asOf day: Day) -> PolicyParameter? {
    guard let candidates = byKey[key] else { return nil }
    if candidates.count == 1 {
      let only = candidates[0]
      return only.isInForce(asOf: day) && only.jurisdiction.specificity(for: regionCode) != nil ? only : nil
    }
    var best: (specificity: Int, parameter: PolicyParameter)?
    for parameter in candidates where parameter.isInForce(asOf: day) {
      guard let specificity = parameter.jurisdiction.specificity(for: regionCode) else { continue }
      if let current = best,
        current.specificity > specificity
          || (current.specificity == specificity && current.parameter.effectiveFrom >= parameter.effectiveFrom)
      {
        continue
      }
      best = (specificity, parameter)
    }
    return best?.parameter
  }

  public var keys: [String] { byKey.keys.sorted() }

  /// The parameters in force on `day` only: a smaller book for sweeps that evaluate many firms on
  /// one date (look-ups then skip every out-of-date version).
  public func inForce(on day: Day) -> PolicyBook { PolicyBook(parameters.filter { $0.isInForce(asOf: day) }) }

  /// The template (kind of value) of a key, from its national default.
  public func template(for key: String) -> ParameterValue? {
    byKey[key]?.first?.value ?? NationalDefaults.localOnly[key]
  }
}
