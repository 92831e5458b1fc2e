import RegistryCore

/// The rows of the enforcement-planning tables (RULES §9, §10) as both storages read and write them:
/// the statements (portable SQL with `?` placeholders, every column read as text) and the decoding of
/// a row's texts into the core's values, so that neither engine keeps its own copy.
public enum EnforcementRows {
  // MARK: Statements

  public static let inspectorsSQL = """
    SELECT staff_no, name, unit, region_code, certificate, CAST(active AS TEXT) FROM inspector ORDER BY staff_no
    """
  public static let inspectorSQL = """
    SELECT staff_no, name, unit, region_code, certificate, CAST(active AS TEXT) FROM inspector WHERE staff_no = ?
    """
  public static let conflictsSQL = """
    SELECT i.staff_no, e.credit_code FROM inspector_conflict c
    JOIN inspector i ON i.id = c.inspector_id JOIN enterprise e ON e.id = c.enterprise_id
    ORDER BY i.staff_no, e.credit_code
    """
  public static let insertInspectorSQL = """
    INSERT INTO inspector (staff_no, name, unit, region_code, certificate, active, audit_id)
    VALUES (?, ?, ?, ?, ?, ?, ?)
    """
  public static let setActiveSQL = "UPDATE inspector SET active = ?, audit_id = ? WHERE staff_no = ?"
  public static let insertConflictSQL = """
    INSERT INTO inspector_conflict (inspector_id, enterprise_id, reason, declared_on, audit_id)
    SELECT i.id, e.id, ?, ?, CAST(? AS BIGINT) FROM inspector i, enterprise e WHERE i.staff_no = ? AND e.credit_code = ?
    """
  public static let latestDrawSQL = "SELECT CAST(COALESCE(MAX(id), 0) AS TEXT) FROM inspection_draw"
  public static let insertDrawColumns = """
    inspection_draw (jurisdiction, period, period_from, period_to, seed, pool_snapshot, roster, quotas, \
    inspectors_per_firm, drawn_on, audit_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    """
  public static let insertPickSQL = """
    INSERT INTO draw_pick (draw_id, enterprise_id, stratum, inspectors)
    SELECT CAST(? AS BIGINT), id, ?, ? FROM enterprise WHERE credit_code = ?
    """
  static let drawColumns = """
    SELECT CAST(id AS TEXT), jurisdiction, period, seed, pool_snapshot, roster, quotas, \
    CAST(inspectors_per_firm AS TEXT), drawn_on FROM inspection_draw
    """
  public static let drawSQL = drawColumns + " WHERE id = ?"
  public static let drawsSQL = drawColumns + " WHERE jurisdiction LIKE ? OR ? LIKE jurisdiction || '%' ORDER BY id DESC"
  public static let picksSQL = """
    SELECT e.credit_code, p.stratum, p.inspectors FROM draw_pick p JOIN enterprise e ON e.id = p.enterprise_id
    WHERE p.draw_id = ? ORDER BY e.credit_code
    """
  public static let resultsSQL = """
    SELECT e.credit_code, r.found_on, r.finding, r.note, CAST(r.ledger_item_id AS TEXT)
    FROM inspection_result r JOIN enterprise e ON e.id = r.enterprise_id WHERE r.draw_id = ?
    """
  public static let insertResultSQL = """
    INSERT INTO inspection_result (draw_id, enterprise_id, found_on, finding, note, ledger_item_id, audit_id)
    SELECT CAST(? AS BIGINT), id, ?, ?, ?, CAST(? AS BIGINT), CAST(? AS BIGINT) FROM enterprise WHERE credit_code = ?
    """
  /// RD-1: firms drawn in an earlier draw whose period overlaps, or inspected (by an earlier draw)
  /// within the period up to the draw date.
  public static let drawnFirmsSQL = """
    SELECT e.credit_code FROM draw_pick p JOIN inspection_draw d ON d.id = p.draw_id
      JOIN enterprise e ON e.id = p.enterprise_id
    WHERE d.period_from <= ? AND d.period_to >= ? AND d.id < ?
    UNION
    SELECT e.credit_code FROM inspection_result r JOIN enterprise e ON e.id = r.enterprise_id
    WHERE r.found_on >= ? AND r.found_on <= ? AND r.draw_id < ?
    """
  /// HW-6: each firm's latest baseline per pollutant up to a year, for a region selection.
  public static let baselinesSQL = """
    SELECT e.credit_code, b.pollutant, CAST(b.kilograms AS TEXT) FROM emission_baseline b
    JOIN enterprise e ON e.id = b.enterprise_id
    WHERE e.region_code LIKE ? AND b.year <= ?
      AND b.year = (SELECT MAX(o.year) FROM emission_baseline o
                    WHERE o.enterprise_id = b.enterprise_id AND o.pollutant = b.pollutant AND o.year <= ?)
    """
  public static let insertBaselineSQL = """
    INSERT INTO emission_baseline (enterprise_id, pollutant, year, kilograms, reference, audit_id)
    SELECT id, ?, CAST(? AS BIGINT), CAST(? AS BIGINT), ?, CAST(? AS BIGINT) FROM enterprise WHERE credit_code = ?
    """
  public static let hasBaselineSQL = """
    SELECT 'yes' FROM emission_baseline b JOIN enterprise e ON e.id = b.enterprise_id
    WHERE e.credit_code = ? AND b.pollutant = ? AND b.year = CAST(? AS BIGINT)
    """

