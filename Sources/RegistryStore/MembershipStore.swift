import GRDB
import RegistryCore
import RegistryService

/// A positive-list membership as stored: never overwritten; revocation adds a date and reason.
public struct Membership: Sendable {
  public var creditCode: String
  public var name: String
  public var regionCode: String
  public var list: PositiveList
  public var category: String
  public var admittedOn: Day
  public var validUntil: Day
  public var admittedBy: String
  public var overrideReason: String?
  public var revokedOn: Day?
  public var revokeReason: String?
  public var seriousViolation: Bool
}

/// One finding of `lists review`.
///
/// For `noLongerQualifies` the verdict carries the full trace; for `nowQualifies` it carries the
/// outcomes and categories with empty trace text (the sweep does not format what it does not show).
public struct ReviewFinding: Sendable {
  public enum Kind: String, Sendable {
    /// A current member whose verdict is no longer `eligible`.
    case noLongerQualifies = "no-longer-qualifies"
    /// An active non-member that is now eligible.
    case nowQualifies = "now-qualifies"
  }
  public var kind: Kind
  public var firm: Enterprise
  public var verdict: Verdict
}

extension Store {
  static func membership(_ row: Row) -> Membership? {
    guard let list = PositiveList(rawValue: row["list"]), let admitted = Day(row["admitted_on"] as String),
      let until = Day(row["valid_until"] as String)
    else { return nil }
    return Membership(
      creditCode: row["credit_code"], name: row["name"], regionCode: row["region_code"], list: list,
      category: row["category"],
      admittedOn: admitted, validUntil: until, admittedBy: row["admitted_by"], overrideReason: row["override_reason"],
      revokedOn: (row["revoked_on"] as String?).flatMap(Day.init), revokeReason: row["revoke_reason"],
      seriousViolation: row["serious_violation"])
  }

  static let membershipSelect = """
    SELECT e.credit_code, e.name, e.region_code, m.list, m.category, m.admitted_on, m.valid_until, m.admitted_by,
      m.override_reason, m.revoked_on, m.revoke_reason, m.serious_violation
    FROM list_membership m JOIN enterprise e ON e.id = m.enterprise_id
    """

