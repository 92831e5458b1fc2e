import RegistryCore

/// The audit chain's check, fed its rows in id order by any storage: every row's hash over its own
/// content and the one before it, ids without gaps, and keyed rows (HMAC) never followed by unkeyed
/// ones. Pure: the storages differ only in how they read the rows.
public struct AuditChainCheck: Sendable {
  public private(set) var problems: [String] = []
  public private(set) var count = 0
  /// Rows from here on are keyed and no key was given: their hashes could not be checked.
  public private(set) var keyedWithoutKey = false
  private let key: [UInt8]?
  private var previous = AuditEntry.genesis
  private var expectedID = 1
  private var sawKeyed = false

  public init(key: [UInt8]?) { self.key = key }

  /// The head the rows seen so far end at.
  public var head: AuditHead { AuditHead(rows: expectedID - 1, hash: previous) }

  public mutating func add(_ entry: AuditEntry) {
    count += 1
    if entry.id != expectedID { problems.append("audit row \(expectedID) is missing (next row is \(entry.id))") }
    if entry.prevHash != previous {
      problems.append("audit row \(entry.id): prev_hash does not match the hash of the row before it")
    }
    if entry.keyed, key == nil {
      if !keyedWithoutKey {
        problems.append(
          "audit row \(entry.id) and later are keyed (HMAC): set ENVREG_AUDIT_KEY to the key file to verify them")
      }
      keyedWithoutKey = true
    } else if entry.hash != entry.expectedHash(key: key) {
      problems.append("audit row \(entry.id): its content does not match its hash (edited after it was written)")
    }
    if entry.keyed {
      sawKeyed = true
    } else if sawKeyed {
      problems.append(
        "audit row \(entry.id) is not keyed although rows before it are: its hash may have been recomputed without "
          + "the key")
    }
    previous = entry.hash
    expectedID = entry.id + 1
  }

  /// Every problem, the empty trail included (every registry has at least its init row).
  public var allProblems: [String] {
    count == 0 ? problems + ["the audit trail is empty; every registry has at least its init row"] : problems
  }
}