  public static func baselineArguments(firm: CreditCode, _ b: EmissionBaseline, auditID: Int64) -> [Argument] {
    [
      .text(b.pollutant.rawValue), .int(Int64(b.year)), .int(Int64(b.kilograms)), .text(b.reference), .int(auditID),
      .text(firm.value),
    ]
  }

  /// Baselines by credit code from `baselinesSQL` rows.
  public static func baselines(_ rows: [[String?]]) -> [String: [WeatherPollutant: Int]] {
    var found: [String: [WeatherPollutant: Int]] = [:]
    for row in rows where row.count == 3 {
      guard let code = row[0], let pollutant = row[1].flatMap(WeatherPollutant.init(rawValue:)),
        let kilograms = row[2].flatMap({ Int($0) })
      else { continue }
      found[code, default: [:]][pollutant] = kilograms
    }
    return found
  }

  public static let insertAlertColumns = """
    weather_alert (region, level, from_day, to_day, issuer, reference, audit_id) VALUES (?, ?, ?, ?, ?, ?, ?)
    """
  public static let alertsSQL = """
    SELECT CAST(id AS TEXT), region, level, from_day, to_day, issuer, reference FROM weather_alert
    WHERE region LIKE ? OR ? LIKE region || '%' ORDER BY from_day, id
    """

  /// The bindings of a region selection (`drawsSQL`, `alertsSQL`): inside it, or covering it.
  public static func selectionArguments(_ prefix: String?) -> [String] { [(prefix ?? "") + "%", prefix ?? ""] }

  /// A value bound to a statement, typed for the engine (PostgreSQL binds text and bigint apart).
  public enum Argument: Sendable {
    case text(String)
    case int(Int64)
    case null
  }

  /// The bindings of an inserted draw.
  public static func drawArguments(_ snapshot: DrawSnapshot, auditID: Int64) -> [Argument] {
    [
      .text(snapshot.jurisdiction), .text(snapshot.period.description), .text(snapshot.period.first.description),
      .text(snapshot.period.last.description), .text(String(snapshot.seed)),
      .text(DrawCodec.encode(pool: snapshot.pool)),
      .text(DrawCodec.encode(roster: snapshot.roster)), .text(DrawCodec.encode(quotas: snapshot.quotas)),
      .int(Int64(snapshot.inspectorsPerFirm)), .text(snapshot.drawnOn.description), .int(auditID),
    ]
  }

  /// The bindings of `drawnFirmsSQL`, typed.
  public static func drawnFirmsBindings(first: Day, last: Day, beforeDraw: Int?, until: Day) -> [Argument] {
    let before = Argument.int(Int64(beforeDraw ?? Int(Int64.max)))
    return [
      .text(last.description), .text(first.description), before, .text(first.description),
      .text(min(last, until).description), before,
    ]
  }

  /// The bindings of a result.
  public static func resultArguments(drawID: Int, firm: CreditCode, _ result: InspectionResult, auditID: Int64)
    -> [Argument]
  {
    [
      .int(Int64(drawID)), .text(result.foundOn.description), .text(result.finding.rawValue), .text(result.note),
      result.ledgerItemID.map { .int(Int64($0)) } ?? .null, .int(auditID), .text(firm.value),
    ]
  }

  /// The bindings of an alert.
  public static func alertArguments(_ alert: WeatherAlert, auditID: Int64) -> [Argument] {
    [
      .text(alert.region), .text(alert.level.rawValue), .text(alert.from.description),
      alert.to.map { .text($0.description) } ?? .null, .text(alert.issuer), .text(alert.reference), .int(auditID),
    ]
  }