  /// Admits a firm to a list on a date after checking it (RULES §3-4 membership). The verdict's trace
  /// is stored with the membership. An ineligible or undetermined firm is refused unless
  /// `overrideReason` is given; the override is audited and shown with the membership forever after.
  public func admit(_ code: CreditCode, to list: PositiveList, on day: Day, overrideReason: String?) throws -> (
    Verdict, Membership
  ) {
    let policy = try policyBook()
    return try mutate { db in
      let (id, firm) = try self.requireEnterprise(db, code)
      var reader = try FactsReader(db, enterpriseID: id)
      guard let (_, facts) = try reader.next() else {
        throw RegistryError.database("facts of \(code.value) could not be read")
      }
      if facts.memberships.contains(where: { $0.list == list && $0.isMember(on: day) }) {
        throw RegistryError.refused(
          "\(code.value) is already a member of \(list.rawValue) on \(day); see 'envreg lists members --list \(list.rawValue)'."
        )
      }
      let verdict = eligibility(facts, for: list, policy: policy, asOf: day)
      let reason = overrideReason?.trimmingSpaces()
      if verdict.status != .eligible, reason?.isEmpty ?? true {
        let why =
          verdict.blocking.isEmpty
          ? ["no category holds"] : verdict.blocking.map { "\($0.rule) \($0.reading): \($0.fact)" }
        throw RegistryError.refused(
          "\(code.value) \(firm.name) is \(verdict.status.rawValue) for \(list.rawValue) on \(day):\n"
            + why.map { "\t- \($0)" }.joined(separator: "\n")
            + "\nRun 'envreg eligibility \(code.value) --list \(list.rawValue) --as-of \(day)' for the whole trace, or admit with --override --reason TEXT."
        )
      }
      guard
        let years = policy.lookup("\(list.prefix).membership.years", region: firm.regionCode, on: day)?.value.integer
      else {
        throw RegistryError.refused(
          "No membership validity (\(list.prefix).membership.years) is in force on \(day) for region \(firm.regionCode)."
        )
      }
      var category = verdict.categories.joined(separator: ",")
      if verdict.status != .eligible { category = category.isEmpty ? "override" : category + " (override)" }
      let until = day.adding(years: years)
      let trace = Render.compactJSON(.record(Report.verdict(verdict, firm: firm)))
      let after = Fields([
        ("list", .text(list.rawValue)), ("admitted_on", .day(day)), ("valid_until", .day(until)),
        ("category", .text(category)), ("status", .text(verdict.status.rawValue)),
        ("override_reason", .optional(reason)),
      ])
      let auditID = try self.audit(
        db, action: reason == nil ? "lists.admit" : "lists.admit-override", entityType: "list_membership",
        entityKey: code.value, before: nil, after: .record(after))
      try db.execute(
        sql:
          "INSERT INTO list_membership (enterprise_id, list, category, admitted_on, valid_until, trace, admitted_by, override_reason, audit_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        arguments: [
          id, list.rawValue, category, day.description, until.description, trace, self.actor, reason, auditID,
        ])
      let membership = Membership(
        creditCode: code.value, name: firm.name, regionCode: firm.regionCode, list: list, category: category,
        admittedOn: day, validUntil: until, admittedBy: self.actor, overrideReason: reason, revokedOn: nil,
        revokeReason: nil, seriousViolation: false)
      return (verdict, membership)
    }
  }

  /// Revokes the firm's current membership on a date. With `seriousViolation` the re-entry bar applies.
  public func revoke(_ code: CreditCode, from list: PositiveList, on day: Day, reason: String, seriousViolation: Bool)
    throws -> Membership
  {
    let reason = reason.trimmingSpaces()
    guard !reason.isEmpty else {
      throw RegistryError.invalid([FieldProblem(field: "reason", value: "", reason: "a revocation needs a reason")])
    }
    return try mutate { db in
      let (id, _) = try self.requireEnterprise(db, code)
      guard
        let row = try Row.fetchOne(
          db,
          sql: Store.membershipSelect
            + " WHERE m.enterprise_id = ? AND m.list = ? AND m.admitted_on <= ? AND m.valid_until >= ? AND m.revoked_on IS NULL ORDER BY m.admitted_on DESC LIMIT 1",
          arguments: [id, list.rawValue, day.description, day.description]),
        var membership = Store.membership(row)
      else {
        throw RegistryError.refused("\(code.value) is not a member of \(list.rawValue) on \(day); nothing to revoke.")
      }
      try self.audit(
        db, action: "lists.revoke", entityType: "list_membership", entityKey: code.value,
        before: .record(
          Fields([
            ("list", .text(list.rawValue)), ("admitted_on", .day(membership.admittedOn)),
            ("valid_until", .day(membership.validUntil)),
          ])),
        after: .record(
          Fields([
            ("revoked_on", .day(day)), ("revoke_reason", .text(reason)), ("serious_violation", .bool(seriousViolation)),
          ])))
      try db.execute(
        sql:
          "UPDATE list_membership SET revoked_on = ?, revoke_reason = ?, serious_violation = ? WHERE enterprise_id = ? AND list = ? AND admitted_on = ? AND revoked_on IS NULL",
        arguments: [day.description, reason, seriousViolation, id, list.rawValue, membership.admittedOn.description])
      membership.revokedOn = day
      membership.revokeReason = reason
      membership.seriousViolation = seriousViolation
      return membership
    }
  }

  /// Members of a list on a date (admitted, not expired, not revoked), optionally in a region.
  public func members(of list: PositiveList, on day: Day, regionPrefix: String?) throws -> [Membership] {
    try read { db in
      var sql =
        Store.membershipSelect
        + " WHERE m.list = ? AND m.admitted_on <= ? AND m.valid_until >= ? AND (m.revoked_on IS NULL OR m.revoked_on > ?)"
      var arguments: [any DatabaseValueConvertible] = [
        list.rawValue, day.description, day.description, day.description,
      ]
      if let regionPrefix {
        sql += " AND e.region_code >= ? AND e.region_code < ?"
        arguments += [regionPrefix, regionPrefix + "\u{FFFF}"]
      }
      sql += " ORDER BY e.region_code, e.credit_code"
      return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).compactMap(Store.membership)
    }
  }

  /// Every membership of one firm, oldest first (its profile).
  public func memberships(of code: CreditCode) throws -> [Membership] {
    try read { db in
      let (id, _) = try self.requireEnterprise(db, code)
      return try Row.fetchAll(
        db, sql: Store.membershipSelect + " WHERE m.enterprise_id = ? ORDER BY m.admitted_on, m.id", arguments: [id]
      ).compactMap(Store.membership)
    }
  }

  /// The stored trace a membership was admitted on (JSON, as `eligibility --format json` writes it).
  public func admissionTrace(_ code: CreditCode, list: PositiveList, admittedOn: Day) throws -> String? {
    try read { db in
      try String.fetchOne(
        db,
        sql:
          "SELECT m.trace FROM list_membership m JOIN enterprise e ON e.id = m.enterprise_id WHERE e.credit_code = ? AND m.list = ? AND m.admitted_on = ?",
        arguments: [code.value, list.rawValue, admittedOn.description])
    }
  }

  /// The review sweep (one streaming pass over the registry): current members that no longer
  /// qualify, and active non-members that now qualify.
  public func review(
    lists: [PositiveList], asOf day: Day, regionPrefix: String? = nil, _ body: (ReviewFinding) throws -> Void
  ) throws {
    let policy = try policyBook().inForce(on: day)
    try forEachFirmFacts { facts in
      let firm = facts.enterprise
      if let regionPrefix, !firm.regionCode.hasPrefix(regionPrefix) { return }
      for list in lists {
        let member = facts.memberships.contains { $0.list == list && $0.isMember(on: day) }
        if !member && firm.status != .active { continue }
        // Outcomes only for every firm. A lapsed member is re-evaluated with the full trace (its
        // failing conditions are the finding); a firm that now qualifies is reported with its
        // categories (`envreg eligibility CODE` gives its trace).
        let outcome = eligibility(facts, for: list, policy: policy, asOf: day, traced: false)
        if member && outcome.status != .eligible {
          try body(
            ReviewFinding(
              kind: .noLongerQualifies, firm: firm, verdict: eligibility(facts, for: list, policy: policy, asOf: day)))
        } else if !member && outcome.status == .eligible {
          try body(ReviewFinding(kind: .nowQualifies, firm: firm, verdict: outcome))
        }
      }
    }
  }
}
