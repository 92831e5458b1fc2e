import RegistryCore

/// A project as of a date: the version in force, its approval with the trace, and its builder as
/// the registry knows it (a builder need not be registered).
public struct ProjectView: Sendable {
  public var project: Project
  /// How many versions the project has (an update adds one; nothing is overwritten).
  public var versions: Int
  public var status: ApprovalStatus
  public var builder: Enterprise?
  /// EA-5: the builder's 排污登记 (registration-class permits), which a 登记表 filing links to.
  public var registrations: [Permit]
}

/// A ledger as a bureau keeps it (EA-2, the report of §11): its projects with their clocks, and the
/// summary.
public struct ProjectLedger: Sendable {
  public var ledger: MajorLedger?
  public var regionPrefix: String?
  public var asOf: Day
  public var rows: [ProjectView]

  public var approved: [ProjectView] { rows.filter { $0.status.stage == .approved } }
  /// Approved within every clock that applies.
  public var approvedInTime: Int { approved.filter { $0.status.isOverdue == false }.count }
  public var overdue: Int { rows.filter { $0.status.isOverdue == true }.count }
  /// Average statutory days used by the approved projects (nil when none).
  public var averageDays: Double? {
    let used = approved.compactMap { $0.status.statutory?.used }
    return used.isEmpty ? nil : Double(used.reduce(0, +)) / Double(used.count)
  }
}

extension Registry {
  // MARK: Reads

  /// Every version of the projects of a selection (or of one project), in one snapshot.
  func projectVersions(regionPrefix: String?, number: String?) throws -> [String: [Project]] {
    try storage.snapshot { try ProjectRows.load(regionPrefix: regionPrefix, number: number, storage.texts) }
  }

  /// The view of a project's versions as of `asOf`, or nil when none is dated on or before it.
  func view(_ versions: [Project], asOf: Day, policy: PolicyBook) throws -> ProjectView? {
    guard let project = versions.last(where: { $0.effective <= asOf }) else { return nil }
    let code = CreditCode(stored: project.builderCode)
    let builder = try code.flatMap { try storage.enterprise($0) }
    var member = false, registrations: [Permit] = []
    if let code, builder != nil {
      member = try storage.memberships(of: code).contains {
        $0.list == .eiaGreenChannel && $0.admittedOn <= asOf && asOf <= $0.validUntil
          && ($0.revokedOn.map { asOf < $0 } ?? true)
      }
      registrations = try storage.permits(of: code).map(\.permit).filter {
        $0.permitClass == .registration && $0.issuedOn <= asOf
      }
    }
    let status = ApprovalRules.status(
      project, builderIsMember: member, registrations: builder == nil ? nil : registrations.map(\.number.value),
      policy: policy, calendar: .bundled, asOf: asOf)
    return ProjectView(
      project: project, versions: versions.count, status: status, builder: builder, registrations: registrations)
  }

  /// A project as of `asOf`, with its approval and trace.
  public func project(_ number: String, asOf: Day) throws -> ProjectView {
    guard let versions = try projectVersions(regionPrefix: nil, number: number)[number] else {
      throw RegistryError.notFound(
        kind: "project", key: number, hint: "Run 'envreg project list' to see the projects and their numbers.")
    }
    guard let found = try view(versions, asOf: asOf, policy: try storage.policyBook()) else {
      throw RegistryError.notFound(
        kind: "project", key: number,
        hint: "Its first version is dated \(versions[0].effective), after \(asOf); ask with a later --as-of.")
    }
    try authorize(.readSelection(regionPrefix: found.project.regionCode))
    return found
  }

  /// Every version of a project, oldest first (its history).
  public func projectHistory(_ number: String) throws -> [Project] {
    guard let versions = try projectVersions(regionPrefix: nil, number: number)[number] else {
      throw RegistryError.notFound(
        kind: "project", key: number, hint: "Run 'envreg project list' to see the projects and their numbers.")
    }
    try authorize(.readSelection(regionPrefix: versions.last?.regionCode))
    return versions
  }

