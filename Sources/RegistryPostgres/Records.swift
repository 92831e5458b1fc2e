import RegistryCore
import RegistryService

/// Permits, fines, retrofits and the ledger: reads of one record and streaming listings, each
/// listing one ordered pass over the parents with their children merged in (ChildCursor).
extension PostgresStore {
  // MARK: Permits

  static let permitSelect = """
    SELECT p.id, p.number, p.class, p.issued_on, p.valid_from, p.valid_to, s.number,
      e.credit_code, e.name, e.region_code
    FROM permit p JOIN enterprise e ON e.id = p.enterprise_id LEFT JOIN permit s ON s.id = p.superseded_by
    """

  static func permit(_ row: SQLRow, events: [PermitEvent]) throws -> HeldPermit {
    let number = try row.string(1)
    let holderCode = try row.string(7)
    guard let parsed = PermitNumber(stored: number), let permitClass = PermitClass(rawValue: try row.string(2)),
      let issued = Day(try row.string(3)), let from = Day(try row.string(4)), let to = Day(try row.string(5)),
      let holder = parsed.holder.value == holderCode ? parsed.holder : CreditCode(stored: holderCode)
    else { throw RegistryError.database("permit row \(number.quoted) holds a value this envreg cannot read") }
    let permit = Permit(
      number: parsed, permitClass: permitClass, issuedOn: issued, validFrom: from, validTo: to,
      supersededBy: try row.text(6), events: events)
    return HeldPermit(permit: permit, holder: holder, holderName: try row.string(8), regionCode: try row.string(9))
  }

  /// A text column with the two separator characters of packed events replaced by spaces.
  static func clean(_ column: String) -> String { "replace(replace(\(column), chr(30), ' '), chr(31), ' ')" }

  /// Each permit's events as one packed column (PermitEvent.unpack).
  static let packedEvents = """
    (SELECT string_agg(v.kind || chr(31) || v.event_on || chr(31) || coalesce(v.until_on, '') || chr(31)
       || \(clean("v.basis")) || chr(31) || \(clean("v.approver")) || chr(31) || \(clean("v.note")), chr(30)
       ORDER BY v.event_on, v.id)
     FROM permit_event v WHERE v.permit_id = p.id)
    """

  func requirePermit(_ session: SQLSession, _ number: String) throws -> (id: Int64, held: HeldPermit) {
    let normalised = (try? PermitNumber.parse(number).get().value) ?? number
    guard
      let row = try session.one(
        PostgresStore.permitSelect.replacingOccurrences(
          of: "e.region_code\n", with: "e.region_code, \(PostgresStore.packedEvents)\n")
          + " WHERE p.number = ?", [normalised])
    else {
      throw RegistryError.notFound(
        kind: "permit", key: normalised, hint: "Run 'envreg permit list' to see recorded permits.")
    }
    return (try row.int64(0), try PostgresStore.permit(row, events: PermitEvent.unpack(try row.text(10))))
  }

  public func permit(_ number: String) throws -> HeldPermit {
    try read { session in try requirePermit(session, number).held }
  }

  public func forEachPermit(_ filter: PermitFilter, _ body: (HeldPermit) throws -> Void) throws {
    var conditions = Where()
    if filter.currentOnly, let asOf = filter.asOf {
      conditions.add(
        "(p.superseded_by IS NULL OR s.issued_on > ?) AND p.issued_on <= ?", [asOf.description, asOf.description])
    } else if filter.currentOnly {
      conditions.add("p.superseded_by IS NULL")
    }
    if filter.deferredOnly {
      if let asOf = filter.asOf {
        conditions.add(
          "p.id IN (SELECT d.permit_id FROM permit_event d WHERE d.kind = 'deferral-granted' AND d.event_on <= ?)",
          [asOf.description])
      } else {
        conditions.add("p.id IN (SELECT d.permit_id FROM permit_event d WHERE d.kind = 'deferral-granted')")
      }
    }
    if let to = filter.validToOnOrBefore { conditions.add("p.valid_to <= ?", [to.description]) }
    if let from = filter.validToOnOrAfter { conditions.add("p.valid_to >= ?", [from.description]) }
    if let permitClass = filter.permitClass { conditions.add("p.class = ?", [permitClass.rawValue]) }
    conditions.codePrefix(filter.regionPrefix, column: "e.region_code")
    if let holder = filter.holder { conditions.add("e.credit_code = ?", [holder.value]) }
    let order = filter.byExpiry ? " ORDER BY p.valid_to, p.id" : " ORDER BY p.id"
    let sql =
      PostgresStore.permitSelect.replacingOccurrences(
        of: "e.region_code\n", with: "e.region_code, \(PostgresStore.packedEvents)\n") + conditions.whereClause + order
    try read { session in
      try session.stream(sql, conditions.values) { row in
        try body(try PostgresStore.permit(row, events: PermitEvent.unpack(try row.text(10))))
      }
    }
  }

