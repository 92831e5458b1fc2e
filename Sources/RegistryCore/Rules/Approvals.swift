/// RULES §11 (EA-1..EA-8) and §4 for a project: construction projects (建设项目) on the EIA approval
/// service ledgers (三本台账), their approval clock, and the green channel. Pure functions of the
/// project's dated facts, the policy book, the working-day calendar and an `asOf` date.

/// EA-1: the EIA document a project files, from the classification directory (分类管理名录).
public enum DocumentType: String, Vocabulary, Comparable {
  case notManaged = "not-managed", registration, form, report

  public var label: String {
    switch self {
    case .notManaged: "不纳入环评管理"
    case .registration: "登记表"
    case .form: "报告表"
    case .report: "报告书"
    }
  }

  var rank: Int { DocumentType.allCases.firstIndex(of: self) ?? 0 }
  public static func < (a: DocumentType, b: DocumentType) -> Bool { a.rank < b.rank }
}

/// EA-1: one item of the classification directory a project falls under (跨行业、复合型 projects
/// have several), with the document the item asks for. Written `EDITION:ITEM:TYPE`, e.g.
/// `2021:30-2614:report`.
public struct ProjectItem: Sendable, Hashable, CustomStringConvertible {
  public var edition: String
  public var item: String
  public var type: DocumentType

  public init(edition: String, item: String, type: DocumentType) {
    self.edition = edition
    self.item = item
    self.type = type
  }

  public init?(_ text: String) {
    let parts = text.split(separator: ":", omittingEmptySubsequences: false).map { String($0).trimmingSpaces() }
    guard parts.count == 3, parts[0].count == 4, parts[0].allSatisfy(\.isASCII), Int(parts[0]) != nil,
      !parts[1].isEmpty, let type = DocumentType.parse(parts[2])
    else { return nil }
    self.init(edition: parts[0], item: parts[1], type: type)
  }

  public var description: String { "\(edition):\(item):\(type.rawValue)" }
}

/// EA-2: the three ledgers of major projects.
public enum MajorLedger: String, Vocabulary {
  case national, local, foreign

  public var label: String {
    switch self {
    case .national: "国家层面重大项目"
    case .local: "地方重大项目"
    case .foreign: "利用外资重大项目"
    }
  }
}

/// EA-2: a dated entry of a project on a ledger.
public struct ProjectListing: Sendable, Hashable {
  public var ledger: MajorLedger
  public var reference: String
  public var from: Day
  /// Last day listed, inclusive; nil while listed.
  public var to: Day?

  public init(ledger: MajorLedger, reference: String, from: Day, to: Day? = nil) {
    self.ledger = ledger
    self.reference = reference
    self.from = from
    self.to = to
  }

  public func isListed(on day: Day) -> Bool { from <= day && (to.map { day <= $0 } ?? true) }
}

/// EA-7: how the approval is sought.
public enum ApprovalRoute: String, Vocabulary {
  case ordinary, commitment

  public var label: String {
    switch self {
    case .ordinary: "一般审批"
    case .commitment: "告知承诺制"
    }
  }
}

/// The dated events of an approval (EA-3..EA-7).
public enum ApprovalEventKind: String, Vocabulary {
  case earlyService = "early-service", received, correctionNotice = "correction-notice", corrected
  case hearing, expertReview = "expert-review", technicalReview = "technical-review", publicNotice = "public-notice"
  case approved, refused, withdrawn, filed, checked, revoked

  public var label: String {
    switch self {
    case .earlyService: "提前介入"
    case .received: "收到申请"
    case .correctionNotice: "补正通知"
    case .corrected: "补正齐全"
    case .hearing: "听证"
    case .expertReview: "专家评审"
    case .technicalReview: "技术评估"
    case .publicNotice: "审批公示"
    case .approved: "批复"
    case .refused: "不予批复"
    case .withdrawn: "撤回申请"
    case .filed: "登记表备案"
    case .checked: "事后核查通过"
    case .revoked: "撤销批复"
    }
  }

