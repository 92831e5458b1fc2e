import RegistryCore

/// The rows of the EIA approval-service tables (RULES §11) as both storages read and write them:
/// portable statements (`?` placeholders, every column read as text) run through the storage's
/// `texts`, and the decoding of their rows into the core's values. No engine keeps its own copy.
public enum ProjectRows {
  static let versionColumns = """
    p.project_no, CAST(v.version AS TEXT), v.effective, v.name, v.builder_code, v.builder_name, v.region_code, \
    v.industry_code, CAST(v.investment_fen AS TEXT), v.items, CAST(v.sensitive AS TEXT), CAST(v.urgent AS TEXT), \
    v.process, v.route, v.contact
    """
  /// Which projects a read selects: one by number (its key), those a region selection holds (a
  /// project whose site moved in or out of it too; an index range over the versions' regions), or
  /// all.
  struct Selection {
    var clause: String
    var arguments: [SQLArgument]

    init(regionPrefix: String?, number: String?) {
      if let number {
        clause = "WHERE p.project_no = ?"
        arguments = [.text(number)]
      } else if let regionPrefix, !regionPrefix.isEmpty {
        // Region codes are digits: "42" … "42~" spans every code under 42.
        clause = """
          WHERE p.id IN (SELECT project_id FROM project_version WHERE region_code >= ? AND region_code < ?)
          """
        arguments = [.text(regionPrefix), .text(regionPrefix + "~")]
      } else {
        clause = ""
        arguments = []
      }
    }
  }

  static func versionsSQL(_ s: Selection) -> String {
    "SELECT \(versionColumns) FROM project p JOIN project_version v ON v.project_id = p.id \(s.clause) "
      + "ORDER BY p.project_no, v.version"
  }
  static func listingsSQL(_ s: Selection) -> String {
    """
    SELECT p.project_no, l.ledger, l.reference, l.from_day, l.to_day FROM project_listing l
    JOIN project p ON p.id = l.project_id \(s.clause) ORDER BY p.project_no, l.from_day, l.id
    """
  }
  static func eventsSQL(_ s: Selection) -> String {
    """
    SELECT p.project_no, e.kind, e.on_day, e.to_day, e.reference, e.note FROM approval_event e
    JOIN project p ON p.id = e.project_id \(s.clause) ORDER BY p.project_no, e.on_day, e.id
    """
  }
  static let insertProjectSQL = "INSERT INTO project (project_no, audit_id) VALUES (?, CAST(? AS BIGINT))"
  static let insertVersionSQL = """
    INSERT INTO project_version (project_id, version, effective, name, builder_code, builder_name, region_code,
      industry_code, investment_fen, items, sensitive, urgent, process, route, contact, audit_id)
    SELECT id, CAST(? AS BIGINT), ?, ?, ?, ?, ?, ?, CAST(? AS BIGINT), ?, CAST(? AS BIGINT), CAST(? AS BIGINT), ?, ?, ?,
      CAST(? AS BIGINT)
    FROM project WHERE project_no = ?
    """
  static let insertListingSQL = """
    INSERT INTO project_listing (project_id, ledger, reference, from_day, to_day, audit_id)
    SELECT id, ?, ?, ?, ?, CAST(? AS BIGINT) FROM project WHERE project_no = ?
    """
  static let endListingSQL = """
    UPDATE project_listing SET to_day = ?, audit_id = CAST(? AS BIGINT)
    WHERE to_day IS NULL AND ledger = ? AND project_id = (SELECT id FROM project WHERE project_no = ?)
    """
  static let insertEventSQL = """
    INSERT INTO approval_event (project_id, kind, on_day, to_day, reference, note, audit_id)
    SELECT id, ?, ?, ?, ?, ?, CAST(? AS BIGINT) FROM project WHERE project_no = ?
    """

  static func bit(_ flag: Bool?) -> SQLArgument { flag.map { .int($0 ? 1 : 0) } ?? .null }

  static func versionArguments(_ p: Project, version: Int, auditID: Int64) -> [SQLArgument] {
    [
      .int(Int64(version)), .text(p.effective.description), .text(p.name), .text(p.builderCode), .text(p.builderName),
      .text(p.regionCode), .text(p.industryCode), p.investmentFen.map { .int($0) } ?? .null,
      .text(p.items.map(\.description).joined(separator: ";")), bit(p.sensitive), bit(p.urgent),
      .text(p.process.rawValue), .text(p.route.rawValue), .text(p.contact), .int(auditID), .text(p.number),
    ]
  }