  public func permitRelevantChanges(since: Day, regionPrefix: String?) throws -> [(
    code: String, name: String, region: String, field: String, on: Day
  )] {
    var conditions = Where()
    conditions.add("c.field IN ('name', 'address', 'legal_rep') AND c.effective_on >= ?", [since.description])
    conditions.codePrefix(regionPrefix, column: "e.region_code")
    return try read { session in
      try session.rows(
        """
        SELECT e.credit_code, e.name, e.region_code, c.field, c.effective_on
        FROM enterprise_change c JOIN enterprise e ON e.id = c.enterprise_id
        """ + conditions.whereClause + " ORDER BY e.credit_code, c.effective_on", conditions.values
      ).compactMap { row in
        guard let on = Day(try row.string(4)) else { return nil }
        return (try row.string(0), try row.string(1), try row.string(2), try row.string(3), on)
      }
    }
  }

  // MARK: Fines

  static let fineSelect = """
    SELECT f.id, f.decision_number, f.amount_fen, f.decided_on, f.received_on, f.legal_basis, e.credit_code, e.name,
      e.region_code
    FROM fine f JOIN enterprise e ON e.id = f.enterprise_id
    """

  static func fine(_ row: SQLRow) throws -> OwedFine {
    guard let decided = Day(try row.string(3)), let received = Day(try row.string(4)),
      let debtor = CreditCode(stored: try row.string(6))
    else {
      throw RegistryError.database("fine row \(try row.string(1).quoted) holds a value this envreg cannot read")
    }
    let fine = Fine(
      decisionNumber: try row.string(1), amount: Fen(try row.int64(2)), decidedOn: decided, receivedOn: received,
      legalBasis: try row.string(5))
    return OwedFine(fine: fine, debtor: debtor, debtorName: try row.string(7), regionCode: try row.string(8))
  }

  /// Payment and suspension rows start with their fine's id.
  static func payment(_ row: SQLRow) throws -> FinePayment? {
    guard let on = Day(try row.string(1)) else { return nil }
    return FinePayment(on: on, amount: Fen(try row.int64(2)), reference: try row.string(3))
  }

  static func suspension(_ row: SQLRow) throws -> FineSuspension? {
    guard let kind = FineSuspension.Kind(rawValue: try row.string(1)), let from = Day(try row.string(2)) else {
      return nil
    }
    return FineSuspension(kind: kind, from: from, to: try row.text(3).flatMap(Day.init))
  }

  static func arrangements(_ session: SQLSession, fineID: Int64) throws -> [FineArrangement] {
    try session.rows(
      """
      SELECT id, kind, applied_on, reason, approver, approved_on, new_due_on, supersede_reason
      FROM fine_arrangement WHERE fine_id = ? ORDER BY approved_on, id
      """, [fineID]
    ).compactMap { row in
      guard let kind = FineArrangement.Kind(rawValue: try row.string(1)), let applied = Day(try row.string(2)),
        let approved = Day(try row.string(5))
      else { return nil }
      let instalments = try session.rows(
        "SELECT due_on, amount_fen FROM fine_instalment WHERE arrangement_id = ? ORDER BY seq", [try row.int64(0)]
      ).compactMap { r -> Instalment? in
        guard let due = Day(try r.string(0)) else { return nil }
        return Instalment(due: due, amount: Fen(try r.int64(1)))
      }
      var arrangement = FineArrangement(
        kind: kind, appliedOn: applied, reason: try row.string(3), approver: try row.string(4), approvedOn: approved,
        newDue: try row.text(6).flatMap(Day.init), instalments: instalments)
      arrangement.supersedeReason = try row.string(7)
      return arrangement
    }
  }