  /// EA-4: intervals the statutory limit does not count (inclusive).
  public var stopsClock: Bool { [.hearing, .expertReview, .technicalReview].contains(self) }
  /// Events that span days (`--to`).
  public var isInterval: Bool { stopsClock || self == .publicNotice }
  public var isDecision: Bool { [.approved, .refused, .withdrawn].contains(self) }
  /// EA-7: the post-approval check's outcomes.
  public var isCheck: Bool { self == .checked || self == .revoked }
}

public struct ApprovalEvent: Sendable, Hashable {
  public var kind: ApprovalEventKind
  public var on: Day
  /// Last day of an interval, inclusive; nil for a day's event or an interval still open.
  public var to: Day?
  public var reference: String
  public var note: String

  public init(kind: ApprovalEventKind, on: Day, to: Day? = nil, reference: String = "", note: String = "") {
    self.kind = kind
    self.on = on
    self.to = to
    self.reference = reference
    self.note = note
  }
}

/// A construction project (建设项目) as the bureau records it. The builder need not be registered.
public struct Project: Sendable {
  public var number: String
  public var name: String
  public var builderCode: String
  public var builderName: String
  public var regionCode: String
  public var industryCode: String
  /// 总投资 in fen; nil when not given.
  public var investmentFen: Int64?
  public var items: [ProjectItem]
  /// EIA-X1: in an environmentally sensitive area; nil unknown.
  public var sensitive: Bool?
  /// EIA-C1: designated urgently needed for epidemic prevention; nil unknown.
  public var urgent: Bool?
  public var process: ProductionProcess
  public var route: ApprovalRoute
  public var contact: String
  /// The version's effective date (an update is a new version from its date).
  public var effective: Day
  public var listings: [ProjectListing]
  public var events: [ApprovalEvent]

  public init(
    number: String, name: String, builderCode: String, builderName: String, regionCode: String,
    industryCode: String, investmentFen: Int64? = nil, items: [ProjectItem], sensitive: Bool? = nil,
    urgent: Bool? = nil, process: ProductionProcess = .unknown, route: ApprovalRoute = .ordinary,
    contact: String = "", effective: Day, listings: [ProjectListing] = [], events: [ApprovalEvent] = []
  ) {
    self.number = number
    self.name = name
    self.builderCode = builderCode
    self.builderName = builderName
    self.regionCode = regionCode
    self.industryCode = industryCode
    self.investmentFen = investmentFen
    self.items = items
    self.sensitive = sensitive
    self.urgent = urgent
    self.process = process
    self.route = route
    self.contact = contact
    self.effective = effective
    self.listings = listings
    self.events = events
  }

  /// EA-1: the highest document of its items; nil when no item is given (unknown).
  public var documentType: DocumentType? { items.map(\.type).max() }

  public func ledgers(on day: Day) -> [MajorLedger] {
    MajorLedger.allCases.filter { ledger in listings.contains { $0.ledger == ledger && $0.isListed(on: day) } }
  }
}

/// Where an approval stands on a date.
public enum ApprovalStage: String, Vocabulary {
  case planned, earlyService = "early-service", awaitingCorrection = "awaiting-correction"
  case underReview = "under-review", clockStopped = "clock-stopped", approved, refused, withdrawn, filed

  public var label: String {
    switch self {
    case .planned: "未申报"
    case .earlyService: "提前介入"
    case .awaitingCorrection: "待补正"
    case .underReview: "审查中"
    case .clockStopped: "评估/评审/听证中"
    case .approved: "已批复"
    case .refused: "不予批复"
    case .withdrawn: "已撤回"
    case .filed: "已备案"
    }
  }
}

/// One clock of an approval: the statutory limit in calendar days (EA-4), or a promised limit in
/// working days (EA-6 green channel, EA-7 告知承诺制).
public struct ApprovalClock: Sendable, Hashable {
  public enum Unit: String, Sendable { case days, workingDays = "working-days" }
  public var rule: String
  public var unit: Unit
  public var limit: Int
  /// Days used up to the decision or the date, less the intervals that stop the clock; nil unknown.
  public var used: Int?
  /// The last day of the limit as the clock stands; nil unknown.
  public var due: Day?

