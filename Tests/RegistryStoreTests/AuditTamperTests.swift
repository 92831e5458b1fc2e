import Foundation
import GRDB
import RegistryCore
import RegistryService
import Testing

@testable import RegistryStore

/// Issue 10 item 4: each kind of tampering the probes tried, and what finds it.
@Suite("Audit verify: tampering found by the chain, the anchor, integrity and foreign keys")
struct AuditTamperTests {
  func registry() throws -> (TempRegistry, AuditHead) {
    let registry = try TempRegistry()
    for n in 1...4 {
      _ = try Registry(storage: registry.store).addEnterprise(
        firm(makeCode(n), name: "企业\(n)", region: "420102", industry: "2614"), asOf: testDay)
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
      _ = try Registry(storage: keyed).addEnterprise(
        firm(makeCode(n), name: "企业\(n)", region: "420102", industry: "2614"), asOf: testDay)
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

/// Issue 10 item 4c: every data row is sealed by envreg; a row changed, added or re-sealed with any
/// other tool is found by verify.
@Suite("Row seals: data rows edited outside envreg are found")
struct RowSealTests {
  /// A registry with every sample imported and one of each manual write.
  func populated() throws -> TempRegistry {
    let registry = try TempRegistry()
    let store = registry.store
    _ = try store.importFile(sample("enterprises.csv"), options(), as: .enterprises)
    _ = try store.importFile(sample("permits.csv"), options(), as: .permits)
    _ = try store.importFile(sample("fines.csv"), options(), as: .fines)
    _ = try store.importFile(sample("designations.csv"), options(), as: .designations)
    _ = try store.importFile(sample("incidents.csv"), options(), as: .incidents)
    _ = try store.importFile(sample("ledger.csv"), options(), as: .ledger)
    _ = try store.importFile(sample("retrofits.csv"), options(), as: .retrofits)
    _ = try store.importFile(sample("measurements.csv"), options(), as: .measurements)
    let first: String = try #require(try registry.sql("SELECT min(credit_code) FROM enterprise"))
    let code = try #require(CreditCode(stored: first))
    _ = try Registry(storage: store).updateEnterprise(
      code, EnterpriseInput([.contact: "027-1234"]), effectiveOn: testDay, asOf: testDay)
    try Registry(storage: store).setPolicy(
      PolicyParameter(
        key: "ex.k1.years", jurisdiction: .region("42"), from: try #require(Day("2021-01-01")), value: .integer(2),
        reference: "鄂环发〔2020〕19号"))
    let decision: String = try #require(try registry.sql("SELECT decision_number FROM fine ORDER BY id LIMIT 1"))
    _ = try Registry(storage: store).pay(decision, FinePayment(on: testDay, amount: Fen(100)))
    return registry
  }

  @Test("Every row of every table carries a seal after imports and manual writes, and verify is intact")
  func everyRowSealed() throws {
    let registry = try populated()
    let tables: [String] = try DatabaseQueue(path: registry.path).read { db in
      try String.fetchAll(
        db,
        sql: """
          SELECT name FROM pragma_table_list
          WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'audit'
          """)
    }
    for table in tables {
      let unsealed: Int? = try registry.sql("SELECT count(*) FROM \(table) WHERE seal IS NULL")
      #expect(unsealed == 0, "\(table) has unsealed rows")
    }
    let result = try registry.store.verifyAudit()
    #expect(result.isIntact, "\(result.problems)")
  }

  @Test(
    "Editing a data row directly is found, naming the table",
    arguments: [
      ("enterprise", "UPDATE enterprise SET name = name || '有限公司' WHERE id = (SELECT min(id) FROM enterprise)"),
      ("fine", "UPDATE fine SET amount_fen = amount_fen / 10 WHERE id = (SELECT min(id) FROM fine)"),
      ("fine_payment", "UPDATE fine_payment SET amount_fen = amount_fen * 100"),
      ("enterprise_change", "UPDATE enterprise_change SET new_value = '000-0000'"),
      ("policy_parameter", "UPDATE policy_parameter SET value = '9' WHERE jurisdiction = '42'"),
      ("permit", "UPDATE permit SET valid_to = '2099-12-31' WHERE id = (SELECT min(id) FROM permit)"),
      (
        "ledger_item",
        "UPDATE ledger_item SET state = '已销号', closed_on = '2026-01-01' WHERE id = (SELECT min(id) FROM ledger_item)"
      ),
      ("region", "UPDATE region SET name = '某某区' WHERE code = '420102'"),
    ])
  func editedRow(table: String, statement: String) throws {
    let registry = try populated()
    try registry.execute(statement)
    let result = try registry.store.verifyAudit()
    #expect(result.problems.contains { $0.hasPrefix("\(table) row") && $0.contains("changed outside envreg") })
  }

  @Test("A row inserted outside envreg has no seal; a deleted row whose children remain breaks a foreign key")
  func insertedAndDeletedRows() throws {
    let registry = try populated()
    try registry.execute(
      "INSERT INTO fine_payment (fine_id, paid_on, amount_fen, audit_id) SELECT min(id), '2026-01-01', 1, 1 FROM fine")
    #expect(
      try registry.store.verifyAudit().problems.contains { $0.contains("fine_payment row") && $0.contains("no seal") })
    let other = try populated()
    try other.execute("DELETE FROM fine WHERE id IN (SELECT fine_id FROM fine_payment)")
    #expect(try other.store.verifyAudit().problems.contains { $0.contains("refers to a missing fine row") })
  }

  @Test("With the audit key, a seal recomputed without the key is found; verify without the key says it cannot check")
  func keyedSeals() throws {
    let registry = try TempRegistry()
    let keyFile = registry.directory + "/audit.key"
    _ = FileManager.default.createFile(
      atPath: keyFile, contents: Data((0..<32).map { UInt8($0 * 5 % 256) }), attributes: [.posixPermissions: 0o600])
    let keyed = try Store(path: registry.path, environment: ["ENVREG_AUDIT_KEY": keyFile])
    _ = try Registry(storage: keyed).addEnterprise(
      firm(makeCode(1), name: "企业1", region: "420102", industry: "2614"), asOf: testDay)
    #expect(try keyed.verifyAudit().isIntact)
    let sealed: String = try #require(try registry.sql("SELECT seal FROM enterprise"))
    #expect(sealed.hasPrefix("k:"))
    // The tamperer edits the row and seals it again the only way open without the key.
    try DatabaseQueue(path: registry.path).write { db in
      try db.execute(sql: "UPDATE enterprise SET name = '别的企业'")
      let row = try #require(try Row.fetchOne(db, sql: "SELECT * FROM enterprise"))
      let values = Array(row.databaseValues).dropLast()  // every column but seal (the last)
      try db.execute(
        sql: "UPDATE enterprise SET seal = ?", arguments: [Seals.seal(table: "enterprise", values: values, key: nil)])
    }
    #expect(try keyed.verifyAudit().problems.contains { $0.contains("recomputed without the key") })
    #expect(try !Store(path: registry.path, environment: [:]).verifyAudit().isIntact)
  }
}