  func requireFine(_ session: SQLSession, _ decision: String) throws -> (id: Int64, owed: OwedFine) {
    let key = (try? DecisionNumber.parse(decision).get().key) ?? decision.trimmingSpaces()
    guard
      let row = try session.one(
        PostgresStore.fineSelect + " WHERE f.decision_key = ? OR f.decision_number = ?",
        [key, decision.trimmingSpaces()])
    else {
      throw RegistryError.notFound(
        kind: "fine with decision number", key: decision, hint: "Run 'envreg fine list' to see recorded fines.")
    }
    let id = try row.int64(0)
    var owed = try PostgresStore.fine(row)
    owed.fine.arrangements = try PostgresStore.arrangements(session, fineID: id)
    owed.fine.payments = try session.rows(
      "SELECT fine_id, paid_on, amount_fen, reference FROM fine_payment WHERE fine_id = ? ORDER BY paid_on, id", [id]
    ).compactMap(PostgresStore.payment)
    owed.fine.suspensions = try session.rows(
      "SELECT fine_id, kind, from_on, to_on FROM fine_suspension WHERE fine_id = ? ORDER BY from_on, id", [id]
    ).compactMap(PostgresStore.suspension)
    return (id, owed)
  }

  public func fine(_ decision: String) throws -> OwedFine {
    try read { session in try requireFine(session, decision).owed }
  }

  public func forEachFine(
    regionPrefix: String?, debtor: CreditCode?, decidedBy: Day?, unsettledOn: Day?, _ body: (OwedFine) throws -> Void
  ) throws {
    var conditions = Where()
    conditions.codePrefix(regionPrefix, column: "e.region_code")
    if let debtor { conditions.add("e.credit_code = ?", [debtor.value]) }
    if let day = decidedBy { conditions.add("f.decided_on <= ?", [day.description]) }
    if let day = unsettledOn {
      conditions.add(
        """
        f.decided_on <= ? AND f.amount_fen > coalesce((SELECT sum(amount_fen) FROM fine_payment p
        WHERE p.fine_id = f.id AND p.paid_on <= ?), 0)
        """, [day.description, day.description])
    }
    try read { session in
      let fines = try SQLCursor(
        session, PostgresStore.fineSelect + conditions.whereClause + " ORDER BY f.id", conditions.values)
      let children = Children(
        session, selected: "SELECT f.id FROM fine f JOIN enterprise e ON e.id = f.enterprise_id", key: "fine_id",
        conditions: conditions, narrow: regionPrefix != nil || debtor != nil)
      var payments = try children.rows(
        "fine_id, paid_on, amount_fen, reference", from: "fine_payment", order: "fine_id, paid_on, id")
      var suspensions = try children.rows(
        "fine_id, kind, from_on, to_on", from: "fine_suspension", order: "fine_id, from_on, id")
      var arranged = try children.rows("DISTINCT fine_id", from: "fine_arrangement", order: "fine_id")
      while let row = try fines.next() {
        let id = try row.int64(0)
        var owed = try PostgresStore.fine(row)
        owed.fine.payments = try payments.take(id).compactMap(PostgresStore.payment)
        owed.fine.suspensions = try suspensions.take(id).compactMap(PostgresStore.suspension)
        if try !arranged.take(id).isEmpty {
          owed.fine.arrangements = try PostgresStore.arrangements(session, fineID: id)
        }
        try body(owed)
      }
    }
  }

  // MARK: Retrofits

  static let retrofitSelect = """
    SELECT r.id, r.facility, r.source_type, r.capacity, r.capacity_unit, r.new_installation, r.planned_start,
      r.planned_completion, r.assessing_body, e.credit_code, e.name, e.region_code
    FROM retrofit r JOIN enterprise e ON e.id = r.enterprise_id
    """

  static func retrofit(_ row: SQLRow) throws -> FirmRetrofit {
    guard let source = SourceType(rawValue: try row.string(2)), let start = Day(try row.string(6)),
      let completion = Day(try row.string(7)), let owner = CreditCode(try row.string(9))
    else {
      throw RegistryError.database("retrofit row \(try row.int64(0)) holds a value this envreg cannot read")
    }
    let retrofit = Retrofit(
      id: try row.int(0), facility: try row.string(1), sourceType: source, capacity: try row.double(3),
      capacityUnit: try row.string(4), newInstallation: try row.flag(5) ?? false, plannedStart: start,
      plannedCompletion: completion, assessingBody: try row.string(8))
    return FirmRetrofit(retrofit: retrofit, owner: owner, ownerName: try row.string(10), regionCode: try row.string(11))
  }