  public var left: Int? { used.map { limit - $0 } }
  /// EA-8: days past the limit (0 within it); nil unknown.
  public var overdue: Int? { used.map { max(0, $0 - limit) } }
}

/// EA-7: the check after a 告知承诺 approval.
public struct PostApprovalCheck: Sendable, Hashable {
  public var due: Day
  public var outcome: ApprovalEvent?
  public var isOverdue: Bool
}

/// A project's approval as of a date, with its trace.
public struct ApprovalStatus: Sendable {
  public var asOf: Day
  public var type: DocumentType?
  public var stage: ApprovalStage
  public var received: Day?
  /// EA-3: the acceptance date (受理); the clock starts the day after.
  public var accepted: Day?
  public var decision: ApprovalEvent?
  public var greenChannel: Verdict.Status
  public var statutory: ApprovalClock?
  public var promised: ApprovalClock?
  public var check: PostApprovalCheck?
  public var trace: [TraceLine]

  /// EA-8: overdue on either clock, or its post-approval check overdue; nil when unknown.
  public var isOverdue: Bool? {
    let clocks = [statutory, promised].compactMap { $0 }
    if clocks.contains(where: { ($0.overdue ?? 0) > 0 }) || check?.isOverdue == true { return true }
    return clocks.contains { $0.used == nil } ? nil : false
  }
}

public enum ApprovalRules {
  public static func statutoryKey(_ type: DocumentType) -> String { "ea.statutory_days.\(type.rawValue)" }
  public static func promisedKey(_ type: DocumentType) -> String { "ea.promised_working_days.\(type.rawValue)" }
  public static let correctionKey = "ea.correction.working_days"
  public static let commitmentIndustriesKey = "ea.commitment.industries"
  public static let commitmentDecisionKey = "ea.commitment.decision_working_days"
  public static let commitmentCheckKey = "ea.commitment.check_days"

  /// The approval of `project` as of `asOf`: EA-1 type, EA-3 acceptance, EA-4 statutory clock,
  /// EA-5 registration filing, the §4 green channel, EA-6 / EA-7 promised clocks, the EA-7 check and
  /// EA-8 overdue, every one traced. `builderIsMember`: the builder is on the EIA green channel on
  /// the date (false when the builder is not registered). `registrations`: the numbers of the
  /// builder's 排污登记 (EA-5 links a 登记表 filing to them), nil when the builder is not registered.
  public static func status(
    _ project: Project, builderIsMember: Bool, registrations: [String]? = nil, policy: PolicyBook,
    calendar: WorkCalendar, asOf: Day
  ) -> ApprovalStatus {
    var context = ApprovalContext(
      project: project, policy: policy, calendar: calendar, asOf: asOf,
      events: project.events.filter { $0.on <= asOf }.sorted { $0.on < $1.on })
    return context.evaluate(builderIsMember: builderIsMember, registrations: registrations)
  }
}

/// The evaluation of one project, with helpers that read parameters and write trace lines.
struct ApprovalContext {
  let project: Project
  let policy: PolicyBook
  let calendar: WorkCalendar
  let asOf: Day
  /// Events dated on or before `asOf`, oldest first.
  let events: [ApprovalEvent]
  var trace: [TraceLine] = []

  func parameter(_ key: String) -> PolicyParameter? { policy.lookup(key, region: project.regionCode, asOf: asOf) }

  mutating func add(
    _ rule: String, _ description: String, fact: String, threshold: String, outcome: TraceLine.Outcome,
    clause: String, kind: TraceLine.Kind = .condition
  ) {
    trace.append(
      TraceLine(rule, kind, description, fact: fact, threshold: threshold, outcome: outcome, clause: clause))
  }

