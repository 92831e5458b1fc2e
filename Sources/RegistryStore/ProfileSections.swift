import GRDB
import RegistryCore
import RegistryService

extension Store {
  /// The firm's records in every module, each as a list section of `enterprise show`.
  public func profileSections(_ code: CreditCode, asOf: Day) throws -> [(String, Value)] {
    try read { db in
      let (id, _) = try self.requireEnterprise(db, code)
      let sections: [(String, String)] = [
        (
          "designations",
          "SELECT kind, granted_by, valid_from, valid_until, reference FROM designation WHERE enterprise_id = ? ORDER BY valid_from, id"
        ),
        (
          "incidents",
          "SELECT kind, occurred_on, reference, note FROM incident WHERE enterprise_id = ? ORDER BY occurred_on, id"
        ),
        (
          "ledger_items",
          "SELECT id, source, problem_type, found_on, class, state, due_on FROM ledger_item WHERE enterprise_id = ? ORDER BY found_on, id"
        ),
      ]
      return try sections.map { name, sql in (name, .list(try Store.values(db, sql: sql, arguments: [id]))) }
    }
  }

  /// Rows of any query as records: columns named `*_on`/`valid_*` become dates, `*_fen` money,
  /// integers and reals numbers, the rest text.
  static func values(_ db: Database, sql: String, arguments: StatementArguments) throws -> [Value] {
    try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
      var fields = Fields()
      for (column, dbValue) in row {
        switch dbValue.storage {
        case .null: fields.append(column, .null)
        case .int64(let number):
          if column.hasSuffix("_fen") {
            fields.append(String(column.dropLast(4)), .money(Fen(number)))
          } else {
            fields.append(column, .int(Int(number)))
          }
        case .double(let number): fields.append(column, .decimal(number, places: 1))
        case .string(let text): fields.append(column, Day(text).map(Value.day) ?? .text(text))
        case .blob: fields.append(column, .text("(binary)"))
        }
      }
      return .record(fields)
    }
  }
}