  /// Stage and measurement rows start with their project's id.
  static func stageEntry(_ row: SQLRow) throws -> StageEntry? {
    guard let stage = RetrofitStage(rawValue: try row.string(1)), let on = Day(try row.string(2)) else { return nil }
    return StageEntry(stage: stage, on: on, note: try row.string(3))
  }

  static func measurement(_ row: SQLRow) throws -> Measurement? {
    guard let pollutant = Pollutant(rawValue: try row.string(1)), let on = Day(try row.string(4)) else { return nil }
    return Measurement(
      pollutant: pollutant, concentration: try row.double(2), oxygen: try row.double(3), measuredOn: on,
      measuredBy: try row.string(5))
  }

  func requireRetrofit(_ session: SQLSession, _ id: Int) throws -> FirmRetrofit {
    guard let row = try session.one(PostgresStore.retrofitSelect + " WHERE r.id = ?", [id]) else {
      throw RegistryError.notFound(
        kind: "retrofit", key: String(id), hint: "Run 'envreg retrofit list' to see retrofit projects and their ids.")
    }
    var found = try PostgresStore.retrofit(row)
    found.retrofit.stages = try session.rows(
      "SELECT retrofit_id, stage, entered_on, note FROM retrofit_stage WHERE retrofit_id = ? ORDER BY entered_on, id",
      [id]
    ).compactMap(PostgresStore.stageEntry)
    found.retrofit.measurements = try session.rows(
      """
      SELECT retrofit_id, pollutant, concentration, o2_percent, measured_on, measured_by
      FROM measurement WHERE retrofit_id = ? ORDER BY measured_on, id
      """, [id]
    ).compactMap(PostgresStore.measurement)
    return found
  }

  public func retrofit(_ id: Int) throws -> FirmRetrofit { try read { session in try requireRetrofit(session, id) } }

  public func forEachRetrofit(regionPrefix: String?, owner: CreditCode?, _ body: (FirmRetrofit) throws -> Void) throws {
    var conditions = Where()
    conditions.codePrefix(regionPrefix, column: "e.region_code")
    if let owner { conditions.add("e.credit_code = ?", [owner.value]) }
    try read { session in
      let retrofits = try SQLCursor(
        session, PostgresStore.retrofitSelect + conditions.whereClause + " ORDER BY r.id", conditions.values)
      let children = Children(
        session, selected: "SELECT r.id FROM retrofit r JOIN enterprise e ON e.id = r.enterprise_id",
        key: "retrofit_id", conditions: conditions, narrow: regionPrefix != nil || owner != nil)
      var stages = try children.rows(
        "retrofit_id, stage, entered_on, note", from: "retrofit_stage", order: "retrofit_id, entered_on, id")
      var measurements = try children.rows(
        "retrofit_id, pollutant, concentration, o2_percent, measured_on, measured_by", from: "measurement",
        order: "retrofit_id, measured_on, id")
      while let row = try retrofits.next() {
        var found = try PostgresStore.retrofit(row)
        let id = Int64(found.retrofit.id)
        found.retrofit.stages = try stages.take(id).compactMap(PostgresStore.stageEntry)
        found.retrofit.measurements = try measurements.take(id).compactMap(PostgresStore.measurement)
        try body(found)
      }
    }
  }

  // MARK: Ledger

  static let ledgerSelect = """
    SELECT li.id, li.source, li.problem_type, li.description, li.found_on, li.class, li.measures,
      li.responsible_unit, li.responsible_person, li.due_on, e.credit_code, e.name, e.region_code, e.industry_code
    FROM ledger_item li JOIN enterprise e ON e.id = li.enterprise_id
    """

  static func ledgerLine(_ row: SQLRow) throws -> LedgerLine {
    guard let source = LedgerSource(rawValue: try row.string(1)), let found = Day(try row.string(4)),
      let itemClass = LedgerClass(rawValue: try row.string(5)), let due = Day(try row.string(9))
    else {
      throw RegistryError.database("ledger item \(try row.int64(0)) holds a value this envreg cannot read")
    }
    let item = LedgerItem(
      id: try row.int(0), source: source, problemType: try row.string(2), description: try row.string(3),
      foundOn: found, itemClass: itemClass, measures: try row.string(6), responsibleUnit: try row.string(7),
      responsiblePerson: try row.string(8), dueOn: due)
    return LedgerLine(
      item: item, creditCode: try row.string(10), name: try row.string(11), regionCode: try row.string(12),
      industryCode: try row.string(13))
  }

