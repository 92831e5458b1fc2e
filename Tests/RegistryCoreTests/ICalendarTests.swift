import RegistryCore
import Testing

@Suite("due --format ics: an RFC 5545 calendar of the deadlines")
struct ICalendarTests {
  let asOf = Day("2026-11-29")!

  func item(_ date: String, name: String = "武汉宝丰钢铁有限公司", detail: String = "60 days before valid_to") -> DueItem {
    DueItem(
      date: Day(date)!, clock: "permit renewal application due", rule: "PM-2", creditCode: "91420104MA0000001X",
      name: name, regionCode: "420104", item: "91420104MA0000001X001P", detail: detail)
  }

  @Test("One all-day event per deadline: DATE values, the next day as DTEND, overdue marked, CRLF line ends")
  func events() {
    let text = ICalendar.document([item("2026-12-31"), item("2026-11-01")], asOf: asOf, name: "到期提醒")
    #expect(text.hasPrefix("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") && text.hasSuffix("END:VCALENDAR\r\n"))
    #expect(text.components(separatedBy: "BEGIN:VEVENT").count == 3)
    #expect(text.contains("DTSTART;VALUE=DATE:20261231\r\nDTEND;VALUE=DATE:20270101\r\n"))
    #expect(text.contains("DTSTAMP:20261129T000000Z"))
    let unfolded = text.replacingOccurrences(of: "\r\n ", with: "")
    #expect(unfolded.contains("SUMMARY:【逾期】武汉宝丰钢铁有限公司：permit renewal application due\r\n"))
    #expect(unfolded.contains("SUMMARY:武汉宝丰钢铁有限公司：permit renewal application due\r\n"))
    // Every line break is CRLF.
    #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
  }

  @Test("Lines fold at 75 octets, never inside a character; text values escape \\\\ ; , and line breaks")
  func foldingAndEscaping() {
    let long = String(repeating: "排污许可证延续申请", count: 12)
    let text = ICalendar.document([item("2026-12-31", name: "甲,乙;丙\\丁", detail: long + "\n第二行")], asOf: asOf, name: "x")
    for line in text.components(separatedBy: "\r\n") { #expect(line.utf8.count <= 75, "\(line)") }
    let unfolded = text.replacingOccurrences(of: "\r\n ", with: "")
    #expect(unfolded.contains("甲\\,乙\\;丙\\\\丁"))
    #expect(unfolded.contains(long + "\\n第二行"))
  }

  @Test("A deadline keeps its UID from run to run (a subscribed calendar updates it); another deadline has another")
  func stableIdentifiers() {
    func uids(_ items: [DueItem], _ day: Day) -> [String] {
      ICalendar.document(items, asOf: day, name: "x").components(separatedBy: "\r\n").filter { $0.hasPrefix("UID:") }
    }
    let first = uids([item("2026-12-31"), item("2027-01-31")], asOf)
    #expect(first.count == 2 && Set(first).count == 2)
    #expect(uids([item("2026-12-31")], Day("2026-12-15")!) == [first[0]])
  }
}