  mutating func evaluate(builderIsMember: Bool, registrations: [String]?) -> ApprovalStatus {
    let type = documentType()
    let green = greenChannel(builderIsMember: builderIsMember)
    let received = events.first { $0.kind == .received }
    let decision = events.first { $0.kind.isDecision }
    let filed = events.first { $0.kind == .filed }
    var status = ApprovalStatus(
      asOf: asOf, type: type, stage: .planned, received: received?.on, accepted: nil, decision: decision,
      greenChannel: green, statutory: nil, promised: nil, check: nil, trace: [])
    if type == .registration || type == .notManaged {
      registrationFiling(type: type, filed: filed, registrations: registrations)
      status.stage = filed != nil ? .filed : (events.contains { $0.kind == .earlyService } ? .earlyService : .planned)
      status.trace = trace
      return status
    }
    let accepted = received.flatMap { acceptance(received: $0) }
    status.accepted = accepted
    status.stage = stage(received: received, accepted: accepted, decision: decision)
    if let accepted, let type {
      let end = decision.map(\.on) ?? asOf
      status.statutory = statutoryClock(type: type, accepted: accepted, end: end)
      status.promised = promisedClock(type: type, green: green, accepted: accepted, end: end)
    } else if received != nil {
      add(
        "EA-4", "statutory limit (calendar days from the day after 受理)",
        fact: type == nil ? "document type unknown" : "not accepted (受理) yet", threshold: "-",
        outcome: type == nil ? .unknown : .pass, clause: "环境影响评价法 art. 22")
    }
    status.check = commitment(decision: decision)
    overdueLines(status)
    status.trace = trace
    return status
  }

  // MARK: EA-1

  mutating func documentType() -> DocumentType? {
    let type = project.documentType
    add(
      "EA-1", "document type: the highest of the project's directory items (报告书 > 报告表 > 登记表)",
      fact: project.items.isEmpty
        ? "no directory item given" : project.items.map(\.description).joined(separator: ", "),
      threshold: type?.label ?? "-", outcome: type == nil ? .unknown : .pass,
      clause: "环境影响评价法 art. 16; 建设项目环境影响评价分类管理名录")
    return type
  }

  // MARK: EA-5

  mutating func registrationFiling(type: DocumentType?, filed: ApprovalEvent?, registrations: [String]?) {
    if type == .notManaged {
      add(
        "EA-1", "not managed under the directory: no EIA document, no clock", fact: DocumentType.notManaged.label,
        threshold: "-",
        outcome: .pass, clause: "建设项目环境影响评价分类管理名录 (名录未作规定的建设项目，不纳入环评管理)")
      return
    }
    add(
      "EA-5", "登记表: filed online (备案) before operation, receipt immediate, no approval clock",
      fact: filed.map { "filed \($0.on)\($0.reference.isEmpty ? "" : " (\($0.reference))")" } ?? "not filed yet",
      threshold: "filed before operation", outcome: filed == nil ? .unknown : .pass,
      clause: "环境影响评价法 art. 22; 部令第41号")
    let held = registrations ?? []
    add(
      "EA-5", "the builder's 排污登记, which the filing links to",
      fact: registrations == nil
        ? "builder \(project.builderCode) not registered" : held.isEmpty ? "no 排污登记" : held.joined(separator: ", "),
      threshold: "a 排污登记 of the builder", outcome: held.isEmpty ? .unknown : .pass,
      clause: "环评审批正面清单 (豁免一批: covered by 排污许可登记管理)")
  }

  // MARK: EA-3

