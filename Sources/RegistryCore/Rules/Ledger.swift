/// The assistance ledger (企业环境治理问题台账, RULES §8).
public enum LedgerSource: String, Vocabulary {
  case assistance = "帮扶", inspection = "执法检查", onlineAlert = "在线监控预警", complaint = "信访举报"
  case selfReport = "企业自报", supervision = "督察", epidemicSurvey = "疫情影响调查"
  public var label: String { rawValue }
  public static var aliases: [String: LedgerSource] {
    [
      "assistance": .assistance, "inspection": .inspection, "online-alert": .onlineAlert, "complaint": .complaint,
      "self-report": .selfReport, "supervision": .supervision, "epidemic-survey": .epidemicSurvey,
    ]
  }
  public var english: String {
    switch self {
    case .assistance: "assistance"
    case .inspection: "inspection"
    case .onlineAlert: "online-alert"
    case .complaint: "complaint"
    case .selfReport: "self-report"
    case .supervision: "supervision"
    case .epidemicSurvey: "epidemic-survey"
    }
  }
}

public enum LedgerClass: String, Vocabulary {
  /// 立行立改: fixed at once; may close directly with a note.
  case immediate = "立行立改"
  /// 跟踪督办: tracked through every state.
  case tracked = "跟踪督办"
  public var label: String { rawValue }
  public static var aliases: [String: LedgerClass] { ["immediate": .immediate, "tracked": .tracked] }
}

public enum LedgerState: String, Vocabulary {
  case pending = "待整改", inProgress = "整改中", awaitingAcceptance = "待验收", closed = "已销号"
  public var label: String { rawValue }
  public static var aliases: [String: LedgerState] {
    ["pending": .pending, "in-progress": .inProgress, "awaiting-acceptance": .awaitingAcceptance, "closed": .closed]
  }
  public var english: String {
    switch self {
    case .pending: "pending"
    case .inProgress: "in-progress"
    case .awaitingAcceptance: "awaiting-acceptance"
    case .closed: "closed"
    }
  }
}

public struct LedgerEntry: Sendable, Hashable {
  public enum Kind: String, Sendable { case progress, transition, reopen }
  public var on: Day
  public var kind: Kind
  public var from: LedgerState?
  public var to: LedgerState?
  public var note: String

  public init(on: Day, kind: Kind, from: LedgerState? = nil, to: LedgerState? = nil, note: String) {
    self.on = on
    self.kind = kind
    self.from = from
    self.to = to
    self.note = note
  }
}

public struct LedgerItem: Sendable, Hashable {
  public var id: Int
  public var source: LedgerSource
  public var problemType: String
  public var description: String
  public var foundOn: Day
  public var itemClass: LedgerClass
  public var measures: String
  public var responsibleUnit: String
  public var responsiblePerson: String
  public var dueOn: Day
  public var entries: [LedgerEntry]

  public init(
    id: Int, source: LedgerSource, problemType: String, description: String, foundOn: Day, itemClass: LedgerClass,
    measures: String,
    responsibleUnit: String, responsiblePerson: String, dueOn: Day, entries: [LedgerEntry] = []
  ) {
    self.id = id
    self.source = source
    self.problemType = problemType
    self.description = description
    self.foundOn = foundOn
    self.itemClass = itemClass
    self.measures = measures
    self.responsibleUnit = responsibleUnit
    self.responsiblePerson = responsiblePerson
    self.dueOn = dueOn
    self.entries = entries
  }

  /// The state on `day`, from the dated entries (AL-4: the entries are the record).
  public func state(asOf day: Day) -> LedgerState {
    entries.filter { $0.on <= day && $0.to != nil }.last?.to ?? .pending
  }

  /// The day it was last closed (销号) on or before `day`, if it is closed then.
  public func closedOn(asOf day: Day) -> Day? {
    guard state(asOf: day) == .closed else { return nil }
    return entries.filter { $0.on <= day && $0.to == .closed }.last?.on
  }

  /// AL-3: days past the due date on `day` while not closed (0 when not overdue; the due day itself is not overdue).
  public func daysOverdue(asOf day: Day) -> Int {
    state(asOf: day) == .closed ? 0 : max(0, dueOn.days(until: day))
  }

  /// The latest progress note on or before `day`.
  public func latestProgress(on day: Day) -> String {
    entries.filter { $0.on <= day && !$0.note.isEmpty }.last?.note ?? ""
  }
}

