import GRDB
import RegistryCore
import RegistryService

extension Store {
  static let fineSelect = """
    SELECT f.id, f.decision_number, f.amount_fen, f.decided_on, f.received_on, f.legal_basis, e.credit_code, e.name, e.region_code
    FROM fine f JOIN enterprise e ON e.id = f.enterprise_id
    """

  /// A fine by its decision number as printed or in any spelling with the same canonical key (ID-8).
  func requireFine(_ db: Database, _ decision: String) throws -> (id: Int64, owed: OwedFine) {
    let key = (try? DecisionNumber.parse(decision).get().key) ?? decision.trimmingSpaces()
    guard
      let row = try Row.fetchOne(
        db, sql: Store.fineSelect + " WHERE f.decision_key = ? OR f.decision_number = ?",
        arguments: [key, decision.trimmingSpaces()])
    else {
      throw RegistryError.notFound(
        kind: "fine with decision number", key: decision, hint: "Run 'envreg fine list' to see recorded fines.")
    }
    let id: Int64 = row[0]
    var owed = try Store.fine(row)
    owed.fine.arrangements = try Store.arrangements(db, fineIDs: [id])[id] ?? []
    owed.fine.payments = try Row.fetchAll(
      db,
      sql: "SELECT fine_id, paid_on, amount_fen, reference FROM fine_payment WHERE fine_id = ? ORDER BY paid_on, id",
      arguments: [id]
    ).compactMap(Store.payment)
    owed.fine.suspensions = try Row.fetchAll(
      db, sql: "SELECT fine_id, kind, from_on, to_on FROM fine_suspension WHERE fine_id = ? ORDER BY from_on, id",
      arguments: [id]
    ).compactMap(Store.suspension)
    return (id, owed)
  }

  /// Decodes a `fineSelect` row by position.
  static func fine(_ row: Row) throws -> OwedFine {
    guard let decided = Day(row[3] as String), let received = Day(row[4] as String),
      let debtor = CreditCode(stored: row[6] as String)
    else {
      throw RegistryError.database("fine row \((row[1] as String).quoted) holds a value this envreg cannot read")
    }
    let fine = Fine(
      decisionNumber: row[1], amount: Fen(row[2]), decidedOn: decided, receivedOn: received, legalBasis: row[5])
    return OwedFine(fine: fine, debtor: debtor, debtorName: row[7], regionCode: row[8])
  }

  /// Decodes `SELECT fine_id, paid_on, amount_fen, reference` by position.
  static func payment(_ row: Row) -> FinePayment? {
    guard let on = Day(row[1] as String) else { return nil }
    return FinePayment(on: on, amount: Fen(row[2]), reference: row[3])
  }

  /// Decodes `SELECT fine_id, kind, from_on, to_on` by position.
  static func suspension(_ row: Row) -> FineSuspension? {
    guard let kind = FineSuspension.Kind(rawValue: row[1]), let from = Day(row[2] as String) else { return nil }
    return FineSuspension(kind: kind, from: from, to: row.text(3).flatMap(Day.init))
  }

  static func arrangements(_ db: Database, fineIDs: [Int64]) throws -> [Int64: [FineArrangement]] {
    var result: [Int64: [FineArrangement]] = [:]
    let marks = fineIDs.map { _ in "?" }.joined(separator: ",")
    let rows = try Row.fetchAll(
      db, sql: "SELECT * FROM fine_arrangement WHERE fine_id IN (\(marks)) ORDER BY approved_on, id",
      arguments: StatementArguments(fineIDs))
    for row in rows {
      guard let kind = FineArrangement.Kind(rawValue: row["kind"]), let applied = Day(row["applied_on"] as String),
        let approved = Day(row["approved_on"] as String)
      else { continue }
      let instalments = try Row.fetchAll(
        db, sql: "SELECT due_on, amount_fen FROM fine_instalment WHERE arrangement_id = ? ORDER BY seq",
        arguments: [row["id"] as Int64]
      ).compactMap { r -> Instalment? in
        guard let due = Day(r["due_on"] as String) else { return nil }
        return Instalment(due: due, amount: Fen(r["amount_fen"]))
      }
      var arrangement = FineArrangement(
        kind: kind, appliedOn: applied, reason: row["reason"], approver: row["approver"], approvedOn: approved,
        newDue: (row["new_due_on"] as String?).flatMap(Day.init), instalments: instalments)
      arrangement.supersedeReason = row["supersede_reason"]
      result[row["fine_id"], default: []].append(arrangement)
    }
    return result
  }

