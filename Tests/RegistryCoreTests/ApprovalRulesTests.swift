import Testing

@testable import RegistryCore

/// A Wuhan project with one directory item of `type`, received on `received` unless nil.
func project(
  _ type: DocumentType = .report, received: String? = "2021-03-01", events: [ApprovalEvent] = [],
  listings: [ProjectListing] = [], route: ApprovalRoute = .ordinary, sensitive: Bool? = false,
  industry: String = "3011", region: String = "420102"
) -> Project {
  Project(
    number: "2021-420102-001", name: "某水泥熟料生产线技改项目", builderCode: "91420102MA4KX0A83G", builderName: "某建材公司",
    regionCode: region, industryCode: industry, items: [ProjectItem(edition: "2021", item: "30", type: type)],
    sensitive: sensitive, urgent: false, route: route, effective: day("2021-01-01"), listings: listings,
    events: (received.map { [ApprovalEvent(kind: .received, on: day($0))] } ?? []) + events)
}

func event(_ kind: ApprovalEventKind, _ on: String, to: String? = nil) -> ApprovalEvent {
  ApprovalEvent(kind: kind, on: day(on), to: to.map(day))
}

/// Hubei's local settings: green channel 10 working days for 报告书 and 7 for 报告表, 告知承诺制 for
/// cement (301) decided within 5 working days and checked within 30 days.
let hubeiApprovals = PolicyBook(
  NationalDefaults.all
    + [
      ("ea.promised_working_days.report", ParameterValue.integer(10)), ("ea.promised_working_days.form", .integer(7)),
      ("ea.commitment.industries", .codes(["301"])), ("ea.commitment.decision_working_days", .integer(5)),
      ("ea.commitment.check_days", .integer(30)),
    ].map { key, value in
      PolicyParameter(
        key: key, jurisdiction: .region("42"), from: day("2020-06-10"), value: value, reference: "鄂环办〔2020〕示例")
    })

func approval(_ project: Project, member: Bool = false, asOf: String, policy: PolicyBook = hubeiApprovals)
  -> ApprovalStatus
{
  ApprovalRules.status(project, builderIsMember: member, policy: policy, calendar: .bundled, asOf: day(asOf))
}

@Suite("The working-day calendar (EA-3, EA-6)")
struct WorkCalendarTests {
  let calendar = WorkCalendar.bundled

  @Test(
    "Weekdays, holidays and exchanged weekends from the State Council's notices; a year not in the table is unknown",
    arguments: [
      ("2021-03-01", Bool?.some(true)), ("2021-03-06", false), ("2021-02-11", false), ("2021-02-07", true),
      ("2021-10-09", true), ("2026-02-14", true), ("2026-02-23", false), ("2019-12-31", nil), ("2027-01-04", nil),
    ])
  func workingDay(_ date: String, _ expected: Bool?) {
    #expect(calendar.isWorkingDay(day(date)) == expected)
  }

  @Test("Counting: 19 working days after 2021-03-01 through 03-26; the 5th working day after 03-01 is 03-08")
  func counting() {
    #expect(calendar.workingDays(after: day("2021-03-01"), through: day("2021-03-26")) == 19)
    #expect(calendar.workingDays(after: day("2021-03-26"), through: day("2021-03-01")) == 0)
    #expect(calendar.addingWorkingDays(5, after: day("2021-03-01")) == day("2021-03-08"))
    // Across the 2021 Spring Festival: 02-07 (Sunday) worked, 02-11..02-17 off, 02-20 (Saturday) worked.
    #expect(calendar.workingDays(after: day("2021-02-05"), through: day("2021-02-21")) == 7)
    #expect(calendar.workingDays(after: day("2019-12-30"), through: day("2020-01-03")) == nil)
  }
}

@Suite("The EIA approval clock (RULES §11, EA-1..EA-8)")
struct ApprovalRulesTests {
  @Test("EA-1: the document type is the highest of the items; no item gives unknown")
  func ea1HighestItem() {
    var p = project()
    p.items = [
      ProjectItem(edition: "2021", item: "30", type: .form), ProjectItem(edition: "2021", item: "95", type: .report),
      ProjectItem(edition: "2021", item: "41", type: .registration),
    ]
    #expect(p.documentType == .report)
    p.items = []
    let status = approval(p, asOf: "2021-03-10")
    #expect(status.type == nil)
    #expect(status.trace.first { $0.rule == "EA-1" }?.outcome == .unknown)
    #expect(status.statutory == nil)
    #expect(ProjectItem("2021:30-2614:报告书") == ProjectItem(edition: "2021", item: "30-2614", type: .report))
    #expect(ProjectItem("21:30:report") == nil)
    #expect(ProjectItem("2021::report") == nil)
  }