public enum LedgerRules {
  /// AL-2: the states an item may move to from `state`. 立行立改 items may close from any open
  /// state; a closed item only reopens (重启) with a reason.
  public static func allowed(from state: LedgerState, itemClass: LedgerClass) -> [LedgerState] {
    switch state {
    case .pending: itemClass == .immediate ? [.inProgress, .closed] : [.inProgress]
    case .inProgress: itemClass == .immediate ? [.awaitingAcceptance, .closed] : [.awaitingAcceptance]
    case .awaitingAcceptance: [.closed]
    case .closed: []
    }
  }

  /// Why a transition is refused, naming the allowed ones; `nil` when it is allowed.
  public static func transitionRefusal(_ item: LedgerItem, to target: LedgerState, on day: Day, note: String) -> String?
  {
    let current = item.state(asOf: Day(ordinal: Int.max / 2))
    if let last = item.entries.map(\.on).max(), day < last {
      return "the date \(day) is before the item's last entry (\(last)); entries are kept in date order (AL-4)"
    }
    if day < item.foundOn { return "the date \(day) is before the problem was found (\(item.foundOn))" }
    if current == .closed {
      return
        """
        item \(item.id) is 已销号 (closed); it can only be reopened with 'envreg ledger reopen \(item.id) --reason \
        TEXT' (AL-2)
        """
    }
    let allowed = allowed(from: current, itemClass: item.itemClass)
    guard allowed.contains(target) else {
      let names = allowed.map { "\($0.rawValue) (\($0.english))" }.joined(separator: ", ")
      return
        "item \(item.id) is \(current.rawValue) (\(current.english)); from there a \(item.itemClass.rawValue) item may move to \(names.isEmpty ? "nothing" : names), not \(target.rawValue) (AL-2)"
    }
    if target == .closed && current != .awaitingAcceptance && note.trimmingSpaces().isEmpty {
      return "closing a 立行立改 item directly needs a note saying what was done (AL-2)"
    }
    return nil
  }

  /// The entry a request makes (AL-2, AL-4): a progress note (`target` nil), a transition to
  /// `target`, or, with `reopen`, 重启 of a closed item back to 待整改 with a reason (`note`).
  /// Refusals are thrown naming the rule; nothing here reads or writes storage.
  public static func entry(
    for item: LedgerItem, on day: Day, to target: LedgerState?, note: String, reopen: Bool
  ) throws -> LedgerEntry {
    let current = item.state(asOf: Day(ordinal: Int.max / 2))
    let lastEntry = item.entries.map(\.on).max()
    if reopen {
      guard current == .closed else {
        throw RegistryError.refused(
          "Item \(item.id) is \(current.rawValue), not 已销号; only a closed item is reopened (AL-2).")
      }
      guard !note.trimmingSpaces().isEmpty else {
        throw RegistryError.invalid([FieldProblem(field: "reason", value: "", reason: "重启 needs a reason (AL-2)")])
      }
      if let lastEntry, day < lastEntry {
        throw RegistryError.refused("The date \(day) is before the item's last entry (\(lastEntry)) (AL-4).")
      }
      return LedgerEntry(on: day, kind: .reopen, from: current, to: .pending, note: note)
    }
    if let target {
      if let refusal = transitionRefusal(item, to: target, on: day, note: note) {
        throw RegistryError.refused("Refused: \(refusal).")
      }
      return LedgerEntry(on: day, kind: .transition, from: current, to: target, note: note)
    }
    guard !note.trimmingSpaces().isEmpty else {
      throw RegistryError.invalid([FieldProblem(field: "note", value: "", reason: "a progress entry needs a note")])
    }
    if current == .closed {
      throw RegistryError.refused("Item \(item.id) is 已销号; reopen it before recording progress (AL-2).")
    }
    if let lastEntry, day < lastEntry {
      throw RegistryError.refused("The date \(day) is before the item's last entry (\(lastEntry)) (AL-4).")
    }
    return LedgerEntry(on: day, kind: .progress, from: nil, to: nil, note: note)
  }

  /// The report columns (RULES §8), Chinese by default.
  public static let chineseHeaders = [
    "序号", "企业名称", "统一社会信用代码", "所在地", "行业", "问题来源", "问题类型", "问题描述", "发现日期", "问题分类", "帮扶措施", "责任单位", "责任人", "整改时限",
    "整改进展", "状态", "销号日期", "备注",
  ]
  public static let englishHeaders = [
    "no", "enterprise", "credit_code", "location", "industry", "source", "problem_type", "description", "found_on",
    "class", "measures", "responsible_unit", "responsible_person", "due_on", "progress", "state", "closed_on",
    "remarks",
  ]
}

/// One ledger item with its firm, for reports.
public struct LedgerLine: Sendable {
  public var item: LedgerItem
  public var creditCode: String
  public var name: String
  public var regionCode: String
  public var industryCode: String

