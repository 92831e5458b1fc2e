/// Working days in mainland China: Monday to Friday, less the statutory holidays, plus the weekend
/// days worked in exchange (调休上班), as the State Council General Office publishes them each year
/// (国务院办公厅关于部分节假日安排的通知). The table is data (`Embedded/work-calendar.csv`, one row per
/// holiday or exchanged working day, with its source); a year it does not cover is unknown, never
/// guessed from weekdays alone (RULES conventions: a fact never supplied is unknown). EA-3 and EA-6
/// count in working days.
public struct WorkCalendar: Sendable {
  /// Holidays by day, with the holiday's name.
  public let holidays: [Day: String]
  /// Weekend days that are working days.
  public let workdays: Set<Day>
  /// The source of each year covered.
  public let sources: [Int: String]

  public init(holidays: [Day: String], workdays: Set<Day>, sources: [Int: String]) {
    self.holidays = holidays
    self.workdays = workdays
    self.sources = sources
  }

  /// Reads `day,kind,name,source` rows (`kind` holiday or workday); a malformed row is skipped.
  public init(csv: String) {
    var holidays: [Day: String] = [:], workdays: Set<Day> = [], sources: [Int: String] = [:]
    for record in CSVParser.records(in: csv).dropFirst() where record.fields.count == 4 {
      let fields = record.fields
      guard let day = Day(fields[0]) else { continue }
      switch fields[1] {
      case "holiday": holidays[day] = fields[2]
      case "workday": workdays.insert(day)
      default: continue
      }
      sources[day.year] = fields[3]
    }
    self.init(holidays: holidays, workdays: workdays, sources: sources)
  }

  public static let bundled = WorkCalendar(csv: Embedded.workCalendar)

  /// The years the table covers, e.g. "2020–2026".
  public var coverage: String {
    guard let first = sources.keys.min(), let last = sources.keys.max() else { return "none" }
    return first == last ? String(first) : "\(first)–\(last)"
  }

  /// 0 Monday ... 6 Sunday (2021-03-01 was a Monday).
  static func weekday(_ day: Day) -> Int {
    let monday = Day(year: 2021, month: 3, day: 1)?.ordinal ?? 0
    let offset = (day.ordinal - monday) % 7
    return offset < 0 ? offset + 7 : offset
  }

  /// Whether `day` is a working day; nil when its year is not in the table.
  public func isWorkingDay(_ day: Day) -> Bool? {
    guard sources[day.year] != nil else { return nil }
    if workdays.contains(day) { return true }
    if holidays[day] != nil { return false }
    return WorkCalendar.weekday(day) < 5
  }

  /// Working days after `start` up to and including `end` (none when `end` is not after `start`);
  /// nil when a year on the way is not in the table.
  public func workingDays(after start: Day, through end: Day) -> Int? {
    guard start < end else { return 0 }
    var count = 0
    var day = start.adding(days: 1)
    while day <= end {
      guard let working = isWorkingDay(day) else { return nil }
      if working { count += 1 }
      day = day.adding(days: 1)
    }
    return count
  }

  /// The `count`-th working day after `start` (`start` itself not counted); nil when the table runs
  /// out first.
  public func addingWorkingDays(_ count: Int, after start: Day) -> Day? {
    var left = count, day = start
    while left > 0 {
      day = day.adding(days: 1)
      guard let working = isWorkingDay(day) else { return nil }
      if working { left -= 1 }
    }
    return day
  }
}