  static func insertFine(_ db: Database, _ fine: Fine, enterpriseID: Int64, auditID: Int64) throws {
    let key = (try? DecisionNumber.parse(fine.decisionNumber).get().key) ?? fine.decisionNumber
    try db.execute(
      sql:
        """
        INSERT INTO fine (decision_number, decision_key, enterprise_id, amount_fen, decided_on, received_on,
        law_version, legal_basis, audit_id)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
      arguments: [
        fine.decisionNumber, key, enterpriseID, fine.amount.value, fine.decidedOn.description,
        fine.receivedOn.description, fine.lawVersion.rawValue, fine.legalBasis, auditID,
      ])
  }

  public func fine(_ decision: String) throws -> OwedFine { try read { db in try self.requireFine(db, decision).owed } }

  /// Streams fines (all, or those of a region / debtor), each with arrangements, payments and
  /// suspensions, merging ordered cursors (no query per fine). `unsettledOn` keeps the fines decided
  /// by that day whose payments made by that day do not cover the amount.
  public func forEachFine(
    regionPrefix: String? = nil, debtor: CreditCode? = nil, decidedBy: Day? = nil, unsettledOn: Day? = nil,
    _ body: (OwedFine) throws -> Void
  ) throws {
    var conditions = Conditions()
    conditions.regionPrefix(regionPrefix)
    if let debtor { conditions.add("e.credit_code = ?", [debtor.value]) }
    if let day = decidedBy { conditions.add("f.decided_on <= ?", [day.description]) }
    if let day = unsettledOn {
      // As of the day: decided by then, and not covered by the payments made by then.
      conditions.add(
        """
        f.decided_on <= ? AND f.amount_fen > coalesce((SELECT sum(amount_fen) FROM fine_payment p WHERE p.fine_id = \
        f.id AND p.paid_on <= ?), 0)
        """,
        [day.description, day.description])
    }
    try read { db in
      let fines = try Row.fetchCursor(
        db, reusing: Store.fineSelect + conditions.whereClause + " ORDER BY f.id",
        arguments: conditions.statementArguments)
      // A region's or a debtor's fines are few (ChildQuery).
      let children = ChildQuery(
        db, selected: "SELECT f.id FROM fine f JOIN enterprise e ON e.id = f.enterprise_id", key: "fine_id",
        conditions: conditions, narrow: regionPrefix != nil || debtor != nil)
      var payments = try children.rows(
        "fine_id, paid_on, amount_fen, reference", from: "fine_payment", order: "fine_id, paid_on, id")
      var suspensions = try children.rows(
        "fine_id, kind, from_on, to_on", from: "fine_suspension", order: "fine_id, from_on, id")
      var arranged = try children.rows("DISTINCT fine_id", from: "fine_arrangement", order: "fine_id")
      while let row = try fines.next() {
        let id: Int64 = row[0]
        var owed = try Store.fine(row)
        owed.fine.payments = try payments.take(id).compactMap(Store.payment)
        owed.fine.suspensions = try suspensions.take(id).compactMap(Store.suspension)
        // Arrangements are rare: read them only for the fines that have one.
        if try !arranged.take(id).isEmpty {
          owed.fine.arrangements = try Store.arrangements(db, fineIDs: [id])[id] ?? []
        }
        try body(owed)
      }
    }
  }
}