  static func listingArguments(_ number: String, _ l: ProjectListing, auditID: Int64) -> [SQLArgument] {
    [
      .text(l.ledger.rawValue), .text(l.reference), .text(l.from.description),
      l.to.map { .text($0.description) } ?? .null,
      .int(auditID), .text(number),
    ]
  }

  static func eventArguments(_ number: String, _ e: ApprovalEvent, auditID: Int64) -> [SQLArgument] {
    [
      .text(e.kind.rawValue), .text(e.on.description), e.to.map { .text($0.description) } ?? .null,
      .text(e.reference), .text(e.note), .int(auditID), .text(number),
    ]
  }

  /// Inserts a new project's first version, and its ledger entry when given, in `transaction`;
  /// false (nothing written) when the number is already registered.
  static func insertNew(_ p: Project, listing: ProjectListing?, auditID: Int64, in transaction: any StorageTransaction)
    throws -> Bool
  {
    guard try transaction.texts("SELECT id FROM project WHERE project_no = ?", [.text(p.number)]).isEmpty else {
      return false
    }
    _ = try transaction.texts(insertProjectSQL, [.text(p.number), .int(auditID)])
    _ = try transaction.texts(insertVersionSQL, versionArguments(p, version: 1, auditID: auditID))
    if let listing {
      _ = try transaction.texts(insertListingSQL, listingArguments(p.number, listing, auditID: auditID))
    }
    return true
  }

  /// Every version of the selected projects (see `selection`), read through `texts` (a storage's
  /// snapshot or a transaction).
  static func load(
    regionPrefix: String?, number: String?, _ texts: (String, [SQLArgument]) throws -> [[String?]]
  ) throws -> [String: [Project]] {
    let s = Selection(regionPrefix: regionPrefix, number: number)
    return try projects(
      versions: try texts(versionsSQL(s), s.arguments), listings: try texts(listingsSQL(s), s.arguments),
      events: try texts(eventsSQL(s), s.arguments))
  }

  // MARK: Decoding

  static func unreadable(_ what: String) -> RegistryError {
    RegistryError.database("\(what) holds a value this envreg cannot read")
  }

  static func flag(_ text: String?) -> Bool? { text.map { $0 == "1" } }

  /// A project's versions, oldest first, each with the project's listings and events.
  static func projects(versions: [[String?]], listings: [[String?]], events: [[String?]]) throws -> [String: [Project]]
  {
    var listed: [String: [ProjectListing]] = [:]
    for row in listings {
      guard row.count == 5, let number = row[0], let ledger = row[1].flatMap(MajorLedger.init(rawValue:)),
        let from = row[3].flatMap({ Day($0) })
      else { throw unreadable("a project_listing row") }
      listed[number, default: []].append(
        ProjectListing(ledger: ledger, reference: row[2] ?? "", from: from, to: row[4].flatMap { Day($0) }))
    }
    var dated: [String: [ApprovalEvent]] = [:]
    for row in events {
      guard row.count == 6, let number = row[0], let kind = row[1].flatMap(ApprovalEventKind.init(rawValue:)),
        let on = row[2].flatMap({ Day($0) })
      else { throw unreadable("an approval_event row") }
      dated[number, default: []].append(
        ApprovalEvent(kind: kind, on: on, to: row[3].flatMap { Day($0) }, reference: row[4] ?? "", note: row[5] ?? ""))
    }
    var found: [String: [Project]] = [:]
    for row in versions {
      guard row.count == 15, let number = row[0], let effective = row[2].flatMap({ Day($0) }),
        let process = row[12].flatMap(ProductionProcess.init(rawValue:)),
        let route = row[13].flatMap(ApprovalRoute.init(rawValue:))
      else { throw unreadable("a project_version row") }
      let items = try (row[9] ?? "").split(separator: ";").map { text -> ProjectItem in
        guard let item = ProjectItem(String(text)) else { throw unreadable("project \(number)'s items") }
        return item
      }
      found[number, default: []].append(
        Project(
          number: number, name: row[3] ?? "", builderCode: row[4] ?? "", builderName: row[5] ?? "",
          regionCode: row[6] ?? "", industryCode: row[7] ?? "", investmentFen: row[8].flatMap { Int64($0) },
          items: items, sensitive: flag(row[10]), urgent: flag(row[11]), process: process, route: route,
          contact: row[14] ?? "", effective: effective, listings: listed[number] ?? [], events: dated[number] ?? []))
    }
    return found
  }
}
