/// The records of the EIA approval service (RULES §11): one shape for the table, JSON and CSV, the
/// audit rows and the ledger workbook.
extension Report {
  static func flag(_ value: Bool?) -> Value { value.map { .bool($0) } ?? .text("unknown") }

  /// One version of a project's facts (the audit row's before / after, `project history`).
  public static func projectVersion(_ p: Project) -> Fields {
    Fields([
      ("project_no", .text(p.number)), ("effective", .day(p.effective)), ("name", .text(p.name)),
      ("builder", .text(p.builderCode)), ("builder_name", .text(p.builderName)), ("region_code", .text(p.regionCode)),
      ("industry_code", .text(p.industryCode)),
      ("investment_wan", p.investmentFen.map { .text(ProjectInput.wan($0)) } ?? .null),
      ("directory_items", .text(p.items.map(\.description).joined(separator: " "))),
      ("document_type", .text(p.documentType?.rawValue ?? "unknown")), ("sensitive", flag(p.sensitive)),
      ("urgent", flag(p.urgent)), ("process", .text(p.process.rawValue)), ("route", .text(p.route.rawValue)),
      ("contact", .text(p.contact)),
    ])
  }

  public static func projectListing(_ l: ProjectListing) -> Fields {
    Fields([
      ("ledger", .text(l.ledger.rawValue)), ("reference", .text(l.reference)), ("from", .day(l.from)),
      ("to", l.to.map { .day($0) } ?? .null),
    ])
  }

  public static func approvalEvent(_ e: ApprovalEvent) -> Fields {
    Fields([
      ("event", .text(e.kind.rawValue)), ("on", .day(e.on)), ("to", e.to.map { .day($0) } ?? .null),
      ("reference", .text(e.reference)), ("note", .text(e.note)),
    ])
  }

  static func clockValue(_ value: Int?) -> Value { value.map { .int($0) } ?? .null }

  /// A project's line of a ledger (the report of §11): who, where, what, and both clocks.
  public static func projectRow(_ p: Project, _ s: ApprovalStatus) -> Fields {
    Fields([
      ("project_no", .text(p.number)), ("name", .text(p.name)), ("builder_name", .text(p.builderName)),
      ("builder", .text(p.builderCode)), ("region_code", .text(p.regionCode)),
      ("industry_code", .text(p.industryCode)),
      ("investment_wan", p.investmentFen.map { .text(ProjectInput.wan($0)) } ?? .null),
      ("document_type", .text(s.type?.rawValue ?? "unknown")),
      ("ledgers", .text(p.ledgers(on: s.asOf).map(\.rawValue).joined(separator: " "))),
      ("route", .text(p.route.rawValue)), ("green_channel", .text(s.greenChannel.rawValue)),
      ("approval_stage", .text(s.stage.rawValue)), ("accepted_on", s.accepted.map { .day($0) } ?? .null),
      ("statutory_limit", clockValue(s.statutory?.limit)), ("days_used", clockValue(s.statutory?.used)),
      ("statutory_due", s.statutory?.due.map { .day($0) } ?? .null),
      ("promised_limit", clockValue(s.promised?.limit)), ("working_days_used", clockValue(s.promised?.used)),
      ("overdue_days", clockValue(s.statutory?.overdue)),
      ("overdue_working_days", clockValue(s.promised?.overdue)),
      ("check_due", s.check.map { .day($0.due) } ?? .null),
      ("overdue", s.isOverdue.map { .bool($0) } ?? .text("unknown")),
    ])
  }

  /// A project as `project show` prints it: the row, its items, entries and events, the builder as
  /// registered, and the trace.
  public static func projectDetail(
    _ p: Project, _ s: ApprovalStatus, versions: Int, builderRegistered: Bool, registrations: [String]
  ) -> Fields {
    var fields = projectRow(p, s)
    fields.append("as_of", .day(s.asOf))
    fields.append("version", .int(versions))
    fields.append("effective", .day(p.effective))
    fields.append("directory_items", .text(p.items.map(\.description).joined(separator: " ")))
    fields.append("sensitive", flag(p.sensitive))
    fields.append("urgent", flag(p.urgent))
    fields.append("contact", .text(p.contact))
    fields.append("builder_registered", .bool(builderRegistered))
    fields.append("registrations", .text(registrations.joined(separator: " ")))
    fields.append("listings", .list(p.listings.map { .record(projectListing($0)) }))
    fields.append("events", .list(p.events.filter { $0.on <= s.asOf }.map { .record(approvalEvent($0)) }))
    fields.append("trace", .list(s.trace.map { .record($0.fields) }))
    return fields
  }

  /// The summary of a ledger: how many, approved within the limits, overdue, average days.
  public static func projectLedgerSummary(projects: Int, approved: Int, inTime: Int, overdue: Int, average: Double?)
    -> Fields
  {
    Fields([
      ("projects", .int(projects)), ("approved", .int(approved)), ("approved_in_time", .int(inTime)),
      ("overdue", .int(overdue)), ("average_days", average.map { .decimal($0, places: 1) } ?? .null),
    ])
  }
}
