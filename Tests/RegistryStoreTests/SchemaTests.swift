import Foundation
import GRDB
import RegistryCore
import RegistryService
import Testing

@testable import RegistryStore

@Suite("Schema, reference data, migrations")
struct SchemaTests {
  @Test("The embedded schema is schema.sql, byte for byte")
  func embeddedSchemaIsTheFile() throws {
    let onDisk = try String(contentsOf: repositoryRoot.appendingPathComponent("schema.sql"), encoding: .utf8)
    #expect(Store.schemaSQL == onDisk)
  }

  @Test("init loads every bundled row: counts per level as the data README states")
  func referenceCounts() throws {
    let registry = try TempRegistry()
    let counts = try registry.store.referenceCounts()
    #expect(counts["region.province"] == 31)
    #expect(counts["region.prefecture"] == 342)
    #expect(counts["region.county"] == 2_842)
    #expect(counts["region.prefecture.abolished"] == 2)
    #expect(counts["region.county.abolished"] == 4)
    // The GB/T 2260 history: 7,292 periods of 6,951 codes (data README); the codes no other table has join `region`.
    #expect(counts["region_history.periods"] == 7_292)
    #expect(counts["region.history_only"] == 6_951 - 3_215 - 6)  // less the current and the 6 abolished codes
    #expect(counts["industry.section"] == 20)
    #expect(counts["industry.division"] == 97)
    #expect(counts["industry.group"] == 473)
    #expect(counts["industry.class"] == 1_381)
    #expect(counts["region_set"] == 6)
  }

  @Test("The database records its schema version and uses WAL")
  func versionAndWAL() throws {
    let registry = try TempRegistry()
    #expect(try registry.sql("PRAGMA user_version") as Int? == Store.schemaVersion)
    #expect(try registry.sql("PRAGMA journal_mode") as String? == "wal")
    #expect(try registry.sql("PRAGMA application_id") as Int32? == Store.applicationID)
    // Owner-only files whatever the umask (issue 10): the registry, and -wal/-shm while open.
    let previous = umask(0o022)
    defer { umask(previous) }
    let other = try TempRegistry()
    _ = try Registry(storage: other.store).addEnterprise(firm(), asOf: testDay)
    for file in [other.path, other.path + "-wal", other.path + "-shm"] {
      #expect((try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int) == 0o600, "\(file)")
    }
  }

  @Test("Reopening a current database changes nothing; a newer one is refused; a foreign file is refused")
  func reopenAndRefuse() throws {
    let registry = try TempRegistry()
    _ = try Registry(storage: registry.store).addEnterprise(firm(), asOf: testDay)
    let reopened = try Store(path: registry.path)
    #expect(try reopened.countEnterprises(.init(asOf: testDay)) == 1)
    try registry.execute("PRAGMA user_version = 99")
    #expect(throws: RegistryError.self) { try Store(path: registry.path) }
    let other = registry.directory + "/other.sqlite"
    try TempRegistry.makeForeign(other)
    #expect(throws: RegistryError.self) { try Store(path: other) }
    #expect(throws: RegistryError.self) { try Store(path: registry.directory + "/missing.sqlite") }
  }

  @Test("Constraints live in SQLite too: a bad enumeration or date is refused by the database itself")
  func constraintsInSQL() throws {
    let registry = try TempRegistry()
    _ = try Registry(storage: registry.store).addEnterprise(firm(), asOf: testDay)
    #expect(throws: (any Error).self) { try registry.execute("UPDATE enterprise SET permit_class = 'huge'") }
    #expect(throws: (any Error).self) { try registry.execute("UPDATE enterprise SET registered_on = '2021-02-30'") }
    #expect(throws: (any Error).self) {
      try registry.execute("UPDATE enterprise SET region_code = '999999'", enforceForeignKeys: true)
    }
    #expect(throws: (any Error).self) { try registry.execute("UPDATE enterprise SET status = 'closed'") }
  }
}

extension TempRegistry {
  static func makeForeign(_ path: String) throws {
    let queue = try GRDB.DatabaseQueue(path: path)
    try queue.write { try $0.execute(sql: "CREATE TABLE t (x)") }
  }
}