  /// The acceptance date: receipt, or the completed file after a 补正 notice sent within the
  /// working days allowed; a later notice leaves 受理 at the receipt (行政许可法 art. 32(4)).
  mutating func acceptance(received: ApprovalEvent) -> Day? {
    let description = "受理: the receipt, or the completed file after a 补正 notice within the allowed working days"
    guard let notice = events.first(where: { $0.kind == .correctionNotice && $0.on >= received.on }) else {
      add(
        "EA-3", description, fact: "received \(received.on), no 补正 notice", threshold: "受理 = receipt",
        outcome: .pass, clause: "行政许可法 arts. 32(4), 82")
      return received.on
    }
    guard let allowed = parameter(ApprovalRules.correctionKey), let count = allowed.value.integer else {
      add(
        "EA-3", description, fact: "补正 notice \(notice.on)", threshold: "\(ApprovalRules.correctionKey) not in force",
        outcome: .unknown, clause: "行政许可法 arts. 32(4), 82")
      return nil
    }
    let deadline = calendar.addingWorkingDays(count, after: received.on)
    let clause = allowed.citation
    guard let deadline else {
      add(
        "EA-3", description, fact: "received \(received.on), 补正 notice \(notice.on)",
        threshold: "within \(count) working days (holiday calendar covers \(calendar.coverage) only)",
        outcome: .unknown, clause: clause)
      return nil
    }
    guard notice.on <= deadline else {
      add(
        "EA-3", description, fact: "received \(received.on), 补正 notice \(notice.on) (late)",
        threshold: "notice by \(deadline) (\(count) working days), else 受理 = receipt", outcome: .fail,
        clause: clause)
      return received.on
    }
    let corrected = events.first { $0.kind == .corrected && $0.on >= notice.on }
    add(
      "EA-3", description,
      fact: "received \(received.on), 补正 notice \(notice.on), "
        + (corrected.map { "complete \($0.on)" } ?? "not complete yet"),
      threshold: "notice by \(deadline) (\(count) working days): 受理 = completion", outcome: .pass, clause: clause)
    return corrected?.on
  }

  func stage(received: ApprovalEvent?, accepted: Day?, decision: ApprovalEvent?) -> ApprovalStage {
    if let decision {
      switch decision.kind {
      case .refused: return .refused
      case .withdrawn: return .withdrawn
      default: return .approved
      }
    }
    if received == nil { return events.contains { $0.kind == .earlyService } ? .earlyService : .planned }
    guard accepted != nil else { return .awaitingCorrection }
    let stopped = events.contains { $0.kind.stopsClock && $0.on <= asOf && ($0.to.map { asOf <= $0 } ?? true) }
    return stopped ? .clockStopped : .underReview
  }

  // MARK: EA-4, EA-6

  /// The days of the clock-stopping intervals after `accepted` and up to `end`, inclusive (an
  /// interval still open runs to `end`).
  func stoppedDays(after accepted: Day, through end: Day) -> [Day] {
    var days = Set<Day>()
    for event in events where event.kind.stopsClock {
      let first = max(event.on, accepted.adding(days: 1)), last = min(event.to ?? end, end)
      guard first <= last else { continue }
      var day = first
      while day <= last {
        days.insert(day)
        day = day.adding(days: 1)
      }
    }
    return days.sorted()
  }

  func stoppedText(_ days: [Day]) -> String {
    let intervals = events.filter { $0.kind.stopsClock }.map {
      "\($0.kind.label) \($0.on)..\($0.to.map(\.description) ?? "")"
    }
    return intervals.isEmpty
      ? "no interval stops the clock" : "\(intervals.joined(separator: ", ")): \(days.count) days"
  }

  mutating func statutoryClock(type: DocumentType, accepted: Day, end: Day) -> ApprovalClock? {
    let key = ApprovalRules.statutoryKey(type)
    let description = "statutory limit in calendar days, from the day after 受理, less 听证/专家评审/技术评估"
    guard let limit = parameter(key), let days = limit.value.integer else {
      add("EA-4", description, fact: "\(type.label)", threshold: "\(key) not in force", outcome: .unknown, clause: "")
      return nil
    }
    let stopped = stoppedDays(after: accepted, through: end)
    let used = accepted.days(until: end) - stopped.count
    let clock = ApprovalClock(
      rule: "EA-4", unit: .days, limit: days, used: used, due: accepted.adding(days: days + stopped.count))
    add(
      "EA-4", description,
      fact: "受理 \(accepted), to \(end): \(accepted.days(until: end)) days, \(stoppedText(stopped)); used \(used)",
      threshold: "\(days) days (due \(clock.due.map(\.description) ?? "-"))",
      outcome: used <= days ? .pass : .fail, clause: limit.citation)
    return clock
  }

