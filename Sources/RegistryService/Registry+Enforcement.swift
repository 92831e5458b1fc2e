import RegistryCore

/// A draw as made: what was stored, and how the jurisdiction's firms were left out of its pool.
public struct DrawOutcome: Sendable {
  public var draw: StoredDraw
  public var excluded: [PoolExclusion: Int]
}

/// A replay (RD-3): the picks recomputed from what was stored, and the snapshot against the registry
/// as it is now read for the draw date.
public struct DrawReplay: Sendable {
  public var draw: StoredDraw
  public var recomputed: [DrawPick]
  /// Whether the recomputed picks and inspectors are the stored ones.
  public var samePicks: Bool
  /// Firms whose pool entry differs: not in the pool now, new in it, or in another group.
  public var poolDifferences: [(code: String, stored: String, now: String)]
}

/// A firm's line of the weather plan (HW-2 … HW-9).
public struct WeatherPlanRow: Sendable {
  public var firm: Enterprise
  public var line: WeatherLine
}

/// A firm with a measure in force on a day (HW output (b)).
public struct WeatherTodayRow: Sendable {
  public var firm: Enterprise
  public var alert: WeatherAlert
  public var measure: WeatherMeasure
  public var line: WeatherLine
}

extension Registry {
  // MARK: The roster (RD-4)

  /// Adds an inspector to the roster (staff number unique; region a GB/T 2260 code in force).
  public func addInspector(_ inspector: Inspector, asOf: Day) throws {
    var problems: [FieldProblem] = []
    for (field, value, limit) in [
      ("staff_no", inspector.staffNo, 32), ("name", inspector.name, 100), ("unit", inspector.unit, 200),
      ("certificate", inspector.certificate, 100),
    ] {
      if value.trimmingSpaces().isEmpty {
        problems.append(FieldProblem(field: field, value: value, reason: "is required"))
      } else if let refusal = FreeText.refusal(value, field: field, maxLength: limit) {
        problems.append(FieldProblem(field: field, value: value, reason: refusal))
      }
    }
    if let refusal = Divisions.bundled.siteRefusal(inspector.regionCode, on: asOf) {
      problems.append(FieldProblem(field: "region", value: inspector.regionCode, reason: refusal))
    }
    guard problems.isEmpty else { throw RegistryError.invalid(problems) }
    try write { transaction in
      if try transaction.inspector(staffNo: inspector.staffNo) != nil {
        throw RegistryError.alreadyExists(
          kind: "inspector", key: inspector.staffNo, hint: "Run 'envreg inspector list' to see the roster.")
      }
      let auditID = try transaction.audit(
        action: "inspector.add", entityType: "inspector", entityKey: inspector.staffNo, before: nil,
        after: .record(Report.inspector(inspector)))
      try transaction.insertInspector(inspector, auditID: auditID)
    }
  }

  /// Disables (or enables again) an inspector: a disabled one is never drawn; draws keep naming them.
  public func setInspector(_ staffNo: String, active: Bool) throws {
    try write { transaction in
      guard let found = try transaction.inspector(staffNo: staffNo) else { throw Registry.noInspector(staffNo) }
      guard found.active != active else {
        throw RegistryError.refused("Inspector \(staffNo.quoted) is already \(active ? "active" : "disabled").")
      }
      let auditID = try transaction.audit(
        action: active ? "inspector.enable" : "inspector.disable", entityType: "inspector", entityKey: staffNo,
        before: .record(Fields([("active", .bool(found.active))])), after: .record(Fields([("active", .bool(active))])))
      try transaction.setInspectorActive(staffNo: staffNo, active: active, auditID: auditID)
    }
  }

  /// Records an inspector's declared conflict with a firm (RD-4): never drawn for it.
  public func declareConflict(_ staffNo: String, firm code: CreditCode, reason: String, on day: Day) throws {
    if reason.trimmingSpaces().isEmpty {
      throw RegistryError.invalid([FieldProblem(field: "reason", value: "", reason: "a conflict needs its reason")])
    }
    if let refusal = FreeText.refusal(reason, field: "reason", maxLength: 500) {
      throw RegistryError.invalid([FieldProblem(field: "reason", value: reason, reason: refusal)])
    }
    try write { transaction in
      guard let found = try transaction.inspector(staffNo: staffNo) else { throw Registry.noInspector(staffNo) }
      _ = try Registry.require(try transaction.enterprise(code), code)
      guard !found.conflicts.contains(code.value) else {
        throw RegistryError.refused("Inspector \(staffNo.quoted) has already declared a conflict with \(code.value).")
      }
      let auditID = try transaction.audit(
        action: "inspector.conflict", entityType: "inspector", entityKey: staffNo, before: nil,
        after: .record(Fields([("credit_code", .text(code.value)), ("reason", .text(reason)), ("on", .day(day))])))
      try transaction.insertConflict(staffNo: staffNo, firm: code, reason: reason, on: day, auditID: auditID)
    }
  }

