import GRDB
import RegistryCore

/// Name search by index (schema 4, issue 12). Chinese firm names are searched by fragments of two
/// or three characters (化工, 热电), which neither a B-tree nor FTS5's trigram tokenizer serves. The
/// FTS5 table `enterprise_name_index` holds each name as one token per character, the character's
/// Unicode code point in hex (`化工` → `5316 5de5`), so any substring of a name is a phrase query on
/// consecutive tokens, and a phrase matches exactly where `instr` does: every character, spaces and
/// punctuation included, is a token, and hex digits have no case to fold.
///
/// The table is contentless (the names live in `enterprise`): the rowid is `enterprise.id`. envreg
/// keeps it in step in the statement that writes the name, through connection-local (TEMP)
/// triggers like the seals', so an insert, a renamed firm (a history update) and an abandoned
/// import's rows change the index in the same transaction as the row. Another tool writing
/// `enterprise` leaves the index behind; the row's seal then reports the edit (`audit verify`).
enum NameIndex {
  static let table = "enterprise_name_index"
  static let function = "envreg_name_tokens"

  /// A text as the index stores it: code points in lower-case hex without leading zeros (as
  /// `String(value, radix: 16)` writes them), separated by spaces; written as bytes, since every
  /// imported name passes here.
  static func tokens(_ text: String) -> String {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(text.utf8.count * 2)
    for scalar in text.unicodeScalars {
      if !bytes.isEmpty { bytes.append(0x20) }
      let value = scalar.value
      var shift: UInt32 = 20  // the largest code point, 10FFFF, has six hex digits
      while shift > 0 && value >> shift == 0 { shift -= 4 }
      while true {
        bytes.append(hexDigits[Int((value >> shift) & 0xF)])
        if shift == 0 { break }
        shift -= 4
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  private static let hexDigits = Array("0123456789abcdef".utf8)

  /// The FTS5 query for "the name contains `fragment`": one phrase (hex tokens need no escaping).
  static func phrase(_ fragment: String) -> String { "\"" + tokens(fragment) + "\"" }

  /// Characters in a large share of all names (the legal-form words, digits): a phrase query reads
  /// every token's whole list of names, and these lists hold millions.
  static let common: Set<Unicode.Scalar> = Set("有限公司股份集团责任0123456789".unicodeScalars)

  /// What to ask the index for a fragment: the longest run of its characters outside `common` (the
  /// rows found are then tested with instr, which keeps the answer exact), or the whole fragment when
  /// it has no such run or is that run (`exact`: the index's matches are the answer).
  static func searchPhrase(_ fragment: String) -> (phrase: String, exact: Bool) {
    let scalars = Array(fragment.unicodeScalars)
    var best = 0..<0
    var start = 0
    for (index, scalar) in scalars.enumerated() where common.contains(scalar) {
      if index - start > best.count { best = start..<index }
      start = index + 1
    }
    if scalars.count - start > best.count { best = start..<scalars.count }
    guard !best.isEmpty, best.count < scalars.count else { return (phrase(fragment), true) }
    var run = String.UnicodeScalarView()
    run.append(contentsOf: scalars[best])
    return (phrase(String(run)), false)
  }

  /// `envreg_name_tokens(text)` on envreg's connection (the triggers and the rebuild use it).
  static func register(_ db: Database) {
    db.add(
      function: DatabaseFunction(function, argumentCount: 1, pure: true) { values in
        String.fromDatabaseValue(values[0]).map(tokens)
      })
  }

  /// The triggers that keep the index in step with `enterprise.name`, in the TEMP schema. Rows an
  /// import stages (`pending`) are indexed by the import, a chunk at a time (`indexFirms`).
  static func installTriggers(_ db: Database) throws {
    let add = "INSERT INTO \(table) (rowid, tokens) VALUES (NEW.id, \(function)(NEW.name));"
    let remove = "INSERT INTO \(table) (\(table), rowid, tokens) VALUES ('delete', OLD.id, \(function)(OLD.name));"
    try db.execute(
      sql: """
        CREATE TEMP TRIGGER IF NOT EXISTS envreg_name_insert AFTER INSERT ON main.enterprise
          WHEN NEW.pending IS NULL BEGIN \(add) END;
        CREATE TEMP TRIGGER IF NOT EXISTS envreg_name_update AFTER UPDATE OF name ON main.enterprise
          WHEN NEW.name IS NOT OLD.name BEGIN \(remove) \(add) END;
        CREATE TEMP TRIGGER IF NOT EXISTS envreg_name_delete AFTER DELETE ON main.enterprise BEGIN \(remove) END;
        """)
  }

  /// Indexes the names of the firms with ids above `id` (an import's chunk, in its transaction).
  static func indexFirms(after id: Int64, _ db: Database) throws {
    try db.execute(
      sql: "INSERT INTO \(table) (rowid, tokens) SELECT id, \(function)(name) FROM enterprise WHERE id > ?",
      arguments: [id])
  }

  /// Indexes every name again (the upgrade to schema 4).
  static func rebuild(_ db: Database) throws {
    try db.execute(sql: "INSERT INTO \(table) (\(table)) VALUES ('delete-all')")
    try db.execute(sql: "INSERT INTO \(table) (rowid, tokens) SELECT id, \(function)(name) FROM enterprise")
    try db.execute(sql: "INSERT INTO \(table) (\(table)) VALUES ('optimize')")
  }
}
