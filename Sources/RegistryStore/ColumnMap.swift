import GRDB
import RegistryCore
import RegistryService

extension Store {
  /// The row id of a registered enterprise the importing account may write, or a problem naming
  /// the code.
  static func enterpriseID(_ db: Database, _ code: CreditCode, reader: inout CellReader, options: ImportOptions)
    throws -> Int64?
  {
    let found: Row?
    if let reason = reader.pendingCodeProblem {
      // A code whose check character fails names a firm only if that firm was registered by override.
      reader.pendingCodeProblem = nil
      found = try Row.fetchOne(
        db,
        cached:
          "SELECT id, region_code FROM enterprise WHERE credit_code = ? AND code_override IS NOT NULL "
          + "AND \(Store.visible)",
        arguments: [code.value])
      if found == nil { reader.problem("credit_code", code.value, reason) }
    } else {
      found = try Row.fetchOne(
        db, cached: "SELECT id, region_code FROM enterprise WHERE credit_code = ? AND \(Store.visible)",
        arguments: [code.value])
      if found == nil {
        reader.problem(
          "credit_code", code.value, "no enterprise with this credit code is registered; import the enterprise first")
      }
    }
    guard let found, let id = found.integer(0) else { return nil }
    if let refusal = options.refusal(region: found.text(1) ?? "") {
      reader.problem("credit_code", code.value, refusal)
      return nil
    }
    return id
  }
}