  mutating func promisedClock(type: DocumentType, green: Verdict.Status, accepted: Day, end: Day) -> ApprovalClock? {
    let rule: String, key: String, description: String
    if project.route == .commitment {
      (rule, key) = ("EA-7", ApprovalRules.commitmentDecisionKey)
      description = "告知承诺制: decision within the promised working days"
    } else {
      (rule, key) = ("EA-6", ApprovalRules.promisedKey(type))
      description = "green channel: the promised limit in working days, from the day after 受理"
      guard green == .eligible else {
        add(
          rule, description, fact: "green channel \(green.rawValue)", threshold: "applies to green-channel projects",
          outcome: green == .undetermined ? .unknown : .notInForce, clause: "环综合〔2020〕13号; 环厅〔2020〕27号 二(二)")
        return nil
      }
    }
    guard let limit = parameter(key), let count = limit.value.integer else {
      add(
        rule, description, fact: "region \(project.regionCode)", threshold: "\(key) not set for the region (local)",
        outcome: .notInForce, clause: "")
      return nil
    }
    let stopped = stoppedDays(after: accepted, through: end)
    let stoppedWorking = stopped.filter { calendar.isWorkingDay($0) == true }.count
    let stoppedUnknown = stopped.contains { calendar.isWorkingDay($0) == nil }
    let used = calendar.workingDays(after: accepted, through: end).flatMap {
      stoppedUnknown ? nil : $0 - stoppedWorking
    }
    let clock = ApprovalClock(
      rule: rule, unit: .workingDays, limit: count, used: used,
      due: calendar.addingWorkingDays(count + stoppedWorking, after: accepted))
    add(
      rule, description,
      fact: used.map { "受理 \(accepted), to \(end): \($0) working days (\(stoppedWorking) stopped)" }
        ?? "the holiday calendar covers \(calendar.coverage) only",
      threshold: "\(count) working days (due \(clock.due.map(\.description) ?? "-"))",
      outcome: used.map { $0 <= count ? .pass : .fail } ?? .unknown, clause: limit.citation)
    return clock
  }

  // MARK: §4 for a project

  /// The green channel: the builder on the EIA green channel, or the project in an EIA-C1..C4
  /// category itself (EIA-C2: on the national or local major-project ledger), unless EIA-X1.
  mutating func greenChannel(builderIsMember: Bool) -> Verdict.Status {
    var lines: [TraceLine] = []
    func line(
      _ rule: String, _ kind: TraceLine.Kind, _ text: String, _ fact: String, _ threshold: String,
      _ outcome: TraceLine.Outcome, _ parameter: PolicyParameter?
    ) {
      lines.append(
        TraceLine(
          rule, kind, text, fact: fact, threshold: threshold, outcome: parameter == nil ? .notInForce : outcome,
          clause: parameter?.citation ?? ""))
    }
    let industry = "\(project.industryCode) \(Industries.bundled.lookup(project.industryCode)?.name ?? "")"
    func matches(_ key: String) -> (PolicyParameter?, Bool) {
      let parameter = self.parameter(key)
      return (parameter, (parameter?.value.codes ?? []).contains { project.industryCode.hasPrefix($0) })
    }
    lines.append(
      TraceLine(
        "EIA-G", .category, "the builder is on the EIA green channel (环评审批正面清单)",
        fact: builderIsMember ? "\(project.builderCode) is a member" : "\(project.builderCode) is not a member",
        threshold: "membership in force on \(asOf)", outcome: builderIsMember ? .pass : .fail,
        clause: "环厅〔2020〕27号 二(二)"))
    let c1 = parameter("eia.c1.designations")
    line(
      "EIA-C1", .category, "designated urgently needed for epidemic prevention (医疗卫生、物资生产、研究试验)",
      project.urgent.map { $0 ? "designated" : "not designated" } ?? "not recorded", "designated",
      project.urgent.map { $0 ? .pass : .fail } ?? .unknown, c1)
    let ledgers = project.ledgers(on: asOf).filter { $0 != .foreign }
    line(
      "EIA-C2", .category, "a major project: on the national or local major-project ledger (EA-2)",
      ledgers.isEmpty ? "on no major ledger" : ledgers.map(\.label).joined(separator: "、"),
      "national or local ledger on \(asOf)", ledgers.isEmpty ? .fail : .pass, parameter("eia.c2.designations"))
    let (c3, inC3) = matches("eia.c3.industries")
    line(
      "EIA-C3", .category, "畜牧业, 种植业, clean energy, nuclear", industry, "industry in \(c3?.value.description ?? "-")",
      inC3 ? .pass : .fail, c3)
    let (chips, inChips) = matches("eia.c4.industries"), (bio, inBio) = matches("eia.c4.biomedicine")
    var c4 = TraceLine.Outcome.fail
    if inChips {
      c4 = .pass
    } else if inBio {
      switch project.process {
      case .unknown: c4 = .unknown
      case .fermentation, .chemicalSynthesis: c4 = .fail
      default: c4 = .pass
      }
    }
    line(
      "EIA-C4", .category, "IC, biomedicine (not fermentation or chemical synthesis)",
      "\(industry), process \(project.process.rawValue)",
      "industry in \(chips?.value.description ?? "-") or \(bio?.value.description ?? "-")", c4, chips ?? bio)
    let plating = parameter("eia.x1.electroplating")
    let isPlating = (plating?.value.codes ?? []).contains { project.industryCode.hasPrefix($0) }
    var x1 = TraceLine.Outcome.pass
    if project.sensitive == true || (isPlating && project.process == .electroplating) {
      x1 = .fail
    } else if project.sensitive == nil || (isPlating && project.process == .unknown) {
      x1 = .unknown
    }
    line(
      "EIA-X1", .exclusion, "in an environmentally sensitive area, or electroplating (3360 with plating process)",
      "sensitive area \(project.sensitive.map { $0 ? "yes" : "no" } ?? "not recorded"), \(industry), "
        + "process \(project.process.rawValue)",
      "not in a sensitive area and not electroplating", x1, parameter("eia.x1.designations") ?? plating)
    trace += lines
    return Verdict.status(of: lines)
  }

