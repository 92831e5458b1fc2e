/// A calendar date in China Standard Time, with no time of day.
///
/// Deadlines are day arithmetic, so envreg never uses `Date` for them: a `Day` is the number of
/// days since 1970-01-01 in the proleptic Gregorian calendar. Text form is `YYYY-MM-DD`.
public struct Day: Hashable, Comparable, Sendable, CustomStringConvertible {
  /// Days since 1970-01-01.
  public let ordinal: Int

  public init(ordinal: Int) { self.ordinal = ordinal }

  /// Creates a day from its parts, or `nil` when they do not name a real date (2021-02-29).
  public init?(year: Int, month: Int, day: Int) {
    guard (1...9999).contains(year), (1...12).contains(month),
      (1...Day.daysIn(month: month, year: year)).contains(day)
    else { return nil }
    ordinal = Day.daysFromCivil(year: year, month: month, day: day)
  }

  /// Parses strict `YYYY-MM-DD` (ISO 8601 calendar date); `nil` for anything else. Reads the
  /// contiguous UTF-8 bytes directly: dates are parsed for every stored row that is read.
  public init?(_ text: String) {
    guard let parsed = text.utf8.withContiguousStorageIfAvailable(Day.parse) ?? Day.parse(Array(text.utf8)) else {
      return nil
    }
    self = parsed
  }

  public init?(_ text: Substring) { self.init(String(text)) }

  /// The last day envreg represents; a date computed past it is refused where it would be stored.
  public static let maximum = Day(year: 9999, month: 12, day: 31) ?? Day(ordinal: 0)

  /// Why `text` is not a date, for messages that name the value.
  public static func refusal(_ text: String) -> String {
    let bytes = Array(text.utf8)
    guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
      bytes.enumerated().allSatisfy({ $0.offset == 4 || $0.offset == 7 || (48...57).contains($0.element) }),
      let year = Int(String(text.prefix(4))), let month = Int(String(text.dropFirst(5).prefix(2))),
      let day = Int(String(text.suffix(2)))
    else { return "is not a date in YYYY-MM-DD form, e.g. 2026-11-29" }
    guard year >= 1 else { return "has year 0000; years run 0001-9999" }
    guard (1...12).contains(month) else { return "has month \(String(text.dropFirst(5).prefix(2))); months run 01-12" }
    return
      """
      is not a calendar date: \(String(text.prefix(7))) has \(daysIn(month: month, year: year)) days (asked for day \
      \(day))
      """
  }

  private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Day? {
    guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
    var year = 0, month = 0, day = 0
    for index in 0..<10 where index != 4 && index != 7 {
      let byte = bytes[index]
      guard byte >= 48, byte <= 57 else { return nil }
      let digit = Int(byte - 48)
      if index < 4 {
        year = year * 10 + digit
      } else if index < 7 {
        month = month * 10 + digit
      } else {
        day = day * 10 + digit
      }
    }
    return Day(year: year, month: month, day: day)
  }

  private static func parse(_ bytes: [UInt8]) -> Day? { bytes.withUnsafeBufferPointer { parse($0) } }

  public var parts: (year: Int, month: Int, day: Int) { Day.civil(from: ordinal) }
  public var year: Int { parts.year }

  /// The date as Chinese documents write it: 2026年12月1日.
  public var chinese: String {
    let (year, month, day) = parts
    return "\(year)年\(month)月\(day)日"
  }

  public var description: String {
    let (y, m, d) = parts
    // Written byte by byte: dates are formatted for every stored row.
    return String(unsafeUninitializedCapacity: 10) { buffer in
      let digits: [(Int, Int)] = [
        (y / 1000 % 10, 0), (y / 100 % 10, 1), (y / 10 % 10, 2), (y % 10, 3), (m / 10, 5), (m % 10, 6), (d / 10, 8),
        (d % 10, 9),
      ]
      buffer[4] = UInt8(ascii: "-")
      buffer[7] = UInt8(ascii: "-")
      for (digit, index) in digits { buffer[index] = UInt8(48 + digit) }
      return 10
    }
  }

  public static func < (lhs: Day, rhs: Day) -> Bool { lhs.ordinal < rhs.ordinal }

  /// The day `n` days later (earlier when negative).
  public func adding(days n: Int) -> Day { Day(ordinal: ordinal + n) }

  /// The same day `n` months later; a day that does not exist is clamped to the month's end
  /// (2020-08-31 plus 6 months is 2021-02-28).
  public func adding(months n: Int) -> Day {
    let (y, m, d) = parts
    let total = y * 12 + (m - 1) + n
    let year = total / 12
    let month = total % 12 + 1
    let day = min(d, Day.daysIn(month: month, year: year))
    return Day(ordinal: Day.daysFromCivil(year: year, month: month, day: day))
  }

  /// The same day `n` calendar years later, clamped like `adding(months:)`.
  public func adding(years n: Int) -> Day { adding(months: 12 * n) }

  /// Whole days from `self` to `other` (positive when `other` is later).
  public func days(until other: Day) -> Int { other.ordinal - ordinal }

  static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

  static func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: return isLeap(year) ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }

  // Era-based conversion between civil dates and a day count (the well-known
  // "days from civil" arithmetic over 400-year eras of 146,097 days).
  static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let shiftedMonth = month > 2 ? month - 3 : month + 9
    let dayOfYear = (153 * shiftedMonth + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }

  static func civil(from ordinal: Int) -> (year: Int, month: Int, day: Int) {
    let z = ordinal + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let dayOfEra = z - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let mp = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * mp + 2) / 5 + 1
    let month = mp < 10 ? mp + 3 : mp - 9
    return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
  }
}

extension Day: Codable {
  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    let text = try container.decode(String.self)
    guard let day = Day(text) else {
      throw DecodingError.dataCorruptedError(in: container, debugDescription: "\"\(text)\" is not a YYYY-MM-DD date")
    }
    self = day
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(description)
  }
}

/// A RULES "look-back window" of `years` on `day`: the dates after `day` minus `years` calendar
/// years (that date excluded) up to `day` (included). On 2020-07-01 a 1-year window holds
/// 2019-07-02 ... 2020-07-01.
public func lookBackWindow(years: Int, endingOn day: Day) -> ClosedRange<Day> {
  day.adding(years: -years).adding(days: 1)...day
}

func pad(_ value: Int, _ width: Int) -> String {
  let text = String(value)
  return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
}