  @Test("EA-4, EA-8: the rule book's example: 报告书 受理 03-01, 技术评估 03-03..03-12, decided 03-26: 15 of 60, due 05-10")
  func ea4Example() {
    let p = project(events: [event(.technicalReview, "2021-03-03", to: "2021-03-12"), event(.approved, "2021-03-26")])
    let status = approval(p, asOf: "2021-06-30")
    #expect(status.accepted == day("2021-03-01"))
    #expect(status.stage == .approved)
    #expect(status.statutory?.used == 15)
    #expect(status.statutory?.limit == 60)
    #expect(status.statutory?.due == day("2021-05-10"))
    #expect(status.statutory?.overdue == 0)
  }

  @Test(
    "EA-4, EA-8: 报告表 受理 03-01: the 30th day (03-31) is the last allowed day; undecided on 04-01 is one day overdue",
    arguments: [("2021-03-31", 30, 0), ("2021-04-01", 31, 1)])
  func ea4LastAllowedDay(_ asOf: String, _ used: Int, _ overdue: Int) {
    let status = approval(project(.form), asOf: asOf)
    #expect(status.statutory?.used == used)
    #expect(status.statutory?.due == day("2021-03-31"))
    #expect(status.statutory?.overdue == overdue)
    #expect(status.isOverdue == (overdue > 0))
    #expect(status.trace.first { $0.rule == "EA-8" }?.outcome == (overdue > 0 ? .fail : .pass))
  }

  @Test(
    "EA-3: a 补正 notice by the 5th working day (03-08) moves 受理 to the completed file; a later one leaves it at receipt",
    arguments: [
      ("2021-03-04", "2021-03-15", "2021-04-14"), ("2021-03-08", "2021-03-15", "2021-04-14"),
      ("2021-03-09", "2021-03-01", "2021-03-31"),
    ])
  func ea3Correction(_ notice: String, _ accepted: String, _ due: String) {
    let p = project(.form, events: [event(.correctionNotice, notice), event(.corrected, "2021-03-15")])
    let status = approval(p, asOf: "2021-03-20")
    #expect(status.accepted == day(accepted))
    #expect(status.statutory?.due == day(due))
  }

  @Test(
    "EA-3: while the correction is outstanding the clock has not started (待补正), and starts the day after completion")
  func ea3ClockStopsUntilCorrected() {
    let pending = approval(project(.form, events: [event(.correctionNotice, "2021-03-04")]), asOf: "2021-03-12")
    #expect(pending.stage == .awaitingCorrection)
    #expect(pending.accepted == nil)
    #expect(pending.statutory == nil)
    let resumed = approval(
      project(.form, events: [event(.correctionNotice, "2021-03-04"), event(.corrected, "2021-03-15")]),
      asOf: "2021-03-16")
    #expect(resumed.statutory?.used == 1)
  }

  @Test("EA-4: an interval still open stops the clock up to the date (评估/评审/听证中); public notice does not")
  func ea4OpenInterval() {
    let open = approval(project(events: [event(.expertReview, "2021-03-11")]), asOf: "2021-03-20")
    #expect(open.stage == .clockStopped)
    #expect(open.statutory?.used == 9)
    let notice = approval(project(events: [event(.publicNotice, "2021-03-11", to: "2021-03-15")]), asOf: "2021-03-20")
    #expect(notice.stage == .underReview)
    #expect(notice.statutory?.used == 19)
  }

  @Test("EA-6, EA-8: the example's promised 10 working days from Hubei's parameter: 19 − 8 = 11 used, 1 overdue")
  func ea6PromisedLimit() {
    let p = project(
      events: [event(.technicalReview, "2021-03-03", to: "2021-03-12"), event(.approved, "2021-03-26")],
      listings: [ProjectListing(ledger: .national, reference: "国家重大项目清单", from: day("2021-01-01"))])
    let status = approval(p, asOf: "2021-03-31")
    #expect(status.greenChannel == .eligible)
    #expect(status.promised?.rule == "EA-6")
    #expect(status.promised?.unit == .workingDays)
    #expect(status.promised?.used == 11)
    #expect(status.promised?.overdue == 1)
    #expect(status.isOverdue == true)
    // The statutory clock is kept apart (EA-8): within its limit.
    #expect(status.statutory?.overdue == 0)
  }

  @Test("EA-6: no promised limit outside the province that set one, nor before its parameter is in force")
  func ea6Local() {
    let listed = [ProjectListing(ledger: .local, reference: "广东省重点建设项目", from: day("2021-01-01"))]
    let guangdong = approval(project(listings: listed, region: "440103"), asOf: "2021-03-10")
    #expect(guangdong.greenChannel == .eligible)
    #expect(guangdong.promised == nil)
    #expect(guangdong.trace.first { $0.rule == "EA-6" }?.outcome == .notInForce)
    let early = approval(project(received: "2020-06-01", listings: listed), asOf: "2020-06-09")
    #expect(early.promised == nil)
  }

