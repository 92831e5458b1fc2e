import Foundation
import GRDB
import RegistryCore
import RegistryFiles
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
  /// set since. A server reads the book for every profile and verdict, and parsing it cost more
  /// than all of a profile's queries, so: while nothing was written since this connection last read
  /// the book (`Store.changeState`), the book read then is the answer; after a write, the rows' whole
  /// text is read (joined by SQLite, one value) and the rows are decoded and parsed only when that
  /// text differs from the last parse.
  public func policyBook() throws -> PolicyBook {
    try read { db in
      let state = try Store.changeState(db)
      if let state, let book = parsedPolicy.book(at: state) { return book }
      let text =
        try String.fetchOne(
          db,
          cached: """
            SELECT group_concat(key || char(1) || jurisdiction || char(1) || effective_from || char(1)
              || coalesce(effective_to, char(3)) || char(1) || value || char(1) || reference, char(2))
            FROM (SELECT * FROM policy_parameter ORDER BY id)
            """) ?? ""
      if let book = parsedPolicy.book(for: [text], at: state) { return book }
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
      parsedPolicy.remember(book, for: [text], at: state)
      return book
    }
  }

  static func parameterValue(_ json: String) -> ParameterValue? { PolicyRows.value(json: json) }

}

/// The last policy book parsed, with the rows' text it was parsed from and, per connection, the
/// change state at which that connection last found the rows' text unchanged.
final class ParsedPolicy: @unchecked Sendable {
  private let lock = NSLock()
  private var text: [String] = []
  private var parsed: PolicyBook?
  private var checked: [Int64: [Int64]] = [:]

  /// The book, when this connection saw the current text at this very state (nothing written since).
  func book(at state: [Int64]) -> PolicyBook? {
    lock.withLock { state.first.flatMap { checked[$0] } == state ? parsed : nil }
  }

  /// The book, when it was parsed from this text (and the state is remembered for the connection).
  func book(for text: [String], at state: [Int64]?) -> PolicyBook? {
    lock.withLock {
      guard self.text == text, let parsed else { return nil }
      if let state, let connection = state.first { checked[connection] = state }
      return parsed
    }
  }

  func remember(_ book: PolicyBook, for text: [String], at state: [Int64]?) {
    lock.withLock {
      self.text = text
      parsed = book
      // Other connections' states were checked against the old text.
      checked = state.flatMap { state in state.first.map { [$0: state] } } ?? [:]
    }
  }
}