  public init(item: LedgerItem, creditCode: String, name: String, regionCode: String, industryCode: String) {
    self.item = item
    self.creditCode = creditCode
    self.name = name
    self.regionCode = regionCode
    self.industryCode = industryCode
  }

  /// The report row (序号 … 备注) as typed values: dates stay dates for the workbook.
  public func cells(
    number: Int, asOf: Day, english: Bool, divisions: Divisions = .bundled, industries: Industries = .bundled
  ) -> [Value] {
    let state = item.state(asOf: asOf)
    let overdue = item.daysOverdue(asOf: asOf)
    let closedLate = item.closedOn(asOf: asOf).map { $0 > item.dueOn } ?? false
    var remarks: [String] = []
    if overdue > 0 { remarks.append(english ? "overdue \(overdue) days" : "超期\(overdue)天") }
    if closedLate { remarks.append(english ? "closed after the due date" : "逾期销号") }
    if item.entries.contains(where: { $0.kind == .reopen }) { remarks.append(english ? "reopened" : "已重启") }
    return [
      .int(number), .text(name), .text(creditCode), .text(divisions.fullName(of: regionCode)),
      .text("\(industryCode) \(industries.lookup(industryCode)?.name ?? "")"),
      .text(english ? item.source.english : item.source.rawValue),
      .text(item.problemType), .text(item.description), .day(item.foundOn), .text(item.itemClass.rawValue),
      .text(item.measures),
      .text(item.responsibleUnit), .text(item.responsiblePerson), .day(item.dueOn),
      .text(item.latestProgress(on: asOf)),
      .text(english ? state.english : state.rawValue), .optional(item.closedOn(asOf: asOf)),
      .text(remarks.joined(separator: "; ")),
    ]
  }
}

/// The summary block of a ledger report, accumulated item by item (the report streams).
public struct LedgerSummary: Sendable {
  public var asOf: Day
  public var from: Day?
  public var to: Day?
  public private(set) var total = 0
  public private(set) var byState: [String: Int] = [:]
  public private(set) var byClass: [String: Int] = [:]
  public private(set) var byType: [String: Int] = [:]
  public private(set) var byUnit: [String: Int] = [:]
  public private(set) var closedInPeriod = 0
  public private(set) var overdue = 0
  public private(set) var closed = 0
  private var daysToClose: [Int] = []
  /// Items per region one level below the report's (a province's cities, a city's counties) and
  /// state, and the overdue ones per region: the crosstab a filed report carries.
  public private(set) var byRegion: [String: [LedgerState: Int]] = [:]
  public private(set) var overdueByRegion: [String: Int] = [:]
  /// Items closed per calendar month (keyed by the month's first day).
  public private(set) var closedByMonth: [Day: Int] = [:]
  /// The length of the region codes grouped by (2 province, 4 city, 6 county).
  public let groupLength: Int

  /// `regionPrefix`: the report's region (nil: the whole registry), whose next level groups the
  /// crosstab.
  public init(asOf: Day, from: Day?, to: Day?, regionPrefix: String? = nil) {
    self.asOf = asOf
    self.from = from
    self.to = to
    groupLength = min(6, (regionPrefix?.count ?? 0) < 2 ? 2 : (regionPrefix?.count ?? 0) < 4 ? 4 : 6)
  }

  public mutating func add(_ item: LedgerItem, region: String = "") {
    total += 1
    let state = item.state(asOf: asOf)
    let group = String(region.prefix(groupLength))
    byRegion[group, default: [:]][state, default: 0] += 1
    if item.daysOverdue(asOf: asOf) > 0 { overdueByRegion[group, default: 0] += 1 }
    byState[state.rawValue, default: 0] += 1
    byClass[item.itemClass.rawValue, default: 0] += 1
    byType[item.problemType, default: 0] += 1
    byUnit[item.responsibleUnit, default: 0] += 1
    if item.daysOverdue(asOf: asOf) > 0 { overdue += 1 }
    if let closedOn = item.closedOn(asOf: asOf) {
      closedByMonth[Charts.month(of: closedOn), default: 0] += 1
      closed += 1
      daysToClose.append(item.foundOn.days(until: closedOn))
      if (from.map { closedOn >= $0 } ?? true) && (to.map { closedOn <= $0 } ?? true) { closedInPeriod += 1 }
    }
  }

  /// Closed items over all items, in percent with one decimal.
  public var closureRate: Double { total == 0 ? 0 : Double(closed) / Double(total) * 100 }