  @Test("EIA-C2, EA-2: a ledger entry counts from its date; the foreign-investment ledger is not EIA-C2")
  func eiaC2Dated() {
    let later = [ProjectListing(ledger: .national, reference: "清单", from: day("2021-04-01"))]
    #expect(approval(project(listings: later), asOf: "2021-03-31").greenChannel == .ineligible)
    #expect(approval(project(listings: later), asOf: "2021-04-01").greenChannel == .eligible)
    let foreign = [ProjectListing(ledger: .foreign, reference: "外资", from: day("2021-01-01"))]
    #expect(approval(project(listings: foreign), asOf: "2021-04-01").greenChannel == .ineligible)
  }

  @Test(
    "EIA-G, EIA-X1: the builder's membership qualifies a project; EIA-X1 excludes it; a sensitive area unrecorded is unknown"
  )
  func greenChannel() {
    #expect(approval(project(), member: true, asOf: "2021-03-10").greenChannel == .eligible)
    #expect(approval(project(), member: false, asOf: "2021-03-10").greenChannel == .ineligible)
    #expect(approval(project(sensitive: true), member: true, asOf: "2021-03-10").greenChannel == .ineligible)
    #expect(approval(project(sensitive: nil), member: true, asOf: "2021-03-10").greenChannel == .undetermined)
    // EIA-C3: 03 畜牧业 qualifies on its own.
    #expect(approval(project(industry: "0313"), asOf: "2021-03-10").greenChannel == .eligible)
    // EIA-C1 never recorded: unknown, so a project in no other category is undetermined, not ineligible.
    var unrecorded = project()
    unrecorded.urgent = nil
    #expect(approval(unrecorded, asOf: "2021-03-10").greenChannel == .undetermined)
  }

  @Test("EA-5: a 登记表 is filed, with no clock")
  func ea5Registration() {
    let p = project(.registration, received: nil, events: [event(.filed, "2021-03-02")])
    let before = approval(p, asOf: "2021-03-01")
    #expect(before.stage == .planned)
    #expect(before.trace.first { $0.rule == "EA-5" }?.outcome == .unknown)
    let after = approval(p, asOf: "2021-03-02")
    #expect(after.stage == .filed)
    #expect(after.statutory == nil && after.promised == nil)
    // The filing links to the builder's 排污登记; a builder not registered, or without one, leaves it unknown.
    func link(_ registrations: [String]?) -> TraceLine.Outcome? {
      ApprovalRules.status(
        p, builderIsMember: false, registrations: registrations, policy: hubeiApprovals, calendar: .bundled,
        asOf: day("2021-03-02")
      ).trace.last { $0.rule == "EA-5" }?.outcome
    }
    #expect(link(["91420102MA4KX0A83G001P"]) == .pass)
    #expect(link([]) == .unknown)
    #expect(link(nil) == .unknown)
  }

  @Test(
    "EA-7: 告知承诺制 decided within 5 working days; the check is due 30 days after approval, overdue the day after",
    arguments: [("2021-04-09", false), ("2021-04-10", true)])
  func ea7Commitment(_ asOf: String, _ overdue: Bool) {
    let p = project(.form, events: [event(.approved, "2021-03-10")], route: .commitment)
    let status = approval(p, asOf: asOf)
    #expect(status.promised?.rule == "EA-7")
    #expect(status.promised?.used == 7)
    #expect(status.promised?.overdue == 2)
    #expect(status.check?.due == day("2021-04-09"))
    #expect(status.check?.isOverdue == overdue)
    #expect(status.trace.first { $0.description.hasPrefix("告知承诺制 categories") }?.outcome == .pass)
    let checked = approval(
      project(.form, events: [event(.approved, "2021-03-10"), event(.checked, "2021-04-09")], route: .commitment),
      asOf: "2021-05-01")
    #expect(checked.check?.isOverdue == false)
  }

  @Test("EA-7: a category outside the province's 告知承诺 list fails its line")
  func ea7Category() {
    let status = approval(project(.form, route: .commitment, industry: "2614"), asOf: "2021-03-05")
    #expect(status.trace.first { $0.description.hasPrefix("告知承诺制 categories") }?.outcome == .fail)
  }

  @Test("An answer as of D ignores events dated after D")
  func asOfIgnoresLater() {
    let p = project(events: [event(.approved, "2021-03-26")])
    #expect(approval(p, asOf: "2021-03-25").stage == .underReview)
    #expect(approval(p, asOf: "2021-03-25").decision == nil)
    #expect(approval(p, asOf: "2021-03-26").stage == .approved)
  }

  @Test("EA-6: a working-day clock beyond the holiday table is unknown, never guessed")
  func ea6CalendarUnknown() {
    let listed = [ProjectListing(ledger: .national, reference: "清单", from: day("2026-01-01"))]
    let status = approval(project(received: "2026-12-20", listings: listed), asOf: "2027-01-05")
    #expect(status.promised?.used == nil)
    #expect(status.isOverdue == nil)
    #expect(status.trace.first { $0.rule == "EA-6" }?.outcome == .unknown)
  }
}