  static func noInspector(_ staffNo: String) -> RegistryError {
    RegistryError.notFound(kind: "inspector", key: staffNo, hint: "Run 'envreg inspector list' to see the roster.")
  }

  /// The roster of a region selection (inspectors whose region lies inside it or covers it).
  public func inspectors(regionPrefix: String?) throws -> [Inspector] {
    try storage.inspectors().filter { inspector in
      regionPrefix.map { DrawRules.serves(inspector, jurisdiction: $0) } ?? true
    }
  }

  // MARK: The draw (RD-1 … RD-3)

  /// Draws the firms of `jurisdiction` to inspect in `period`, on `drawnOn`, with `seed`: the pool
  /// (RD-1), the quotas (RD-2), the picks and inspectors (RD-3, RD-4), stored in one transaction.
  public func drawInspections(jurisdiction: String, period: DrawPeriod, seed: UInt64, drawnOn: Day) throws
    -> DrawOutcome
  {
    guard drawnOn <= period.last else {
      throw RegistryError.refused("Period \(period) ended on \(period.last); a draw is made before or during it.")
    }
    try authorize(.writeFirm(region: Registry.fullCode(jurisdiction)))
    let policy = try storage.policyBook()
    let region = Registry.fullCode(jurisdiction)
    let cleanYears = policy.lookup(DrawRules.cleanYearsKey, region: region, asOf: drawnOn)?.value.integer
    let perFirm = policy.lookup(DrawRules.inspectorsKey, region: region, asOf: drawnOn)?.value.integer ?? 2
    var pool: [DrawCandidate] = []
    var excluded: [PoolExclusion: Int] = [:]
    let (latest, roster) = try storage.snapshot { () throws -> (Int, [Inspector]) in
      let latest = try storage.latestDrawID()
      let inspected = try storage.drawnFirms(
        first: period.first, last: period.last, beforeDraw: nil, until: drawnOn)
      try storage.forEachFirmFacts { facts in
        guard facts.enterprise.regionCode.hasPrefix(jurisdiction) else { return }
        if let reason = DrawRules.exclusion(facts, drawnOn: drawnOn, inspected: inspected) {
          excluded[reason, default: 0] += 1
        } else {
          pool.append(DrawRules.candidate(facts, drawnOn: drawnOn, cleanYears: cleanYears))
        }
      }
      let roster = try storage.inspectors().filter { $0.active && DrawRules.serves($0, jurisdiction: jurisdiction) }
      return (latest, roster)
    }
    pool.sort { $0.code < $1.code }
    let snapshot = DrawSnapshot(
      jurisdiction: jurisdiction, period: period, drawnOn: drawnOn, seed: seed, pool: pool, roster: roster,
      quotas: try DrawRules.quotas(pool: pool, policy: policy, region: region, drawnOn: drawnOn),
      inspectorsPerFirm: perFirm)
    let picks = try DrawRules.picks(snapshot)
    let id = try write { transaction in
      // The pool was read outside the lock: a draw made meanwhile may have taken firms from it.
      guard try transaction.latestDrawID() == latest else {
        throw RegistryError.refused("Another draw was made while this one was prepared; draw again.")
      }
      let auditID = try transaction.audit(
        action: "inspection.draw", entityType: "inspection_draw", entityKey: "\(jurisdiction) \(period)", before: nil,
        after: .record(
          Fields([
            ("jurisdiction", .text(jurisdiction)), ("period", .text(period.description)),
            ("seed", .text(String(seed))), ("pool", .int(pool.count)), ("picks", .int(picks.count)),
          ])))
      return try transaction.insertDraw(snapshot, picks: picks, auditID: auditID)
    }
    return DrawOutcome(draw: StoredDraw(id: id, snapshot: snapshot, picks: picks, results: [:]), excluded: excluded)
  }

