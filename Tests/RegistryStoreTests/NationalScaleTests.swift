import Foundation
import GRDB
import RegistryCore
import RegistryFiles
import RegistryService
import Testing

@testable import RegistryStore

/// Issue 12: every listing is indexed, and name search by index answers exactly what the scan does.
@Suite("National scale: query plans and name search by index")
struct NationalScaleTests {
  /// Every SQL statement a store runs, values bound.
  final class Statements: @unchecked Sendable {
    private let lock = NSLock()
    private var seen: [String] = []
    func append(_ sql: String) { lock.withLock { seen.append(sql) } }
    func take() -> [String] {
      lock.withLock {
        defer { seen.removeAll() }; return seen
      }
    }
  }

  /// The planner's statistics of a national registry (3.4 million firms, a permit each, 1.02
  /// million fines), written over the samples' own: the plans checked are the plans at that size.
  static let nationalStatistics: [(String, String, String)] = [
    ("enterprise", "sqlite_autoindex_enterprise_1", "3400000 1"),
    ("enterprise", "enterprise_region", "3400000 1200"),
    ("enterprise", "enterprise_industry_region", "3400000 2500 7"),
    ("enterprise", "enterprise_name", "3400000 1"),
    ("enterprise", "enterprise_permit_class", "3400000 850000 300"),
    ("enterprise", "enterprise_grade", "3400000 680000 240"),
    ("enterprise", "enterprise_status", "3400000 3400000 1200"),
    ("enterprise", "enterprise_pending", "3400000 3400000"),
    ("permit", "sqlite_autoindex_permit_1", "3400000 1"),
    ("permit", "permit_by_firm", "3400000 1"),
    ("permit", "permit_by_valid_to", "3400000 1860"),
    ("permit_event", "permit_event_by_permit", "113600 1 1 1"),
    ("permit_event", "permit_event_by_kind", "113600 113600 620 1"),
    ("fine", "fine_by_firm", "1020000 1"),
    ("fine", "fine_by_received", "1020000 1460"),
    ("fine", "sqlite_autoindex_fine_1", "1020000 1"),
    ("fine", "sqlite_autoindex_fine_2", "1020000 1"),
    ("fine_payment", "fine_payment_by_fine", "680000 1 1"),
    ("list_membership", "list_membership_by_firm", "34000 1 1"),
    ("list_membership", "list_membership_by_list", "34000 17000 30 10"),
  ]

  /// A registry with the samples, the national statistics, and a store that records its SQL.
  func nationalRegistry() throws -> (TempRegistry, Store, Statements) {
    let registry = try TempRegistry()
    for (file, kind) in [
      ("enterprises.csv", ImportKind.enterprises), ("permits.csv", .permits), ("fines.csv", .fines),
      ("designations.csv", .designations),
    ] {
      _ = try registry.store.importFile(sample(file), options(), as: kind)
    }
    try registry.execute("DELETE FROM sqlite_stat1 WHERE tbl IN ('enterprise', 'permit', 'permit_event', 'fine')")
    for (table, index, stat) in Self.nationalStatistics {
      try registry.execute(
        """
        DELETE FROM sqlite_stat1 WHERE idx = '\(index)';
        INSERT INTO sqlite_stat1 VALUES ('\(table)', '\(index)', '\(stat)')
        """)
    }
    let statements = Statements()
    let store = try Store(path: registry.path, statementObserver: { statements.append($0) })
    return (registry, store, statements)
  }

