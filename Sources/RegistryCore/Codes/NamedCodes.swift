/// Regions and industries given by name (issue 15): bureaus' tables often hold 所在区县 as
/// `武汉市江岸区` and 行业 as `炼钢` instead of the codes. A name is read when it names exactly one code
/// in force; a name shared by several (鼓楼区) or a near miss is refused with the candidates.
public enum NamedCode {
  public enum Lookup: Equatable, Sendable {
    case found(String)
    case refused(String)
  }

  /// A site's division: a 6-digit code, or a name (武汉市江岸区) naming exactly one division, in force
  /// on `day` (enterprises and projects alike).
  public static func site(_ raw: String, on day: Day, divisions: Divisions = .bundled) -> Lookup {
    var code = normaliseWidth(raw).trimmingSpaces()
    if !looksLikeCode(code) {
      switch region(code, divisions: divisions) {
      case .found(let found): code = found
      case .refused(let reason): return .refused(reason)
      }
    }
    guard code.utf8.count == 6, code.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
      return .refused("must be a 6-digit GB/T 2260 code, e.g. 420102")
    }
    return divisions.siteRefusal(code, on: day).map(Lookup.refused) ?? .found(code)
  }

  /// An industry class (ID-5): a code (`C2614` too), or a name (炼钢) naming exactly one code.
  public static func industryClass(_ raw: String, industries: Industries = .bundled) -> Lookup {
    var text = raw
    if !looksLikeCode(raw) {
      switch industry(raw, industries: industries) {
      case .found(let code): text = code
      case .refused(let reason): return .refused(reason)
      }
    }
    switch industries.validate(text) {
    case .success(let industry): return .found(industry.code)
    case .failure(let error): return .refused(error.reason)
    }
  }

  /// The current county (or city, or province) a name names: its own name (`江岸区`), with its city
  /// (`武汉市江岸区`) or with its province and city (`湖北省武汉市江岸区`; spaces ignored).
  public static func region(_ raw: String, divisions: Divisions = .bundled) -> Lookup {
    let text = squeeze(raw)
    // Built once for the bundled tables (the only ones envreg has); another table gets its own.
    let index =
      divisions.all.first?.code == Divisions.bundled.all.first?.code
        && divisions.all.count
          == Divisions.bundled.all.count
      ? bundledRegions : regionIndex(divisions)
    let matches = index.names[text] ?? []
    switch matches.count {
    case 1: return .found(matches[0])
    case 0:
      let near = nameLike(text) ? index.full.filter { $0.full.contains(text) || $0.name.contains(text) }.prefix(5) : []
      return .refused(
        "is neither a 6-digit GB/T 2260 code nor the name of a division in force"
          + (near.isEmpty
            ? "" : "; near: " + near.map { "\($0.code) \(divisions.fullName(of: $0.code))" }.joined(separator: ", ")))
    default:
      return .refused(
        "names \(matches.count) divisions: "
          + matches.prefix(5).map { "\($0) \(divisions.fullName(of: $0))" }.joined(separator: ", ")
          + "; give the code, or the city's name too")
    }
  }

  /// Every way a division in force may be named (its name, with its city, with its province and
  /// city) → the codes so named; and each one's full name for near misses.
  struct RegionIndex: Sendable {
    var names: [String: [String]] = [:]
    var full: [(code: String, name: String, full: String)] = []
  }

  static let bundledRegions = regionIndex(.bundled)

  static func regionIndex(_ divisions: Divisions) -> RegionIndex {
    var index = RegionIndex()
    for division in divisions.all where division.abolishedOn == nil {
      let lineage = divisions.lineage(of: division.code).map(\.name)
      for start in lineage.indices {
        let key = squeeze(lineage[start...].joined())
        if !(index.names[key]?.contains(division.code) ?? false) { index.names[key, default: []].append(division.code) }
      }
      index.full.append((division.code, division.name, squeeze(lineage.joined())))
    }
    return index
  }

  /// The division, group or class an industry name names (`炼钢` → 3120).
  public static func industry(_ raw: String, industries: Industries = .bundled) -> Lookup {
    let text = squeeze(raw)
    var matches = industries.all.filter { $0.level != .section && squeeze($0.name) == text }
    // A group with one class of the same name (312 炼钢, 3120 炼钢): the class.
    if matches.count > 1, let deepest = matches.max(by: { $0.code.count < $1.code.count }),
      matches.allSatisfy({ deepest.code.hasPrefix($0.code) })
    {
      matches = [deepest]
    }
    switch matches.count {
    case 1: return .found(matches[0].code)
    case 0:
      let near =
        nameLike(text)
        ? industries.all.filter { $0.level == .class && ($0.name.contains(text) || text.contains($0.name)) }.prefix(5)
        : []
      return .refused(
        "is neither a GB/T 4754-2017 code nor the name of a division, group or class (ID-5)"
          + (near.isEmpty ? "" : "; near: " + near.map { "\($0.code) \($0.name)" }.joined(separator: ", ")))
    default:
      return .refused(
        "names \(matches.count) codes: " + matches.map { "\($0.code) \($0.name)" }.joined(separator: ", ")
          + "; give the code")
    }
  }

  /// Whether a value may be a Chinese name worth suggesting near misses for: 2 to 24 characters,
  /// one of them an ideograph (anything else would only cost a scan of every name).
  static func nameLike(_ text: String) -> Bool {
    (2...24).contains(text.unicodeScalars.count)
      && text.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }
  }

  static func squeeze(_ text: String) -> String {
    String(normaliseWidth(text).unicodeScalars.filter { !$0.properties.isWhitespace }.map(Character.init))
  }

  /// Whether a value is written as a code (digits, or a section letter and digits) rather than a name.
  /// Asked of every imported row: bytes only, no copy for ASCII text (`normaliseWidth`'s fast path).
  static func looksLikeCode(_ text: String) -> Bool {
    let normalised = normaliseWidth(text)
    return normalised.utf8.contains { $0 != 0x20 } && normalised.utf8.allSatisfy { $0 < 0x80 }
  }
}
