import GRDB
import RegistryCore
import RegistryService

/// The SQLite storage behind the service's `RegistryStorage`: reads are the store's streaming
/// queries; `write` is one `BEGIN IMMEDIATE` transaction handing the service a `SQLiteTransaction`.
extension Store: RegistryStorage {
  public func write<T>(_ body: (any StorageTransaction) throws -> T) throws -> T {
    try withoutActuallyEscaping(body) { body in
      try mutate { db in try body(SQLiteTransaction(store: self, db: db)) }
    }
  }
}

/// One write transaction of the SQLite storage.
struct SQLiteTransaction: StorageTransaction {
  let store: Store
  let db: Database

  func audit(action: String, entityType: String, entityKey: String, before: Value?, after: Value?) throws -> Int64 {
    try store.audit(db, action: action, entityType: entityType, entityKey: entityKey, before: before, after: after)
  }

  func ledgerItem(_ id: Int) throws -> LedgerLine { try store.requireLedger(db, id) }

  func appendLedgerEntry(itemID: Int, _ entry: LedgerEntry, auditID: Int64) throws {
    try db.execute(
      sql:
        "INSERT INTO ledger_entry (item_id, entry_on, kind, from_state, to_state, note, audit_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
      arguments: [
        itemID, entry.on.description, entry.kind.rawValue, entry.to == nil ? nil : entry.from?.rawValue,
        entry.to?.rawValue, entry.note, auditID,
      ])
    if let destination = entry.to {
      try db.execute(
        sql: "UPDATE ledger_item SET state = ?, closed_on = ? WHERE id = ?",
        arguments: [destination.rawValue, destination == .closed ? entry.on.description : nil, itemID])
    }
  }
}
