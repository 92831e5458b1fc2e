import RegistryCore
import RegistryService

/// The enforcement-planning tables on PostgreSQL (RULES §9, §10): the statements and decoding are
/// the service's `EnforcementRows`; this file binds and runs them.
extension PostgresStore {
  static func bindings(_ arguments: [EnforcementRows.Argument]) -> [any SQLBindable] {
    arguments.map { argument -> any SQLBindable in
      switch argument {
      case .text(let text): text
      case .int(let number): number
      case .null: String?.none
      }
    }
  }

  static func texts(_ session: SQLSession, _ sql: String, _ arguments: [EnforcementRows.Argument] = []) throws
    -> [[String?]]
  {
    try session.rows(sql, bindings(arguments)).map { row in try (0..<row.count).map { try row.text($0) } }
  }

  static func inspectors(_ session: SQLSession, staffNo: String? = nil) throws -> [Inspector] {
    let conflicts = EnforcementRows.conflicts(try texts(session, EnforcementRows.conflictsSQL))
    let rows =
      try staffNo.map { try texts(session, EnforcementRows.inspectorSQL, [.text($0)]) }
      ?? texts(session, EnforcementRows.inspectorsSQL)
    return try rows.map { try EnforcementRows.inspector($0, conflicts: conflicts) }
  }

  static func draw(_ session: SQLSession, _ id: Int) throws -> StoredDraw {
    guard let row = try texts(session, EnforcementRows.drawSQL, [.int(Int64(id))]).first else {
      throw RegistryError.notFound(
        kind: "inspection draw", key: String(id), hint: "Run 'envreg inspect list' to see the draws and their ids.")
    }
    return try EnforcementRows.draw(
      row, picks: try texts(session, EnforcementRows.picksSQL, [.int(Int64(id))]),
      results: try texts(session, EnforcementRows.resultsSQL, [.int(Int64(id))]))
  }

  public func texts(_ sql: String, _ arguments: [SQLArgument]) throws -> [[String?]] {
    try read { try PostgresStore.texts($0, sql, arguments) }
  }

  public func inspectors() throws -> [Inspector] { try read { try PostgresStore.inspectors($0) } }

  public func drawnFirms(first: Day, last: Day, beforeDraw: Int?, until: Day) throws -> Set<String> {
    try read { session in
      let arguments = EnforcementRows.drawnFirmsBindings(first: first, last: last, beforeDraw: beforeDraw, until: until)
      return Set(
        try PostgresStore.texts(session, EnforcementRows.drawnFirmsSQL, arguments).compactMap { $0.first ?? nil })
    }
  }

  public func latestDrawID() throws -> Int {
    try read { session in
      (try PostgresStore.texts(session, EnforcementRows.latestDrawSQL).first?.first ?? nil).flatMap { Int($0) } ?? 0
    }
  }

  public func draw(_ id: Int) throws -> StoredDraw { try read { try PostgresStore.draw($0, id) } }

  public func draws(regionPrefix: String?) throws -> [StoredDraw] {
    try read { session in
      let arguments = EnforcementRows.selectionArguments(regionPrefix).map(EnforcementRows.Argument.text)
      return try PostgresStore.texts(session, EnforcementRows.drawsSQL, arguments).compactMap { $0.first ?? nil }
        .compactMap { Int($0) }.map { try PostgresStore.draw(session, $0) }
    }
  }

  public func weatherAlerts(regionPrefix: String?) throws -> [WeatherAlert] {
    try read { session in
      let arguments = EnforcementRows.selectionArguments(regionPrefix).map(EnforcementRows.Argument.text)
      return try PostgresStore.texts(session, EnforcementRows.alertsSQL, arguments).map(EnforcementRows.alert)
    }
  }
  public func emissionBaselines(regionPrefix: String, year: Int) throws -> [String: [WeatherPollutant: Int]] {
    try read { session in
      EnforcementRows.baselines(
        try PostgresStore.texts(
          session, EnforcementRows.baselinesSQL, [.text(regionPrefix + "%"), .int(Int64(year)), .int(Int64(year))]))
    }
  }

}

extension PostgresTransaction {
  private func run(_ sql: String, _ arguments: [EnforcementRows.Argument]) throws {
    _ = try session.execute(sql, PostgresStore.bindings(arguments))
  }

  private func insertReturningID(_ columns: String, _ arguments: [EnforcementRows.Argument]) throws -> Int {
    guard let row = try session.one("INSERT INTO " + columns + " RETURNING id", PostgresStore.bindings(arguments))
    else { throw RegistryError.database("an insert returned no id") }
    return try row.int(0)
  }

  func inspector(staffNo: String) throws -> Inspector? {
    try PostgresStore.inspectors(session, staffNo: staffNo).first
  }

  func insertInspector(_ inspector: Inspector, auditID: Int64) throws {
    try run(EnforcementRows.insertInspectorSQL, EnforcementRows.inspectorArguments(inspector, auditID: auditID))
  }

  func setInspectorActive(staffNo: String, active: Bool, auditID: Int64) throws {
    try run(EnforcementRows.setActiveSQL, [.int(active ? 1 : 0), .int(auditID), .text(staffNo)])
  }

  func insertConflict(staffNo: String, firm: CreditCode, reason: String, on day: Day, auditID: Int64) throws {
    try run(
      EnforcementRows.insertConflictSQL,
      EnforcementRows.conflictArguments(staffNo: staffNo, firm: firm, reason: reason, on: day, auditID: auditID))
  }

  func latestDrawID() throws -> Int {
    (try PostgresStore.texts(session, EnforcementRows.latestDrawSQL).first?.first ?? nil).flatMap { Int($0) } ?? 0
  }

  func insertDraw(_ snapshot: DrawSnapshot, picks: [DrawPick], auditID: Int64) throws -> Int {
    let id = try insertReturningID(
      EnforcementRows.insertDrawColumns, EnforcementRows.drawArguments(snapshot, auditID: auditID))
    for pick in picks { try run(EnforcementRows.insertPickSQL, EnforcementRows.pickArguments(drawID: id, pick)) }
    return id
  }

  func draw(_ id: Int) throws -> StoredDraw { try PostgresStore.draw(session, id) }

  func insertInspectionResult(drawID: Int, firm: CreditCode, _ result: InspectionResult, auditID: Int64) throws {
    try run(
      EnforcementRows.insertResultSQL,
      EnforcementRows.resultArguments(drawID: drawID, firm: firm, result, auditID: auditID))
  }

  func insertWeatherAlert(_ alert: WeatherAlert, auditID: Int64) throws -> Int {
    try insertReturningID(EnforcementRows.insertAlertColumns, EnforcementRows.alertArguments(alert, auditID: auditID))
  }
  func hasBaseline(_ firm: CreditCode, pollutant: WeatherPollutant, year: Int) throws -> Bool {
    !(try PostgresStore.texts(
      session, EnforcementRows.hasBaselineSQL, [.text(firm.value), .text(pollutant.rawValue), .int(Int64(year))]))
      .isEmpty
  }

  func insertBaseline(_ firm: CreditCode, _ baseline: EmissionBaseline, auditID: Int64) throws {
    try run(
      EnforcementRows.insertBaselineSQL, EnforcementRows.baselineArguments(firm: firm, baseline, auditID: auditID))
  }
}