  // MARK: EA-7

  mutating func commitment(decision: ApprovalEvent?) -> PostApprovalCheck? {
    guard project.route == .commitment else { return nil }
    let categories = parameter(ApprovalRules.commitmentIndustriesKey)
    let inCategory = (categories?.value.codes ?? []).contains { project.industryCode.hasPrefix($0) }
    add(
      "EA-7", "告知承诺制 categories (local, versioned), less EIA-X1", fact: project.industryCode,
      threshold: categories.map { "industry in \($0.value)" } ?? "\(ApprovalRules.commitmentIndustriesKey) not set",
      outcome: categories == nil ? .unknown : (inCategory ? .pass : .fail), clause: categories?.citation ?? "")
    guard let decision, decision.kind == .approved else { return nil }
    guard let period = parameter(ApprovalRules.commitmentCheckKey), let days = period.value.integer else {
      add(
        "EA-7", "post-approval check within the local period", fact: "approved \(decision.on)",
        threshold: "\(ApprovalRules.commitmentCheckKey) not set for the region", outcome: .unknown, clause: "")
      return nil
    }
    let due = decision.on.adding(days: days)
    let outcome = events.first { $0.kind.isCheck && $0.on >= decision.on }
    let check = PostApprovalCheck(due: due, outcome: outcome, isOverdue: outcome.map { $0.on > due } ?? (asOf > due))
    add(
      "EA-7", "post-approval check within the local period",
      fact: "approved \(decision.on); "
        + (outcome.map { "\($0.kind == .checked ? "confirmed" : "revoked") \($0.on) \($0.note)" } ?? "not checked yet"),
      threshold: "checked by \(due) (\(days) days)", outcome: check.isOverdue ? .fail : .pass, clause: period.citation)
    return check
  }

  // MARK: EA-8

  mutating func overdueLines(_ status: ApprovalStatus) {
    for clock in [status.statutory, status.promised].compactMap({ $0 }) {
      let unit = clock.unit == .days ? "days" : "working days"
      let decided = status.decision.map { "decided \($0.on)" } ?? "no decision by \(asOf)"
      add(
        "EA-8", "overdue against the \(clock.rule == "EA-4" ? "statutory" : "promised") limit (\(clock.rule))",
        fact: clock.used.map { "\(decided), \($0) \(unit) used" } ?? "\(decided), days used unknown",
        threshold: "limit \(clock.limit) \(unit)",
        outcome: clock.overdue.map { $0 > 0 ? .fail : .pass } ?? .unknown, clause: "RULES §11")
    }
  }
}