  /// The plan lines of every SELECT a listing ran that read a large table from end to end.
  func fullScans(_ statements: [String], registry: TempRegistry) throws -> [String] {
    let large = ["enterprise", "e", "permit", "p", "permit_event", "v", "fine", "f", "fine_payment", "list_membership"]
    return try DatabaseQueue(path: registry.path).read { db in
      // A partial index holds only the rows it selects (firms with a code override, staged firms).
      let partial = try String.fetchAll(
        db, sql: "SELECT name FROM sqlite_schema WHERE type = 'index' AND sql LIKE '% WHERE %'")
      var found: [String] = []
      for sql in statements where sql.hasPrefix("SELECT") && !sql.contains("sqlite_") {
        for line in try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql).map({ $0["detail"] as String }) {
          let words = line.split(separator: " ")
          guard words.count >= 2, words[0] == "SCAN", large.contains(String(words[1])) else { continue }
          // A deliberate walk of a sort index for one page (sortIndexToWalk) stops after the page.
          if sql.contains(" INDEXED BY ") && line.contains("USING INDEX") { continue }
          if partial.contains(where: { line.hasSuffix("USING INDEX " + $0) }) { continue }
          found.append("\(line)    in: \(sql.prefix(300))")
        }
      }
      return found
    }
  }

  static let listings: [(String, EnterpriseFilter)] = {
    func filter(_ change: (inout EnterpriseFilter) -> Void) -> EnterpriseFilter {
      var filter = EnterpriseFilter(asOf: testDay)
      change(&filter)
      return filter
    }
    return [
      (
        "--region 42 --industry 26",
        filter {
          $0.regionPrefix = "42"; $0.industryPrefix = "26"
        }
      ),
      ("--industry 26", filter { $0.industryPrefix = "26" }),
      ("--region 4201", filter { $0.regionPrefix = "4201" }),
      (
        "--region 4201 --permit-class key",
        filter {
          $0.regionPrefix = "4201"; $0.permitClass = .key
        }
      ),
      (
        "--region 42 --grade A",
        filter {
          $0.regionPrefix = "42"; $0.grade = .a
        }
      ),
      (
        "--region 42 --status closed",
        filter {
          $0.regionPrefix = "42"; $0.status = .closed
        }
      ),
      ("--nonconforming-code", filter { $0.nonconformingOnly = true }),
      (
        "--name 化工 (a page)",
        filter {
          $0.nameContains = "化工"; $0.limit = 50
        }
      ),
      ("--name 化工 (all)", filter { $0.nameContains = "化工" }),
      (
        "--name 化工 --region 13",
        filter {
          $0.nameContains = "化工"; $0.regionPrefix = "13"
        }
      ),
      (
        "--region 42 --sort name (a page)",
        filter {
          $0.regionPrefix = "42"; $0.sort = .name; $0.limit = 50
        }
      ),
    ]
  }()

  @Test("Issue 12: every enterprise listing and its count is an index search at national scale (EXPLAIN QUERY PLAN)")
  func enterpriseListingsSearchIndexes() throws {
    let (registry, store, statements) = try nationalRegistry()
    for (label, filter) in Self.listings {
      _ = statements.take()
      try store.forEachEnterprise(filter) { _ in }
      _ = try store.countEnterprises(filter)
      let scans = try fullScans(statements.take(), registry: registry)
      #expect(scans.isEmpty, "enterprise list \(label) reads a whole table:\n\(scans.joined(separator: "\n"))")
    }
  }

  @Test(
    "Issue 12: the expiry notice, a holder's permits, a region's and a debtor's fines, a list's members are index searches"
  )
  func otherListingsSearchIndexes() throws {
    let (registry, store, statements) = try nationalRegistry()
    let registryService = Registry(storage: store)
    let first: String = try #require(try registry.sql("SELECT min(credit_code) FROM enterprise"))
    let holder = try #require(CreditCode(stored: first))
    let cases: [(String, () throws -> Void)] = [
      (
        "permit expiring --within 90",
        {
          try registryService.expiryNotice(
            asOf: testDay, within: 90, overdue: false, regionPrefix: nil, permitClass: nil
          ) { _, _ in }
        }
      ),
      (
        "permit expiring --within 90 --region 13",
        {
          try registryService.expiryNotice(
            asOf: testDay, within: 90, overdue: false, regionPrefix: "13", permitClass: nil
          ) { _, _ in }
        }
      ),
      ("permit list --holder", { _ = try store.permits(of: holder) }),
      ("fine list --region 13", { try store.forEachFine(regionPrefix: "13") { _ in } }),
      ("fine list --debtor", { try store.forEachFine(debtor: holder) { _ in } }),
      (
        "fine overdue --region 13",
        { try registryService.forEachOverdueFine(asOf: testDay, regionPrefix: "13") { _, _, _ in } }
      ),
      (
        "lists members --region 13",
        { _ = try store.members(of: .inspectionExemption, on: testDay, regionPrefix: "13") }
      ),
      ("enterprise show", { _ = try registryService.profile(holder, asOf: testDay) }),
    ]
    for (label, run) in cases {
      _ = statements.take()
      try run()
      let scans = try fullScans(statements.take(), registry: registry)
      #expect(scans.isEmpty, "\(label) reads a whole table:\n\(scans.joined(separator: "\n"))")
    }
  }

  @Test("Issue 12: name search by index finds exactly what instr finds, for every fragment of every name")
  func nameIndexAgreesWithTheScan() throws {
    let registry = try TempRegistry()
    _ = try registry.store.importFile(sample("enterprises.csv"), options(), as: .enterprises)
    // Names with what a tokenizer could fold or split: Latin case, spaces, full-width punctuation.
    let service = Registry(storage: registry.store)
    let tricky = ["ABC化工（武汉）有限公司", "abc 化工 有限公司", "江岸·热电厂", "化工化工化", "恒达化工1203有限公司"]
    for (n, name) in tricky.enumerated() {
      var input = firm(makeCode(900 + n), name: name, region: "420102", industry: "2614")
      input[.registeredOn] = "2020-01-01"
      _ = try service.addEnterprise(input, asOf: testDay)
    }
    let names: [String] = try DatabaseQueue(path: registry.path).read { db in
      try String.fetchAll(db, sql: "SELECT name FROM enterprise")
    }
    var fragments: Set<String> = [
      "工热", "Abc", "ABC化", "化 工", "（", "化工化", "不存在", "化工1203有限", "1203", "03有限公司",
    ]
    for name in names {
      let characters = Array(name)
      for length in 1...3 where length <= characters.count {
        for start in 0...(characters.count - length) { fragments.insert(String(characters[start..<(start + length)])) }
      }
      fragments.insert(name)
    }
    #expect(fragments.count > 500)
    for fragment in fragments.sorted() {
      let scan: [String] = try DatabaseQueue(path: registry.path).read { db in
        try String.fetchAll(
          db, sql: "SELECT credit_code FROM enterprise WHERE instr(name, ?) > 0 ORDER BY credit_code",
          arguments: [fragment])
      }
      var filter = EnterpriseFilter(asOf: testDay)
      filter.nameContains = fragment
      var found: [String] = []
      try registry.store.forEachEnterprise(filter) { found.append($0.creditCode.value) }
      #expect(found == scan, "--name \(fragment)")
      #expect(try registry.store.countEnterprises(filter) == scan.count, "count --name \(fragment)")
      filter.limit = 2
      found = []
      try registry.store.forEachEnterprise(filter) { found.append($0.creditCode.value) }
      #expect(found == Array(scan.prefix(2)), "first page of --name \(fragment)")
    }
  }

  @Test("Issue 12: an import's statistics, counted under a read snapshot, equal what ANALYZE writes")
  func statisticsEqualAnalyze() throws {
    let registry = try TempRegistry()
    _ = try registry.store.importFile(sample("enterprises.csv"), options(), as: .enterprises)
    let query = """
      SELECT idx || ': ' || stat FROM sqlite_stat1 WHERE tbl = 'enterprise'
        AND idx NOT IN ('enterprise_pending', 'enterprise_override') ORDER BY idx
      """
    let ours: [String] = try DatabaseQueue(path: registry.path).read { try String.fetchAll($0, sql: query) }
    try registry.execute("ANALYZE enterprise")
    let analyzed: [String] = try DatabaseQueue(path: registry.path).read { try String.fetchAll($0, sql: query) }
    #expect(ours.count == 7)
    #expect(ours == analyzed)
  }

  @Test("Issue 12: a renamed firm is found by its new name only, from the same transaction on")
  func renameKeepsTheIndexInStep() throws {
    let registry = try TempRegistry()
    let service = Registry(storage: registry.store)
    var input = firm(makeCode(1), name: "武汉长江化工有限公司", region: "420102", industry: "2614")
    input[.registeredOn] = "2020-01-01"
    let (added, _) = try service.addEnterprise(input, asOf: testDay)
    _ = try service.updateEnterprise(
      added.creditCode, EnterpriseInput([.name: "武汉长江新材料有限公司"]), effectiveOn: testDay, asOf: testDay)
    func search(_ fragment: String) throws -> Int {
      var filter = EnterpriseFilter(asOf: testDay)
      filter.nameContains = fragment
      return try registry.store.countEnterprises(filter)
    }
    #expect(try search("化工") == 0)
    #expect(try search("新材料") == 1)
    let indexed: Int? = try registry.sql(
      "SELECT count(*) FROM enterprise_name_index WHERE enterprise_name_index MATCH '\(NameIndex.phrase("化工"))'")
    #expect(indexed == 0)
  }
}