  /// Entry rows start with their item's id.
  static func ledgerEntry(_ row: SQLRow) throws -> LedgerEntry? {
    guard let on = Day(try row.string(1)), let kind = LedgerEntry.Kind(rawValue: try row.string(2)) else {
      return nil
    }
    return LedgerEntry(
      on: on, kind: kind, from: try row.text(3).flatMap(LedgerState.init),
      to: try row.text(4).flatMap(LedgerState.init), note: try row.string(5))
  }

  func requireLedger(_ session: SQLSession, _ id: Int) throws -> LedgerLine {
    guard let row = try session.one(PostgresStore.ledgerSelect + " WHERE li.id = ?", [id]) else {
      throw RegistryError.notFound(
        kind: "ledger item", key: String(id), hint: "Run 'envreg ledger list' to see items and their ids.")
    }
    var line = try PostgresStore.ledgerLine(row)
    line.item.entries = try session.rows(
      """
      SELECT item_id, entry_on, kind, from_state, to_state, note FROM ledger_entry WHERE item_id = ?
      ORDER BY entry_on, id
      """, [id]
    ).compactMap(PostgresStore.ledgerEntry)
    return line
  }

  public func ledgerItem(_ id: Int) throws -> LedgerLine { try read { session in try requireLedger(session, id) } }

  public func forEachLedgerLine(_ filter: LedgerFilter, _ body: (LedgerLine) throws -> Void) throws {
    var conditions = Where()
    conditions.codePrefix(filter.regionPrefix, column: "e.region_code")
    if let c = filter.itemClass { conditions.add("li.class = ?", [c.rawValue]) }
    if let s = filter.source { conditions.add("li.source = ?", [s.rawValue]) }
    if let t = filter.problemType { conditions.add("li.problem_type = ?", [t]) }
    if let u = filter.responsibleUnit { conditions.add("li.responsible_unit = ?", [u]) }
    if let d = filter.foundFrom { conditions.add("li.found_on >= ?", [d.description]) }
    if let d = filter.foundTo ?? filter.activeTo { conditions.add("li.found_on <= ?", [d.description]) }
    if let d = filter.dueFrom { conditions.add("li.due_on >= ?", [d.description]) }
    if let d = filter.dueTo { conditions.add("li.due_on <= ?", [d.description]) }
    try read { session in
      let order = " ORDER BY e.region_code, e.credit_code, li.id"
      let items = try SQLCursor(session, PostgresStore.ledgerSelect + conditions.whereClause + order, conditions.values)
      // The entries in the items' own order: aligned with them.
      var entries = ChildCursor(
        try SQLCursor(
          session,
          """
          SELECT li.id, le.entry_on, le.kind, le.from_state, le.to_state, le.note
          FROM ledger_entry le JOIN ledger_item li ON li.id = le.item_id JOIN enterprise e ON e.id = li.enterprise_id
          """ + conditions.whereClause + order + ", le.entry_on, le.id", conditions.values), aligned: true)
      while let row = try items.next() {
        var line = try PostgresStore.ledgerLine(row)
        line.item.entries = try entries.take(Int64(line.item.id)).compactMap(PostgresStore.ledgerEntry)
        let day = filter.asOf
        if let state = filter.state, line.item.state(asOf: day) != state { continue }
        if filter.overdueOnly, line.item.daysOverdue(asOf: day) == 0 { continue }
        if let from = filter.activeFrom, let closed = line.item.closedOn(asOf: day), closed < from { continue }
        try body(line)
      }
    }
  }
}

/// The child rows of the parents a filter selects, each table in parent order for `ChildCursor`:
/// through the selection when it narrows (a region, a firm), else one pass over the table.
struct Children {
  let session: SQLSession
  let only: String
  let values: [any SQLBindable]

  init(_ session: SQLSession, selected: String, key: String, conditions: Where, narrow: Bool) {
    self.session = session
    only = narrow ? " WHERE \(key) IN (\(selected)\(conditions.whereClause))" : ""
    values = narrow ? conditions.values : []
  }

  func rows(_ columns: String, from table: String, order: String) throws -> ChildCursor {
    ChildCursor(try SQLCursor(session, "SELECT \(columns) FROM \(table)\(only) ORDER BY \(order)", values))
  }
}