  /// The projects of a selection as of `asOf` (on one ledger that day, when given), by number.
  public func projects(regionPrefix: String?, ledger: MajorLedger?, asOf: Day) throws -> ProjectLedger {
    try authorize(.readSelection(regionPrefix: regionPrefix))
    let policy = try storage.policyBook()
    // One read snapshot for the projects and every builder looked up; a project is judged only
    // once its version of the day is in the selection and on the ledger.
    let rows = try storage.snapshot {
      try projectVersions(regionPrefix: regionPrefix, number: nil).sorted(by: { $0.key < $1.key }).compactMap {
        (_, versions) -> ProjectView? in
        guard let version = versions.last(where: { $0.effective <= asOf }),
          regionPrefix.map({ version.regionCode.hasPrefix($0) }) ?? true,
          ledger.map({ version.ledgers(on: asOf).contains($0) }) ?? true
        else { return nil }
        return try view(versions, asOf: asOf, policy: policy)
      }
    }
    return ProjectLedger(ledger: ledger, regionPrefix: regionPrefix, asOf: asOf, rows: rows)
  }

  /// EA-4, EA-6, EA-7: the approval deadlines and post-approval checks of a selection (`due`).
  func projectItems(asOf: Day, regionPrefix: String?) throws -> [DueItem] {
    try projects(regionPrefix: regionPrefix, ledger: nil, asOf: asOf).rows.flatMap { view in
      CalendarRules.approvalItems(view.project, status: view.status)
    }
  }

  // MARK: Writes

  /// Registers a project (EA-1): its first version, audited.
  public func addProject(_ input: ProjectInput, asOf: Day) throws -> ProjectView {
    let project = try resolve(input, onto: nil, asOf: asOf)
    try authorize(.writeFirm(region: project.regionCode))
    try write { transaction in
      let auditID = try transaction.audit(
        action: "project.add", entityType: "project", entityKey: project.number, before: nil,
        after: .record(Report.projectVersion(project)))
      guard try ProjectRows.insertNew(project, listing: nil, auditID: auditID, in: transaction) else {
        throw RegistryError.alreadyExists(
          kind: "project", key: project.number,
          hint:
            "Change it with 'envreg project update \(project.number) …'; see 'envreg project show \(project.number)'.")
      }
    }
    return try self.project(project.number, asOf: asOf)
  }

  /// A new version of a project from its effective date (the old ones kept), audited with both.
  public func updateProject(_ number: String, _ input: ProjectInput, asOf: Day) throws -> ProjectView {
    let versions = try projectHistory(number)
    guard let current = versions.last else {
      throw RegistryError.notFound(kind: "project", key: number, hint: "Run 'envreg project list'.")
    }
    var given = input
    given.number = nil
    let updated = try resolve(given, onto: current, asOf: asOf)
    if updated.effective < current.effective {
      throw RegistryError.invalid([
        FieldProblem(
          field: "effective", value: updated.effective.description,
          reason: "is before the current version's date \(current.effective)")
      ])
    }
    try authorize(.writeFirm(region: current.regionCode))
    try authorize(.writeFirm(region: updated.regionCode))
    try write { transaction in
      let auditID = try transaction.audit(
        action: "project.update", entityType: "project", entityKey: number,
        before: .record(Report.projectVersion(current)), after: .record(Report.projectVersion(updated)))
      _ = try transaction.texts(
        ProjectRows.insertVersionSQL,
        ProjectRows.versionArguments(updated, version: versions.count + 1, auditID: auditID))
    }
    return try project(number, asOf: asOf)
  }

  func resolve(_ input: ProjectInput, onto existing: Project?, asOf: Day) throws -> Project {
    let result = input.resolve(onto: existing, asOf: asOf) { code in
      (try? storage.enterprise(code))?.map(\.name)
    }
    switch result {
    case .success(let project): return project
    case .failure(let error): throw error
    }
  }

