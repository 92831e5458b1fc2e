import GRDB
import RegistryCore
import RegistryService

extension Store {
  /// The row id of a registered enterprise, or a problem naming the code.
  static func enterpriseID(_ db: Database, _ code: CreditCode, reader: inout CellReader) throws -> Int64? {
    if let reason = reader.pendingCodeProblem {
      // A code whose check character fails names a firm only if that firm was registered by override.
      reader.pendingCodeProblem = nil
      guard
        let id = try Int64.fetchOne(
          db, sql: "SELECT id FROM enterprise WHERE credit_code = ? AND code_override IS NOT NULL AND \(Store.visible)",
          arguments: [code.value])
      else {
        reader.problem("credit_code", code.value, reason)
        return nil
      }
      return id
    }
    guard
      let id = try Int64.fetchOne(
        db, sql: "SELECT id FROM enterprise WHERE credit_code = ? AND \(Store.visible)", arguments: [code.value])
    else {
      reader.problem(
        "credit_code", code.value, "no enterprise with this credit code is registered; import the enterprise first")
      return nil
    }
    return id
  }
}
