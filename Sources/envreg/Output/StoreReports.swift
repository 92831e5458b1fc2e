import RegistryCore
import RegistryService
import RegistryStore

extension Report {
  static func change(_ change: EnterpriseChange) -> Fields {
    Fields([
      ("effective_on", .day(change.effectiveOn)), ("field", .text(change.field)),
      ("old_value", .optional(change.oldValue)),
      ("new_value", .optional(change.newValue)), ("action", .text(change.action)), ("actor", .text(change.actor)),
      ("recorded_at", .text(change.recordedAt)), ("audit_id", .int(change.auditID)),
    ])
  }

  static func audit(_ entry: AuditEntry) -> Fields {
    Fields([
      ("id", .int(entry.id)), ("at", .text(entry.at)), ("actor", .text(entry.actor)), ("action", .text(entry.action)),
      ("entity_type", .text(entry.entityType)), ("entity_key", .text(entry.entityKey)),
      ("before", .optional(entry.before)), ("after", .optional(entry.after)), ("hash", .text(entry.hash)),
    ])
  }
}