  /// EA-2: enters a project on a ledger from a date, audited. A project already on that ledger
  /// (an entry not ended) is refused.
  public func listProject(_ number: String, _ listing: ProjectListing, asOf: Day) throws -> ProjectView {
    let current = try project(number, asOf: asOf)
    var problems: [FieldProblem] = []
    if let refusal = FreeText.refusal(listing.reference, field: "reference", maxLength: 200) {
      problems.append(FieldProblem(field: "reference", value: listing.reference, reason: refusal))
    } else if listing.reference.trimmingSpaces().isEmpty {
      problems.append(
        FieldProblem(field: "reference", value: "", reason: "is required (the list or document that names the project)")
      )
    }
    if listing.from > asOf {
      problems.append(FieldProblem(field: "from", value: listing.from.description, reason: "is after today (\(asOf))"))
    }
    if let to = listing.to, to < listing.from {
      problems.append(FieldProblem(field: "to", value: to.description, reason: "is before the start \(listing.from)"))
    }
    guard problems.isEmpty else { throw RegistryError.invalid(problems) }
    if current.project.listings.contains(where: {
      $0.ledger == listing.ledger && ($0.to.map { $0 >= listing.from } ?? true)
    }) {
      throw RegistryError.refused(
        "\(number) is already on the \(listing.ledger.rawValue) ledger from an entry not ended before \(listing.from); "
          + "see 'envreg project show \(number)'.")
    }
    try authorize(.writeFirm(region: current.project.regionCode))
    try write { transaction in
      let auditID = try transaction.audit(
        action: "project.list", entityType: "project", entityKey: number, before: nil,
        after: .record(Report.projectListing(listing)))
      _ = try transaction.texts(
        ProjectRows.insertListingSQL, ProjectRows.listingArguments(number, listing, auditID: auditID))
    }
    return try project(number, asOf: asOf)
  }

  /// EA-2: ends a project's open entry on a ledger on `day` (its last day listed), audited.
  public func unlistProject(_ number: String, ledger: MajorLedger, on day: Day, asOf: Day) throws -> ProjectView {
    let current = try project(number, asOf: asOf)
    guard let open = current.project.listings.first(where: { $0.ledger == ledger && $0.to == nil }) else {
      throw RegistryError.refused("\(number) has no open entry on the \(ledger.rawValue) ledger.")
    }
    guard day >= open.from, day <= asOf else {
      throw RegistryError.invalid([
        FieldProblem(
          field: "on", value: day.description,
          reason: "must be between the entry's start \(open.from) and today \(asOf)")
      ])
    }
    try authorize(.writeFirm(region: current.project.regionCode))
    var ended = open
    ended.to = day
    try write { transaction in
      let auditID = try transaction.audit(
        action: "project.unlist", entityType: "project", entityKey: number,
        before: .record(Report.projectListing(open)),
        after: .record(Report.projectListing(ended)))
      _ = try transaction.texts(
        ProjectRows.endListingSQL, [.text(day.description), .int(auditID), .text(ledger.rawValue), .text(number)])
    }
    return try project(number, asOf: asOf)
  }

  /// Records an approval event (EA-3..EA-7) after checking it fits the events before it, audited.
  public func recordApprovalEvent(_ number: String, _ event: ApprovalEvent, asOf: Day) throws -> ProjectView {
    let current = try project(number, asOf: asOf)
    if let problem = ApprovalEvents.refusal(event, project: current.project, type: current.status.type, today: asOf) {
      throw RegistryError.invalid([problem])
    }
    try authorize(.writeFirm(region: current.project.regionCode))
    try write { transaction in
      let auditID = try transaction.audit(
        action: "project.event", entityType: "project", entityKey: number, before: nil,
        after: .record(Report.approvalEvent(event)))
      _ = try transaction.texts(ProjectRows.insertEventSQL, ProjectRows.eventArguments(number, event, auditID: auditID))
    }
    return try project(number, asOf: asOf)
  }
}
