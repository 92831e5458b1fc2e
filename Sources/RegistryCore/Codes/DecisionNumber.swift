/// A penalty decision number (行政处罚决定书文号) as printed, and its canonical key (ID-8,
/// GB/T 9704-2012 §7.2.5): width folded (ID-6), spaces removed, the bracket pair around the 4-digit
/// year made 〔〕 (other brackets kept), a 第 right after 〕 dropped, an all-digit serial without
/// leading zeros, 号 appended when missing. Two numbers with one key are one decision.
public struct DecisionNumber: Sendable, Hashable {
  /// As printed (trimmed); this is what envreg stores and shows.
  public let printed: String
  /// The canonical form: unique per registry.
  public let key: String
  public let year: Int
  /// `号` was missing, or the year differs from the decision's (warnings, not errors).
  public let warnings: [String]

  /// The bracket pairs that may enclose the year (after width folding).
  static let yearBrackets: [(open: Character, close: Character)] = [
    ("〔", "〕"), ("(", ")"), ("[", "]"), ("【", "】"), ("﹝", "﹞"),
  ]

  public struct Refusal: Error, Sendable, Equatable {
    public let reason: String
  }

  /// Parses a printed number; `decidedOn` adds the year warning. Fails with the reason.
  public static func parse(_ raw: String, decidedOn: Day? = nil) -> Result<DecisionNumber, DecisionNumber.Refusal> {
    let printed = raw.trimmingSpaces()
    guard !printed.isEmpty else {
      return .failure(Refusal(reason: "is empty; a decision number is e.g. 冀环罚〔2021〕12号 (ID-8)"))
    }
    let compact = String(normaliseWidth(printed).filter { !$0.isWhitespace })
    let characters = Array(compact)
    // The first bracket pair that holds exactly four digits is the year.
    for index in characters.indices {
      guard let pair = yearBrackets.first(where: { $0.open == characters[index] }), index + 5 < characters.count,
        characters[index + 5] == pair.close,
        characters[(index + 1)...(index + 4)].allSatisfy({ $0.isASCII && $0.isNumber }),
        let year = Int(String(characters[(index + 1)...(index + 4)]))
      else { continue }
      let office = String(characters[..<index])
      var rest = characters[(index + 6)...]
      if rest.first == "第" { rest = rest.dropFirst() }
      var warnings: [String] = []
      var serial = String(rest)
      if serial.hasSuffix("号") {
        serial.removeLast()
      } else {
        warnings.append("has no 号 after the serial; 号 is assumed (ID-8)")
      }
      guard !serial.isEmpty, !serial.contains("号") else { break }
      if serial.allSatisfy({ $0.isASCII && $0.isNumber }) {
        let trimmed = serial.drop { $0 == "0" }
        serial = trimmed.isEmpty ? "0" : String(trimmed)
      }
      guard !office.isEmpty else { break }
      if let decidedOn, decidedOn.year != year {
        warnings.append("names the year \(year) but the decision is dated \(decidedOn) (ID-8)")
      }
      return .success(
        DecisionNumber(printed: printed, key: "\(office)〔\(year)〕\(serial)号", year: year, warnings: warnings))
    }
    return .failure(
      Refusal(
        reason:
          """
          is not a decision number: it needs an issuing office, a 4-digit year in brackets and a serial, e.g. \
          冀环罚〔2021〕12号 (ID-8)
          """
      ))
  }
}
