import RegistryCore

/// One stored value, as both engines hold it (the schemas match column for column).
public enum CopyValue: Sendable, Equatable {
  case null
  case integer(Int64)
  case real(Double)
  case text(String)
}

/// What a storage engine gives `envreg copy`: every row of a table, and a whole registry loaded
/// into an empty one in one transaction.
public protocol RegistryRows: RegistryStorage {
  /// A table's columns in schema order.
  func columns(of table: String) throws -> [String]
  /// Every row of a table (`columns` in that order); a permit renewed points at a later permit, so
  /// permits come newest first, and every other table in id order where it has one.
  func forEachRow(of table: String, columns: [String], _ body: ([CopyValue]) throws -> Void) throws
  /// Loads an empty registry (schema only) in one transaction: `feed` is called once per table, in
  /// `RegistryCopy.tables` order, and hands it that table's rows; then the engine's bookkeeping
  /// (identities, indexes, seals) and the audit row `registry.copy` with `note`. All or nothing.
  func load(
    _ tables: [(table: String, columns: [String])],
    feed: (_ table: String, _ insert: ([CopyValue]) throws -> Void) throws -> Void, note: Value
  ) throws -> [String: Int]
}

/// `envreg copy`: a whole registry, history and audit chain included, from one engine to another.
public enum RegistryCopy {
  /// Every table, parents before children (foreign keys hold at every insert).
  public static let tables = [
    "audit", "region", "region_history", "region_set", "region_set_member", "industry", "policy_parameter",
    "import_run", "enterprise", "enterprise_change", "designation", "incident", "list_membership", "permit",
    "permit_event", "fine", "fine_arrangement", "fine_instalment", "fine_payment", "fine_suspension", "retrofit",
    "retrofit_stage", "measurement", "ledger_item", "ledger_entry", "inspector", "inspector_conflict",
    "inspection_draw", "draw_pick", "inspection_result", "emission_baseline", "weather_alert", "project",
    "project_version",
    "project_listing", "approval_event", "account", "api_token",
  ]

  public struct Outcome: Sendable {
    public var rows: [String: Int]
    public var sourceHead: AuditHead
    public var target: AuditVerification
  }

  /// Copies `source` (which must verify) into `target` (an empty registry), all of it read in one
  /// snapshot of the source, then verifies the target.
  public static func copy(from source: any RegistryRows, to target: any RegistryRows, describing: String) throws
    -> Outcome
  {
    let check = try source.verifyAudit(anchor: nil)
    guard check.isIntact else {
      throw RegistryError.refused(
        "The source registry does not verify (\(check.problems.prefix(3).joined(separator: "; "))); nothing was "
          + "copied. Run 'envreg audit verify' on it.")
    }
    var plan: [(table: String, columns: [String])] = []
    for table in tables {
      let columns = try source.columns(of: table)
      let theirs = try target.columns(of: table)
      guard columns == theirs else {
        throw RegistryError.refused(
          "Table \(table) has columns \(columns.joined(separator: ", ")) in the source and "
            + "\(theirs.joined(separator: ", ")) in the target: the schemas differ; nothing was copied.")
      }
      plan.append((table, columns))
    }
    let note = Value.record(
      Fields([
        ("from", .text(describing)), ("audit_rows", .int(check.head.rows)), ("audit_head", .text(check.head.hash)),
      ]))
    let rows = try source.snapshot {
      try target.load(
        plan,
        feed: { table, insert in
          let columns = plan.first { $0.table == table }?.columns ?? []
          try source.forEachRow(of: table, columns: columns, insert)
        }, note: note)
    }
    let verification = try target.verifyAudit(anchor: check.head)
    return Outcome(rows: rows, sourceHead: check.head, target: verification)
  }
}