  /// Median days from found to closed (the mean of the middle two for an even count).
  public var medianDaysToClose: Double? {
    guard !daysToClose.isEmpty else { return nil }
    let sorted = daysToClose.sorted()
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? Double(sorted[middle]) : Double(sorted[middle - 1] + sorted[middle]) / 2
  }

  /// The crosstab region × state as filed: a row per region (its name from GB/T 2260), a column per
  /// state (AL-2), 合计 and 超期 columns, and a 合计 row.
  public func crosstab(english: Bool, divisions: Divisions = .bundled) -> (headers: [String], rows: [[Value]]) {
    let states = LedgerState.allCases
    let headers =
      [english ? "region" : "地区"] + states.map { english ? $0.english : $0.rawValue }
      + [english ? "total" : "合计", english ? "overdue" : "超期"]
    func line(_ label: String, _ counts: [LedgerState: Int], overdue: Int) -> [Value] {
      [.text(label)] + states.map { .int(counts[$0] ?? 0) } + [.int(counts.values.reduce(0, +)), .int(overdue)]
    }
    var rows = byRegion.keys.sorted().map { code -> [Value] in
      let name =
        code.isEmpty ? "" : divisions.fullName(of: code + String(repeating: "0", count: max(0, 6 - code.count)))
      return line(name, byRegion[code] ?? [:], overdue: overdueByRegion[code] ?? 0)
    }
    var all: [LedgerState: Int] = [:]
    for counts in byRegion.values { all.merge(counts, uniquingKeysWith: +) }
    rows.append(line(english ? "total" : "合计", all, overdue: overdue))
    return (headers, rows)
  }

  /// Items closed in each of the 12 months up to `asOf`'s (the report's picture of progress).
  public func closureChart(english: Bool) -> BarChart {
    let months = Charts.months(endingWith: asOf, count: 12)
    return BarChart(
      title: english ? "Items closed per month (12 months to \(asOf))" : "每月销号问题数（截至\(asOf)的12个月）",
      categories: months.map(Charts.label),
      series: [(english ? "closed" : "销号", months.map { closedByMonth[$0] ?? 0 })])
  }

  /// Rows of `(group, key, count)` plus the headline figures.
  public func rows(english: Bool) -> [Fields] {
    var rows: [Fields] = []
    func add(_ group: String, _ key: String, _ value: Value) {
      rows.append(Fields([("group", .text(group)), ("item", .text(key)), ("value", value)]))
    }
    add(english ? "total" : "合计", english ? "items" : "问题总数", .int(total))
    for state in LedgerState.allCases {
      add(english ? "state" : "按状态", english ? state.english : state.rawValue, .int(byState[state.rawValue] ?? 0))
    }
    for itemClass in LedgerClass.allCases {
      add(english ? "class" : "按分类", itemClass.rawValue, .int(byClass[itemClass.rawValue] ?? 0))
    }
    for (type, count) in byType.sorted(by: { ($1.value, $0.key) < ($0.value, $1.key) }) {
      add(english ? "type" : "按问题类型", type, .int(count))
    }
    for (unit, count) in byUnit.sorted(by: { ($1.value, $0.key) < ($0.value, $1.key) }) {
      add(english ? "responsible unit" : "按责任单位", unit, .int(count))
    }
    let period = "\(from?.description ?? "…") – \(to?.description ?? asOf.description)"
    add(english ? "period" : "本期", english ? "closed in \(period)" : "本期销号 (\(period))", .int(closedInPeriod))
    add(english ? "overdue" : "超期", english ? "overdue on \(asOf)" : "截至\(asOf)超期未销号", .int(overdue))
    add(english ? "closure rate" : "销号率", english ? "closed / all, %" : "已销号/总数 (%)", .decimal(closureRate, places: 1))
    add(
      english ? "median days to close" : "销号中位天数", english ? "found to closed" : "发现至销号",
      medianDaysToClose.map { .decimal($0, places: 1) } ?? .null)
    return rows
  }
}

extension LedgerRules {
  /// AL-1: what a ledger item must give (problem type, description, responsible unit and person)
  /// and a deadline no earlier than the finding.
  public static func recordProblems(_ item: LedgerItem) -> [FieldProblem] {
    var problems: [FieldProblem] = []
    for (field, value) in [
      ("problem_type", item.problemType), ("description", item.description), ("responsible_unit", item.responsibleUnit),
      ("responsible_person", item.responsiblePerson),
    ]
    where value.trimmingSpaces().isEmpty {
      problems.append(FieldProblem(field: field, value: "", reason: "is required (AL-1)"))
    }
    if item.dueOn < item.foundOn {
      problems.append(
        FieldProblem(field: "due_on", value: item.dueOn.description, reason: "is before found_on \(item.foundOn)"))
    }
    return problems
  }
}
