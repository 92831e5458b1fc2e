/// The deadline calendar (`envreg due --format ics`) as an RFC 5545 iCalendar document a bureau's
/// calendar program can import or subscribe to: one all-day event per deadline.
public enum ICalendar {
  /// The document: CRLF line ends, lines folded at 75 octets (never inside a UTF-8 character),
  /// text values escaped (§3.3.11). Each event's UID is a digest of its clock, item and date, so a
  /// calendar refreshed from a later run updates the same events instead of adding copies; DTSTAMP
  /// is the evaluation date (a run as of the same day writes the same document).
  public static func document(_ items: [DueItem], asOf: Day, name: String) -> String {
    var lines = [
      "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//envreg//deadline calendar//ZH", "CALSCALE:GREGORIAN",
      "METHOD:PUBLISH", "X-WR-CALNAME:" + escape(name), "X-WR-TIMEZONE:Asia/Shanghai",
    ]
    let stamp = compact(asOf) + "T000000Z"
    for item in items {
      let key = "\(item.clock)|\(item.item)|\(item.creditCode)|\(item.date)"
      let uid = SHA256.digest(Array(key.utf8)).prefix(16).map { byte in
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
      }.joined()
      let overdue = item.date < asOf
      lines += [
        "BEGIN:VEVENT", "UID:\(uid)@envreg", "DTSTAMP:\(stamp)", "DTSTART;VALUE=DATE:\(compact(item.date))",
        "DTEND;VALUE=DATE:\(compact(item.date.adding(days: 1)))",
        "SUMMARY:" + escape((overdue ? "【逾期】" : "") + "\(item.name)：\(item.clock)"),
        "DESCRIPTION:"
          + escape("\(item.rule) \(item.item)\n\(item.detail)\n统一社会信用代码 \(item.creditCode)，所在地 \(item.regionCode)"),
        "CATEGORIES:" + escape(item.rule), "TRANSP:TRANSPARENT", "END:VEVENT",
      ]
    }
    lines.append("END:VCALENDAR")
    return lines.map(fold).joined(separator: "\r\n") + "\r\n"
  }

  /// A date as iCalendar's DATE (YYYYMMDD).
  static func compact(_ day: Day) -> String { day.description.filter { $0 != "-" } }

  /// TEXT escaping: backslash, semicolon, comma and line breaks.
  static func escape(_ text: String) -> String {
    var out = ""
    for character in text {
      switch character {
      case "\\": out += "\\\\"
      case ";": out += "\\;"
      case ",": out += "\\,"
      case "\n", "\r\n", "\r": out += "\\n"
      default: out.append(character)
      }
    }
    return out
  }

  /// A content line folded into lines of at most 75 octets, each continuation starting with a space.
  static func fold(_ line: String) -> String {
    var out = ""
    var width = 0
    for scalar in line.unicodeScalars {
      let octets = String(scalar).utf8.count
      if width + octets > 75 {
        out += "\r\n "
        width = 1
      }
      out.unicodeScalars.append(scalar)
      width += octets
    }
    return out
  }
}
