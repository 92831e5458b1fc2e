import Foundation
import RegistryCore
import RegistryService

/// Who writes an audit row and under which key, as every storage engine records it: the
/// self-declared actor, the operating-system user beside it, the clock, and the audit key file.
public enum AuditIdentity {
  /// The operating-system user running envreg (the effective uid's name).
  public static let osUser: String = {
    if let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name { return String(cString: name) }
    return "uid \(geteuid())"
  }()

  /// `$ENVREG_ACTOR`, else the login name.
  public static var defaultActor: String {
    ProcessInfo.processInfo.environment["ENVREG_ACTOR"] ?? ProcessInfo.processInfo.userName
  }

  /// The actor as audit rows record it: trimmed, free text of at most 100 characters, never
  /// `user:NAME` (how the server audits a signed-in account; no one may claim it by hand).
  public static func checkedActor(_ actor: String) throws -> String {
    let actor = actor.trimmingSpaces()
    if let refusal = FreeText.refusal(actor, field: "actor", maxLength: 100) {
      throw RegistryError.invalid([FieldProblem(field: "actor", value: actor, reason: refusal)])
    }
    if actor.hasPrefix(Account.actorPrefix) {
      throw RegistryError.invalid([
        FieldProblem(
          field: "actor", value: actor, reason: "'\(Account.actorPrefix)' names a signed-in account of envreg serve")
      ])
    }
    return actor.isEmpty ? "unknown" : actor
  }

  /// ISO 8601 UTC with milliseconds, as audit rows record their time.
  public static let utcNow: @Sendable () -> String = {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return formatter.string(from: Date())
  }

  /// The audit key named by `ENVREG_AUDIT_KEY`: a regular file readable by its owner only, at least
  /// 16 bytes. Without the variable the chain is plain SHA-256.
  public static func key(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> [UInt8]? {
    guard let path = environment["ENVREG_AUDIT_KEY"], !path.isEmpty else { return nil }
    var info = stat()
    guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
      throw RegistryError.input("ENVREG_AUDIT_KEY names \(path.quoted), which is not a readable file.")
    }
    guard info.st_mode & 0o077 == 0 else {
      throw RegistryError.input(
        """
        The audit key \(path.quoted) is readable by others (mode \(String(info.st_mode & 0o777, radix: 8))); run \
        chmod 600 on it.
        """
      )
    }
    guard let data = FileManager.default.contents(atPath: path), data.count >= 16 else {
      throw RegistryError.input(
        """
        The audit key \(path.quoted) is shorter than 16 bytes; make one with: head -c 32 /dev/urandom > key && \
        chmod 600 key
        """
      )
    }
    return Array(data)
  }
}