  /// RD-3: recomputes a draw's picks from what was stored, and compares the stored pool with the
  /// registry read now for the draw date (firms inspected or drawn before the draw left out).
  public func replayDraw(_ id: Int) throws -> DrawReplay {
    let stored = try storage.draw(id)
    let snapshot = stored.snapshot
    try authorize(.readSelection(regionPrefix: snapshot.jurisdiction))
    let recomputed = try DrawRules.picks(snapshot)
    func key(_ picks: [DrawPick]) -> [String: String] {
      Dictionary(picks.map { ($0.code, "\($0.group) \($0.inspectors.sorted().joined(separator: ","))") }) { a, _ in a }
    }
    let samePicks = recomputed.count == stored.picks.count && key(recomputed) == key(stored.picks)
    let policy = try storage.policyBook()
    let cleanYears = policy.lookup(
      DrawRules.cleanYearsKey, region: Registry.fullCode(snapshot.jurisdiction), asOf: snapshot.drawnOn)?.value.integer
    var now: [String: String] = [:]
    try storage.snapshot {
      let inspected = try storage.drawnFirms(
        first: snapshot.period.first, last: snapshot.period.last, beforeDraw: id, until: snapshot.drawnOn)
      try storage.forEachFirmFacts { facts in
        guard facts.enterprise.regionCode.hasPrefix(snapshot.jurisdiction),
          DrawRules.exclusion(facts, drawnOn: snapshot.drawnOn, inspected: inspected) == nil
        else { return }
        let candidate = DrawRules.candidate(facts, drawnOn: snapshot.drawnOn, cleanYears: cleanYears)
        now[candidate.code] = candidate.group.description
      }
    }
    let then = Dictionary(snapshot.pool.map { ($0.code, $0.group.description) }) { a, _ in a }
    let differences = Set(then.keys).union(now.keys).sorted().compactMap { code -> (String, String, String)? in
      let before = then[code] ?? "-", after = now[code] ?? "-"
      return before == after ? nil : (code, before, after)
    }
    return DrawReplay(draw: stored, recomputed: recomputed, samePicks: samePicks, poolDifferences: differences)
  }

  /// Records what the inspection of a drawn firm found; a violation may open a ledger item and an
  /// incident in the same transaction. A firm inspected in the period leaves the next draw's pool.
  public func recordInspection(
    drawID: Int, firm code: CreditCode, _ result: InspectionResult, ledger: LedgerItem?, incident: IncidentFact?
  ) throws -> (InspectionResult, LedgerLine?) {
    if let refusal = FreeText.refusal(result.note, field: "note", maxLength: 2000) {
      throw RegistryError.invalid([FieldProblem(field: "note", value: result.note, reason: refusal)])
    }
    if result.finding == .none, ledger != nil || incident != nil {
      throw RegistryError.refused("A ledger item or an incident follows a violation; this inspection found none.")
    }
    if let ledger {
      let problems = LedgerRules.recordProblems(ledger)
      guard problems.isEmpty else { throw RegistryError.invalid(problems) }
    }
    return try write { transaction in
      let draw = try transaction.draw(drawID)
      guard draw.picks.contains(where: { $0.code == code.value }) else {
        throw RegistryError.refused(
          "\(code.value) was not drawn in draw \(drawID); see 'envreg inspect show \(drawID)'.")
      }
      if let earlier = draw.results[code.value] {
        throw RegistryError.refused(
          "The inspection of \(code.value) in draw \(drawID) is already recorded "
            + "(\(earlier.foundOn), \(earlier.finding.rawValue))."
        )
      }
      guard result.foundOn >= draw.snapshot.drawnOn else {
        throw RegistryError.invalid([
          FieldProblem(
            field: "on", value: result.foundOn.description, reason: "is before the draw (\(draw.snapshot.drawnOn))")
        ])
      }
      let auditID = try transaction.audit(
        action: "inspection.record", entityType: "inspection_result", entityKey: code.value, before: nil,
        after: .record(Report.inspectionResult(drawID: drawID, result)))
      var recorded = result
      var line: LedgerLine?
      if let ledger {
        line = try transaction.insertLedgerItem(ledger, firm: code, auditID: auditID)
        recorded.ledgerItemID = line?.item.id
      }
      if let incident { try transaction.insertIncident(code, incident, note: result.note, auditID: auditID) }
      try transaction.insertInspectionResult(drawID: drawID, firm: code, recorded, auditID: auditID)
      return (recorded, line)
    }
  }

  /// A 2-, 4- or 6-digit prefix as the 6-digit code of its division (42 → 420000).
  static func fullCode(_ prefix: String) -> String { prefix + String(repeating: "0", count: max(0, 6 - prefix.count)) }

  // MARK: Heavy-pollution weather (HW-1 … HW-9)

  /// Records an alert (HW-1) over a region selection.
  public func addWeatherAlert(_ alert: WeatherAlert) throws -> WeatherAlert {
    var problems: [FieldProblem] = []
    if let to = alert.to, to < alert.from {
      problems.append(FieldProblem(field: "to", value: to.description, reason: "is before the start \(alert.from)"))
    }
    for (field, value) in [("issuer", alert.issuer), ("reference", alert.reference)] {
      if value.trimmingSpaces().isEmpty {
        problems.append(FieldProblem(field: field, value: value, reason: "is required"))
      } else if let refusal = FreeText.refusal(value, field: field, maxLength: 200) {
        problems.append(FieldProblem(field: field, value: value, reason: refusal))
      }
    }
    guard problems.isEmpty else { throw RegistryError.invalid(problems) }
    let id = try write { transaction in
      let auditID = try transaction.audit(
        action: "weather.alert", entityType: "weather_alert", entityKey: alert.region, before: nil,
        after: .record(Report.weatherAlert(alert)))
      return try transaction.insertWeatherAlert(alert, auditID: auditID)
    }
    var stored = alert
    stored.id = id
    return stored
  }

