import Foundation
import GRDB
import RegistryCore
import Testing

@testable import RegistryStore

/// Issue 10 item 4: each kind of tampering the probes tried, and what finds it.
@Suite("Audit verify: tampering found by the chain, the anchor, integrity and foreign keys")
struct AuditTamperTests {
  func registry() throws -> (TempRegistry, AuditHead) {
    let registry = try TempRegistry()
    for n in 1...4 {
      _ = try registry.store.addEnterprise(
        firm(makeCode(n), name: "企业\(n)", region: "420102", industry: "2614"), today: testDay)
    }
    return (registry, try registry.store.auditHead())
  }

  /// Recomputes every hash from `from` on, as a tamperer with the sqlite3 shell and the formula would.
  func rechain(_ registry: TempRegistry, from: Int) throws {
    var config = Configuration()
    config.foreignKeysEnabled = false
    try DatabaseQueue(path: registry.path, configuration: config).write { db in
      var previous =
        try String.fetchOne(db, sql: "SELECT hash FROM audit WHERE id = ?", arguments: [from - 1]) ?? AuditEntry.genesis
      for row in try Row.fetchAll(db, sql: "SELECT * FROM audit WHERE id >= ? ORDER BY id", arguments: [from]) {
        var entry = AuditStore.entry(row)
        entry.prevHash = previous
        let hash = entry.expectedHash
        try db.execute(
          sql: "UPDATE audit SET prev_hash = ?, hash = ? WHERE id = ?", arguments: [previous, hash, entry.id])
        previous = hash
      }
    }
  }

  @Test("Untouched: intact, with and without the anchor; the head names the last row")
  func untouched() throws {
    let (registry, head) = try registry()
    #expect(head.rows == 5)
    #expect(try registry.store.verifyAudit().isIntact)
    #expect(try registry.store.verifyAudit(anchor: head).isIntact)
    #expect(AuditHead(head.description) == head)
  }

  @Test("Deleting the last audit rows: the chain alone cannot tell; the anchor does")
  func deleteLastRows() throws {
    let (registry, head) = try registry()
    try registry.execute("DELETE FROM audit WHERE id >= 4")
    #expect(try !registry.store.verifyAudit(anchor: head).isIntact)
    // The deleted rows' enterprises still name them: the foreign-key check finds that too.
    #expect(try registry.store.verifyAudit().problems.contains { $0.contains("audit rows were deleted") })
  }

  @Test("DELETE FROM audit: found (an empty trail; data rows naming missing audit rows)")
  func deleteAll() throws {
    let (registry, _) = try registry()
    try registry.execute("DELETE FROM audit")
    let result = try registry.store.verifyAudit()
    #expect(!result.isIntact && result.problems.contains { $0.contains("empty") })
  }

  @Test("Editing a row and recomputing the later hashes: the chain verifies; the anchor does not")
  func editAndRechain() throws {
    let (registry, head) = try registry()
    try registry.execute("UPDATE audit SET actor = 'mallory' WHERE id = 3")
    #expect(try !registry.store.verifyAudit().isIntact)
    try rechain(registry, from: 3)
    #expect(try registry.store.verifyAudit().isIntact)
    #expect(try !registry.store.verifyAudit(anchor: head).isIntact)
  }

  @Test("A damaged page: SQLite's integrity check, or the file will not open; either way not intact")
  func damagedPage() throws {
    let (registry, _) = try registry()
    try DatabaseQueue(path: registry.path).writeWithoutTransaction {
      try $0.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
    }  // every page in the main file
    let handle = try #require(FileHandle(forUpdatingAtPath: registry.path))
    try handle.seek(toOffset: 4096 * 8)
    handle.write(Data(repeating: 0xA5, count: 4096 * 16))
    try handle.close()
    let verdict: Bool
    do { verdict = try Store(path: registry.path).verifyAudit().isIntact } catch { verdict = false }
    #expect(!verdict)
  }

  @Test("Every audit row records the operating-system user beside the actor, inside the hash")
  func osUser() throws {
    let (registry, _) = try registry()
    let entries = try registry.store.auditLog()
    #expect(entries.allSatisfy { $0.osUser == Store.osUser && !(Store.osUser.isEmpty) })
    try registry.execute("UPDATE audit SET os_user = 'someone' WHERE id = 2")
    #expect(try !registry.store.verifyAudit().isIntact)
  }

  @Test("backup: an online copy that verifies, owner-only, never over an existing file")
  func backup() throws {
    let (registry, head) = try registry()
    let copy = registry.directory + "/copy.sqlite"
    let copied = try registry.store.backup(to: copy)
    #expect(copied == head)
    #expect(try Store(path: copy).verifyAudit(anchor: head).isIntact)
    #expect((try FileManager.default.attributesOfItem(atPath: copy)[.posixPermissions] as? Int) == 0o600)
    #expect(throws: RegistryError.self) { try registry.store.backup(to: copy) }
    #expect(throws: RegistryError.self) { try registry.store.backup(to: registry.path) }
  }
}

@Suite("Audit key: an HMAC chain that cannot be recomputed without the key")
struct AuditKeyTests {
  @Test("HMAC-SHA-256 matches RFC 4231 test case 2")
  func rfc4231() {
    #expect(
      SHA256.hmacHex(key: Array("Jefe".utf8), Array("what do ya want for nothing?".utf8))
        == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
  }

  @Test(
    "With ENVREG_AUDIT_KEY rows are keyed; recomputing the chain without the key is found; verify without the key says so"
  )
  func keyedChain() throws {
    let registry = try TempRegistry()
    let keyFile = registry.directory + "/audit.key"
    FileManager.default.createFile(
      atPath: keyFile, contents: Data((0..<32).map { UInt8($0 * 7 % 256) }), attributes: [.posixPermissions: 0o600])
    let environment = ["ENVREG_AUDIT_KEY": keyFile]
    let keyed = try Store(path: registry.path, environment: environment)
    for n in 1...3 {
      _ = try keyed.addEnterprise(firm(makeCode(n), name: "企业\(n)", region: "420102", industry: "2614"), today: testDay)
    }
    #expect(try keyed.verifyAudit().isIntact)
    #expect(try keyed.auditLog().suffix(3).allSatisfy(\.keyed))
    // Without the key, verify cannot vouch for keyed rows.
    #expect(try !Store(path: registry.path, environment: [:]).verifyAudit().isIntact)
    // A tamperer edits a keyed row and recomputes it as a plain SHA-256 row: found with the key.
    try registry.execute("UPDATE audit SET actor = 'mallory', keyed = 0 WHERE id = (SELECT max(id) FROM audit)")
    let last = try #require(try keyed.auditLog().last)
    try registry.execute("UPDATE audit SET hash = '\(last.expectedHash(key: nil))' WHERE id = \(last.id)")
    #expect(try !keyed.verifyAudit().isIntact)
    // A key readable by others is refused.
    try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: keyFile)
    #expect(throws: RegistryError.self) { try Store(path: registry.path, environment: environment) }
  }
}
