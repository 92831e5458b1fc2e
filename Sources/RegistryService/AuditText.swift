import RegistryCore

/// What every storage checks before it appends an audit row: no stored text may carry a control
/// character (a line break only in multi-line fields) or exceed the longest field.
public enum AuditText {
  /// The first text in `value` that FreeText refuses (any length up to the multi-line maximum).
  public static func problem(_ value: Value, key: String) -> FieldProblem? {
    switch value {
    case .text(let text):
      guard let refusal = FreeText.refusal(text, field: key, maxLength: FreeText.maxMultilineLength) else { return nil }
      return FieldProblem(field: key, value: text, reason: refusal)
    case .record(let fields): return fields.fields.lazy.compactMap { problem($0.value, key: $0.key) }.first
    case .list(let items): return items.lazy.compactMap { problem($0, key: key) }.first
    default: return nil
    }
  }
}

/// The bundled code tables a new registry is loaded with, as the init audit row counts them.
public enum ReferenceTables {
  public static var counts: [(String, Value)] {
    [
      ("regions", .int(Divisions.bundled.all.count)),
      ("industries", .int(Industries.bundled.all.count)),
      ("region_set_versions", .int(KeyRegions.sets.count)),
      ("policy_parameters", .int(PolicyBook.national.parameters.count)),
    ]
  }
}