/// What makes an approval event fit the events before it (EA-3..EA-7): refused with the field and
/// the reason, so a registry never holds a decision before its receipt, two decisions, a check of
/// an ordinary approval, or an event dated in the future.
public enum ApprovalEvents {
  public static func refusal(_ event: ApprovalEvent, project: Project, type: DocumentType?, today: Day) -> FieldProblem?
  {
    func refuse(_ field: String, _ value: String, _ reason: String) -> FieldProblem {
      FieldProblem(field: field, value: value, reason: reason)
    }
    let on = event.on.description
    if event.on > today { return refuse("on", on, "is after today (\(today))") }
    if let to = event.to {
      guard event.kind.isInterval else {
        return refuse("to", to.description, "only an interval (\(intervalKinds)) has a last day")
      }
      if to < event.on { return refuse("to", to.description, "is before the start \(on)") }
    }
    for (field, value) in [("reference", event.reference), ("note", event.note)] {
      if let refusal = FreeText.refusal(value, field: field, maxLength: 500) { return refuse(field, value, refusal) }
    }
    let before = project.events
    func first(_ kind: ApprovalEventKind) -> ApprovalEvent? { before.first { $0.kind == kind } }
    if before.contains(where: { $0.kind == event.kind && $0.on == event.on && $0.to == event.to }) {
      return refuse("kind", event.kind.rawValue, "is already recorded on \(on)")
    }
    let registration = type == .registration || type == .notManaged
    switch event.kind {
    case .earlyService: return nil
    case .filed:
      guard type == .registration else {
        return refuse(
          "kind", "filed", "only a 登记表 project is filed (EA-5); this one is \(type?.rawValue ?? "of unknown type")")
      }
      return first(.filed).map { refuse("kind", "filed", "the project was filed on \($0.on)") }
    case .received:
      if registration {
        return refuse("kind", "received", "a \(type?.label ?? "") project is filed, not received (EA-5)")
      }
      return first(.received).map { refuse("kind", "received", "the application was received on \($0.on)") }
    default: break
    }
    guard let received = first(.received), received.on <= event.on else {
      return refuse(
        "kind", event.kind.rawValue, "needs the application received on or before \(on) (record 'received' first)")
    }
    // An event dated before the decision may be recorded late (it moves the clock as it should).
    if let decision = before.first(where: { $0.kind.isDecision }), !event.kind.isCheck,
      event.kind.isDecision || event.on > decision.on
    {
      return refuse(
        "kind", event.kind.rawValue, "the approval was decided (\(decision.kind.rawValue)) on \(decision.on)")
    }
    switch event.kind {
    case .correctionNotice:
      return first(.correctionNotice).map {
        refuse("kind", "correction-notice", "a 补正 notice is sent once (EA-3); sent \($0.on)")
      }
    case .corrected:
      guard let notice = first(.correctionNotice), notice.on <= event.on else {
        return refuse("kind", "corrected", "needs a 补正 notice on or before \(on)")
      }
      return first(.corrected).map { refuse("kind", "corrected", "the file was completed on \($0.on)") }
    case .checked, .revoked:
      guard project.route == .commitment else {
        return refuse("kind", event.kind.rawValue, "only a 告知承诺制 approval has a post-approval check (EA-7)")
      }
      guard let approved = first(.approved), approved.on <= event.on else {
        return refuse("kind", event.kind.rawValue, "needs the approval on or before \(on)")
      }
      if let done = before.first(where: { $0.kind.isCheck }) {
        return refuse("kind", event.kind.rawValue, "the check was recorded (\(done.kind.rawValue)) on \(done.on)")
      }
      if event.kind == .revoked, event.note.trimmingSpaces().isEmpty {
        return refuse("note", "", "a revocation states its reason")
      }
      return nil
    default: return nil
    }
  }

  static let intervalKinds = ApprovalEventKind.allCases.filter(\.isInterval).map(\.rawValue).joined(separator: ", ")
}