@Suite("Sorted rows on disk (issue 12: fine overdue with memory flat)")
struct SpillingRowsTests {
  @Test("Spilled runs merge to exactly the in-memory order, ties in the order added, in CSV and JSON")
  func spilledEqualsInMemory() throws {
    var generator = SystemRandomNumberGenerator()
    let rows = (0..<5_000).map { n in
      (
        key: Int.random(in: -300...300, using: &generator),
        fields: Fields([("n", .int(n)), ("名称", .text("企业\(n)，\"引号\""))])
      )
    }
    for format in [OutputFormat.csv, .json] {
      for budget in [1, 200, 10_000, 1 << 30] {
        var onDisk = SortedListWriter(format: format, rows: SpillingRows(budget: budget))
        var inMemory = SortedListWriter(format: format)
        for row in rows {
          try onDisk.add(row.fields, key: row.key)
          try inMemory.add(row.fields, key: row.key)
        }
        var spilled = "", kept = ""
        try onDisk.finish { spilled += $0 }
        try inMemory.finish { kept += $0 }
        #expect(spilled == kept, "\(format), budget \(budget)")
      }
    }
    var empty = SortedListWriter(format: .csv, rows: SpillingRows(budget: 1))
    var out = ""
    try empty.finish { out += $0 }
    #expect(out == "")
  }
}

@Suite("Name index tokens")
struct NameTokenTests {
  @Test("A token is the code point in lower-case hex as String(radix: 16) writes it, for every plane")
  func tokensAreHexCodePoints() {
    var generator = SystemRandomNumberGenerator()
    var scalars: [Unicode.Scalar] = ["\u{0}", "a", "\u{F}", "\u{10}", "化", "\u{FFFF}", "\u{10000}", "\u{10FFFF}"]
    while scalars.count < 2_000 {
      if let scalar = Unicode.Scalar(UInt32.random(in: 0...0x10FFFF, using: &generator)) { scalars.append(scalar) }
    }
    for chunk in stride(from: 0, to: scalars.count, by: 7) {
      let part = scalars[chunk..<min(chunk + 7, scalars.count)]
      var text = String.UnicodeScalarView()
      text.append(contentsOf: part)
      #expect(NameIndex.tokens(String(text)) == part.map { String($0.value, radix: 16) }.joined(separator: " "))
    }
    #expect(NameIndex.tokens("") == "")
  }
}