  /// The bindings of an inspector.
  public static func inspectorArguments(_ inspector: Inspector, auditID: Int64) -> [Argument] {
    [
      .text(inspector.staffNo), .text(inspector.name), .text(inspector.unit), .text(inspector.regionCode),
      .text(inspector.certificate), .int(inspector.active ? 1 : 0), .int(auditID),
    ]
  }

  /// The bindings of a conflict.
  public static func conflictArguments(staffNo: String, firm: CreditCode, reason: String, on day: Day, auditID: Int64)
    -> [Argument]
  {
    [.text(reason), .text(day.description), .int(auditID), .text(staffNo), .text(firm.value)]
  }

  /// The bindings of a pick.
  public static func pickArguments(drawID: Int, _ pick: DrawPick) -> [Argument] {
    [
      .int(Int64(drawID)), .text(pick.group.description), .text(DrawCodec.encode(inspectors: pick.inspectors)),
      .text(pick.code),
    ]
  }

  // MARK: Decoding

  static func unreadable(_ what: String) -> RegistryError {
    RegistryError.database("\(what) holds a value this envreg cannot read")
  }

  public static func inspector(_ fields: [String?], conflicts: [String: Set<String>]) throws -> Inspector {
    guard fields.count == 6, let staffNo = fields[0] else { throw unreadable("an inspector row") }
    return Inspector(
      staffNo: staffNo, name: fields[1] ?? "", unit: fields[2] ?? "", regionCode: fields[3] ?? "",
      certificate: fields[4] ?? "", active: fields[5] == "1", conflicts: conflicts[staffNo] ?? [])
  }

  public static func draw(_ fields: [String?], picks: [[String?]], results: [[String?]]) throws -> StoredDraw {
    guard fields.count == 9, let id = fields[0].flatMap({ Int($0) }), let jurisdiction = fields[1],
      let period = fields[2].flatMap(DrawPeriod.init), let seed = fields[3].flatMap({ UInt64($0) }),
      let pool = fields[4].flatMap(DrawCodec.pool), let roster = fields[5].flatMap(DrawCodec.roster),
      let quotas = fields[6].flatMap(DrawCodec.quotas), let perFirm = fields[7].flatMap({ Int($0) }),
      let drawnOn = fields[8].flatMap({ Day($0) })
    else { throw unreadable("inspection draw \(fields.first.flatMap { $0 } ?? "?")") }
    let snapshot = DrawSnapshot(
      jurisdiction: jurisdiction, period: period, drawnOn: drawnOn, seed: seed, pool: pool, roster: roster,
      quotas: quotas, inspectorsPerFirm: perFirm)
    let drawPicks = try picks.map { row -> DrawPick in
      guard row.count == 3, let code = row[0], let group = row[1].flatMap(DrawGroup.init),
        let inspectors = row[2].flatMap(DrawCodec.strings)
      else { throw unreadable("a pick of draw \(id)") }
      return DrawPick(code: code, group: group, inspectors: inspectors)
    }
    var found: [String: InspectionResult] = [:]
    for row in results {
      guard row.count == 5, let code = row[0], let on = row[1].flatMap({ Day($0) }),
        let finding = row[2].flatMap(InspectionFinding.init(rawValue:))
      else { throw unreadable("a result of draw \(id)") }
      found[code] = InspectionResult(
        foundOn: on, finding: finding, note: row[3] ?? "", ledgerItemID: row[4].flatMap { Int($0) })
    }
    return StoredDraw(id: id, snapshot: snapshot, picks: drawPicks, results: found)
  }

  public static func alert(_ fields: [String?]) throws -> WeatherAlert {
    guard fields.count == 7, let id = fields[0].flatMap({ Int($0) }), let region = fields[1],
      let level = fields[2].flatMap(AlertLevel.init(rawValue:)), let from = fields[3].flatMap({ Day($0) })
    else { throw unreadable("a weather alert row") }
    let to = try fields[4].map { text -> Day in
      guard let day = Day(text) else { throw unreadable("weather alert \(id)") }
      return day
    }
    return WeatherAlert(
      id: id, region: region, level: level, from: from, to: to, issuer: fields[5] ?? "", reference: fields[6] ?? "")
  }

  /// Conflicts by staff number from `conflictsSQL` rows.
  public static func conflicts(_ rows: [[String?]]) -> [String: Set<String>] {
    var found: [String: Set<String>] = [:]
    for row in rows where row.count == 2 {
      if let staff = row[0], let code = row[1] { found[staff, default: []].insert(code) }
    }
    return found
  }
}
