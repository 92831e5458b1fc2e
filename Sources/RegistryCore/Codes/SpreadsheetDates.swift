/// Dates as bureaus' spreadsheets hold them (issue 15): the ISO form, and the forms Excel writes
/// in a Chinese locale: `2020/3/5`, `2020.3.5`, `2020年3月5日`, `20200305`, and a date serial that
/// lost its format (`43895`). Year first only: `3/5/2020` may be 5 March or 3 May and is refused as
/// ambiguous, never guessed.
extension Day {
  /// The day `text` names in any of the forms above, or nil (`spreadsheetRefusal` says why).
  public static func spreadsheet(_ text: String) -> Day? {
    spreadsheetParse(text).day
  }

  /// Why `text` is not a date in any accepted form.
  public static func spreadsheetRefusal(_ text: String) -> String {
    spreadsheetParse(text).refusal
  }

  private static func spreadsheetParse(_ raw: String) -> (day: Day?, refusal: String) {
    let text = normaliseWidth(raw).trimmingSpaces()
    if let day = Day(text) { return (day, "") }
    let iso = Array(text.utf8)
    if iso.count == 10, iso[4] == UInt8(ascii: "-"), iso[7] == UInt8(ascii: "-") { return (nil, Day.refusal(text)) }
    let digits = text.unicodeScalars.allSatisfy { ("0"..."9").contains($0) }
    if digits, text.count == 8, let year = Int(text.prefix(4)), let month = Int(text.dropFirst(4).prefix(2)),
      let day = Int(text.suffix(2))
    {
      return calendar(year, month, day, text)
    }
    if digits, text.count == 5, let serial = Int(text) {
      // An Excel serial in the 1900 system (10000 is 1927-05-18, 99999 is 2173-10-14).
      return (Day(ordinal: -25_569 + serial), "")
    }
    var parts: [String] = []
    var separators: [Character] = []
    var current = ""
    for character in text {
      if character.isASCII, character.isNumber {
        current.append(character)
      } else {
        if !current.isEmpty { parts.append(current) }
        current = ""
        separators.append(character)
      }
    }
    if !current.isEmpty { parts.append(current) }
    let chinese = separators == ["年", "月", "日"] || separators == ["年", "月"]
    let uniform = separators.count == 2 && separators[0] == separators[1] && "/.-".contains(separators[0])
    guard parts.count == 3, chinese || uniform else {
      return (nil, "is not a date: write YYYY-MM-DD (2020-03-05; 2020/3/5, 2020.3.5 and 2020年3月5日 are read too)")
    }
    guard parts[0].count == 4, let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
      parts[1].count <= 2, parts[2].count <= 2
    else {
      return (
        nil,
        "is ambiguous: day and month cannot be told apart when the year is not first; write YYYY-MM-DD (2020-03-05)"
      )
    }
    return calendar(year, month, day, text)
  }

  private static func calendar(_ year: Int, _ month: Int, _ day: Int, _ text: String) -> (day: Day?, refusal: String) {
    guard (1...9999).contains(year) else { return (nil, "has year \(year); years run 0001-9999") }
    guard (1...12).contains(month) else { return (nil, "has month \(month); months run 1-12") }
    guard let found = Day(year: year, month: month, day: day) else {
      return (nil, "is not a calendar date: \(year)-\(month) has \(daysIn(month: month, year: year)) days")
    }
    return (found, "")
  }
}
