import Foundation
import GRDB
import RegistryCore
import RegistryService

extension Store {
  static func insertPolicy(_ db: Database, _ p: PolicyParameter, auditID: Int64?) throws {
    try db.execute(
      sql:
        """
        INSERT INTO policy_parameter (key, jurisdiction, effective_from, effective_to, value, reference, audit_id)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        """,
      arguments: [
        p.key, p.jurisdiction.description, p.effectiveFrom.description, p.effectiveTo?.description, p.value.json,
        p.reference, auditID,
      ])
  }

  /// Every parameter in the registry: the national defaults loaded at `init` and the overrides
  /// set since. The rows' whole text is read every time (joined by SQLite, one value); the rows are
  /// decoded and parsed into a book (their JSON values) only when that text differs from the last
  /// read (a server reads the book for every profile and verdict, and the parse cost more than all
  /// of a profile's queries).
  public func policyBook() throws -> PolicyBook {
    try read { db in
      let text =
        try String.fetchOne(
          db,
          cached: """
            SELECT group_concat(key || char(1) || jurisdiction || char(1) || effective_from || char(1)
              || coalesce(effective_to, char(3)) || char(1) || value || char(1) || reference, char(2))
            FROM (SELECT * FROM policy_parameter ORDER BY id)
            """) ?? ""
      if let book = parsedPolicy.book(for: [text]) { return book }
      let rows = try Row.fetchAll(
        db,
        cached:
          "SELECT key, jurisdiction, effective_from, effective_to, value, reference FROM policy_parameter ORDER BY id")
      let book = PolicyBook(
        rows.compactMap { row in
          guard let jurisdiction = Jurisdiction(row["jurisdiction"] as String),
            let from = Day(row["effective_from"] as String),
            let value = Store.parameterValue(row["value"] as String)
          else { return nil }
          return PolicyParameter(
            key: row["key"], jurisdiction: jurisdiction, from: from,
            to: (row["effective_to"] as String?).flatMap(Day.init), value: value, reference: row["reference"])
        })
      parsedPolicy.remember(book, for: [text])
      return book
    }
  }

  static func parameterValue(_ json: String) -> ParameterValue? {
    guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else { return nil }
    if let n = object["integer"] as? Int { return .integer(n) }
    if let n = object["basis_points"] as? Int { return .basisPoints(n) }
    if let codes = object["codes"] as? [String] { return .codes(codes) }
    if let text = object["day"] as? String, let day = Day(text) { return .day(day) }
    if let text = object["text"] as? String { return .text(text) }
    if let mg = object["mg_m3"] as? Double { return .limit(milligrams: mg, oxygen: object["o2"] as? Double) }
    return nil
  }

}

/// The last policy book parsed, with the rows' text it was parsed from.
final class ParsedPolicy: @unchecked Sendable {
  private let lock = NSLock()
  private var text: [String] = []
  private var parsed: PolicyBook?

  func book(for text: [String]) -> PolicyBook? { lock.withLock { self.text == text ? parsed : nil } }

  func remember(_ book: PolicyBook, for text: [String]) {
    lock.withLock {
      self.text = text
      parsed = book
    }
  }
}
