/// An amount of money in fen (分, 0.01 yuan). Money is never a floating-point number in envreg.
public struct Fen: Hashable, Comparable, Sendable, CustomStringConvertible {
  public let value: Int64

  public init(_ value: Int64) { self.value = value }

  public static let zero = Fen(0)

  /// Parses yuan with at most two decimals: `100000`, `100000.5`, `1,234.56` (grouping commas
  /// allowed, full-width digits normalised). `nil` for a sign, more decimals, or anything else.
  public init?(yuan text: String) {
    let normalised = normaliseWidth(text).trimmingSpaces().replacingOccurrences(",", with: "")
    let pieces = normalised.split(separator: ".", omittingEmptySubsequences: false)
    guard (1...2).contains(pieces.count), let whole = pieces.first, !whole.isEmpty, whole.count <= 13,
      whole.allSatisfy({ $0.isASCII && $0.isNumber })
    else { return nil }
    var fen = Int64(0)
    for c in whole.utf8 { fen = fen * 10 + Int64(c - 48) }
    fen *= 100
    if pieces.count == 2 {
      let decimals = pieces[1]
      guard (1...2).contains(decimals.count), decimals.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
      let digits = Array(decimals.utf8).map { Int64($0 - 48) }
      fen += digits[0] * 10 + (digits.count == 2 ? digits[1] : 0)
    }
    value = fen
  }

  /// Yuan with two decimals, e.g. `100000.00`.
  public var yuan: String {
    // Digits written into one buffer: amounts are formatted for every listed row.
    var digits: [UInt8] = []
    digits.reserveCapacity(24)
    var rest = value.magnitude
    for place in 0..<2 {
      digits.append(UInt8(48 + rest % 10))
      rest /= 10
      if place == 1 { digits.append(UInt8(ascii: ".")) }
    }
    repeat {
      digits.append(UInt8(48 + rest % 10))
      rest /= 10
    } while rest > 0
    if value < 0 { digits.append(UInt8(ascii: "-")) }
    return String(decoding: digits.reversed(), as: UTF8.self)
  }

  public var description: String { yuan }

  public static func < (lhs: Fen, rhs: Fen) -> Bool { lhs.value < rhs.value }
  public static func + (lhs: Fen, rhs: Fen) -> Fen { Fen(lhs.value + rhs.value) }
  public static func - (lhs: Fen, rhs: Fen) -> Fen { Fen(lhs.value - rhs.value) }
}
