import Foundation
import GRDB
import RegistryCore
import RegistryService

extension Store {
  static func insertPolicy(_ db: Database, _ p: PolicyParameter, auditID: Int64?) throws {
    try db.execute(
      sql:
        "INSERT INTO policy_parameter (key, jurisdiction, effective_from, effective_to, value, reference, audit_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
      arguments: [
        p.key, p.jurisdiction.description, p.effectiveFrom.description, p.effectiveTo?.description, p.value.json,
        p.reference, auditID,
      ])
  }

  /// Every parameter in the registry: the national defaults loaded at `init` and the overrides
  /// set since.
  public func policyBook() throws -> PolicyBook {
    try read { db in
      try PolicyBook(
        Row.fetchAll(db, sql: "SELECT * FROM policy_parameter ORDER BY id").compactMap { row in
          guard let jurisdiction = Jurisdiction(row["jurisdiction"] as String),
            let from = Day(row["effective_from"] as String),
            let value = Store.parameterValue(row["value"] as String)
          else { return nil }
          return PolicyParameter(
            key: row["key"], jurisdiction: jurisdiction, from: from,
            to: (row["effective_to"] as String?).flatMap(Day.init), value: value, reference: row["reference"])
        })
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

  /// Adds a parameter value for a jurisdiction from a date (a provincial override, or a new national
  /// value), audited. The value must be of the key's kind; an identical start for the same key and
  /// jurisdiction is refused (end the old one with `effectiveTo` instead of overwriting it).
  public func setPolicy(_ parameter: PolicyParameter) throws {
    let known =
      try PolicyBook.national.template(for: parameter.key) != nil || policyBook().template(for: parameter.key) != nil
    guard known else {
      throw RegistryError.invalid([
        FieldProblem(
          field: "key", value: parameter.key, reason: "is not a known parameter; run 'envreg policy show' for the keys")
      ])
    }
    guard !parameter.reference.trimmingSpaces().isEmpty else {
      throw RegistryError.invalid([
        FieldProblem(field: "reference", value: "", reason: "a parameter needs its legal reference")
      ])
    }
    try mutate { db in
      let exists =
        try Bool.fetchOne(
          db, sql: "SELECT 1 FROM policy_parameter WHERE key = ? AND jurisdiction = ? AND effective_from = ?",
          arguments: [parameter.key, parameter.jurisdiction.description, parameter.effectiveFrom.description]) ?? false
      if exists {
        throw RegistryError.alreadyExists(
          kind: "parameter", key: "\(parameter.key)@\(parameter.jurisdiction) from \(parameter.effectiveFrom)",
          hint: "Parameters are never overwritten: set a new value from a later date.")
      }
      let auditID = try self.audit(
        db, action: "policy.set", entityType: "policy_parameter", entityKey: parameter.key, before: nil,
        after: .record(
          Fields([
            ("key", .text(parameter.key)), ("jurisdiction", .text(parameter.jurisdiction.description)),
            ("effective_from", .day(parameter.effectiveFrom)), ("effective_to", .optional(parameter.effectiveTo)),
            ("value", .text(parameter.value.description)), ("reference", .text(parameter.reference)),
          ])))
      try Store.insertPolicy(db, parameter, auditID: auditID)
    }
  }
}