  /// The reduction list of a region selection on `day` (HW-2 … HW-9): every active firm with its
  /// class, grade and measure at each level.
  public func weatherPlan(regionPrefix: String, on day: Day, _ body: (WeatherPlanRow) throws -> Void) throws {
    try authorize(.readSelection(regionPrefix: regionPrefix))
    let policy = try storage.policyBook()
    try storage.forEachFirmFacts { facts in
      let firm = facts.enterprise
      guard firm.regionCode.hasPrefix(regionPrefix), firm.status == .active, firm.registeredOn <= day,
        firm.closedOn.map({ day < $0 }) ?? true
      else { return }
      try body(WeatherPlanRow(firm: firm, line: WeatherRules.line(facts, policy: policy, on: day)))
    }
  }

  /// The firms of a region selection with a measure in force on `day`: under the highest alert
  /// covering their site, a measure other than none or 自主减排 (HW output (b)).
  public func weatherToday(regionPrefix: String, on day: Day) throws -> [WeatherTodayRow] {
    let alerts = try storage.weatherAlerts(regionPrefix: regionPrefix).filter {
      $0.from <= day && ($0.to.map { day <= $0 } ?? true)
    }
    guard !alerts.isEmpty else { return [] }
    var rows: [WeatherTodayRow] = []
    try weatherPlan(regionPrefix: regionPrefix, on: day) { row in
      guard let alert = WeatherRules.level(alerts, regionCode: row.firm.regionCode, on: day),
        let measure = row.line.measures[alert.level], measure.isMandatory
      else { return }
      rows.append(WeatherTodayRow(firm: row.firm, alert: alert, measure: measure, line: row.line))
    }
    return rows
  }

  /// Records a firm's annual emissions of a pollutant (HW-6's weight); one per pollutant and year.
  public func addEmissionBaseline(_ code: CreditCode, _ baseline: EmissionBaseline) throws {
    if baseline.reference.trimmingSpaces().isEmpty {
      throw RegistryError.invalid([FieldProblem(field: "reference", value: "", reason: "is required")])
    }
    if let refusal = FreeText.refusal(baseline.reference, field: "reference", maxLength: 200) {
      throw RegistryError.invalid([FieldProblem(field: "reference", value: baseline.reference, reason: refusal)])
    }
    try write { transaction in
      _ = try Registry.require(try transaction.enterprise(code), code)
      if try transaction.hasBaseline(code, pollutant: baseline.pollutant, year: baseline.year) {
        throw RegistryError.refused(
          "\(code.value) already has a \(baseline.pollutant.rawValue) baseline for \(baseline.year); "
            + "baselines are never overwritten."
        )
      }
      let auditID = try transaction.audit(
        action: "weather.baseline", entityType: "emission_baseline", entityKey: code.value, before: nil,
        after: .record(
          Fields([
            ("pollutant", .text(baseline.pollutant.rawValue)), ("year", .int(baseline.year)),
            ("kilograms", .int(baseline.kilograms)), ("reference", .text(baseline.reference)),
          ])))
      try transaction.insertBaseline(code, baseline, auditID: auditID)
    }
  }

  /// HW-6 for a region's list on `day`: the listed reductions against the share each level requires;
  /// empty when the region has no emission baseline recorded at all.
  public func weatherRegionCheck(regionPrefix: String, on day: Day, lines: [(code: String, line: WeatherLine)]) throws
    -> [TraceLine]
  {
    let baselines = try storage.emissionBaselines(regionPrefix: regionPrefix, year: day.year)
    guard !baselines.isEmpty else { return [] }  // nothing recorded: not checked (the caller says so)
    return WeatherRules.regionCheck(
      lines.map { ($0.line, baselines[$0.code] ?? [:]) }, policy: try storage.policyBook(),
      region: Registry.fullCode(regionPrefix), on: day)
  }

  /// The alerts of a region selection.
  public func weatherAlerts(regionPrefix: String?) throws -> [WeatherAlert] {
    try authorize(.readSelection(regionPrefix: regionPrefix))
    return try storage.weatherAlerts(regionPrefix: regionPrefix)
  }

  /// The draws of a region selection.
  public func draws(regionPrefix: String?) throws -> [StoredDraw] {
    try authorize(.readSelection(regionPrefix: regionPrefix))
    return try storage.draws(regionPrefix: regionPrefix)
  }

  /// A draw with its picks and results.
  public func draw(_ id: Int) throws -> StoredDraw {
    let draw = try storage.draw(id)
    try authorize(.readSelection(regionPrefix: draw.snapshot.jurisdiction))
    return draw
  }
}
