/// An amount of money in fen (分, 0.01 yuan). Money is never a floating-point number in envreg.
public struct Fen: Hashable, Comparable, Sendable, CustomStringConvertible {
  public let value: Int64

  public init(_ value: Int64) { self.value = value }

  public static let zero = Fen(0)
  /// The largest amount envreg accepts anywhere: 10,000,000,000.00 yuan (一百亿元). Every amount is
  /// bounded at parse time, so sums and the surcharge arithmetic stay far inside Int64.
  public static let maximum = Fen(1_000_000_000_000)

  /// Parses yuan with at most two decimals: `100000`, `100000.5`, `1,234.56` (grouping commas
  /// allowed, full-width digits normalised). `nil` for a sign, more decimals, or anything else.
  public init?(yuan text: String) {
    let trimmed = normaliseWidth(text).trimmingSpaces()
    let pieces = trimmed.split(separator: ".", omittingEmptySubsequences: false)
    guard (1...2).contains(pieces.count), let grouped = pieces.first, Fen.wellGrouped(grouped) else { return nil }
    let whole = String(grouped).replacingOccurrences(",", with: "")
    guard !whole.isEmpty, whole.count <= 11, whole.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
    var fen = Int64(0)
    for c in whole.utf8 { fen = fen * 10 + Int64(c - 48) }
    fen *= 100
    if pieces.count == 2 {
      let decimals = pieces[1]
      guard (1...2).contains(decimals.count), decimals.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
      let digits = Array(decimals.utf8).map { Int64($0 - 48) }
      fen += digits[0] * 10 + (digits.count == 2 ? digits[1] : 0)
    }
    guard fen <= Fen.maximum.value else { return nil }
    value = fen
  }

  /// Thousands separators only in correct groups: `1,234,567`, never `1,0,0`, `,100` or `100,`.
  static func wellGrouped(_ whole: Substring) -> Bool {
    guard whole.contains(",") else { return true }
    let groups = whole.split(separator: ",", omittingEmptySubsequences: false)
    guard let first = groups.first, (1...3).contains(first.count) else { return false }
    return groups.dropFirst().allSatisfy { $0.count == 3 }
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
  /// Sums of bounded amounts cannot overflow; should one ever, it saturates rather than trap.
  public static func + (lhs: Fen, rhs: Fen) -> Fen {
    let sum = lhs.value.addingReportingOverflow(rhs.value)
    return Fen(sum.overflow ? (rhs.value > 0 ? .max : .min) : sum.partialValue)
  }
  public static func - (lhs: Fen, rhs: Fen) -> Fen {
    let difference = lhs.value.subtractingReportingOverflow(rhs.value)
    return Fen(difference.overflow ? (rhs.value < 0 ? .max : .min) : difference.partialValue)
  }
}
