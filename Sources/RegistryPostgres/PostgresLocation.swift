import Foundation
import RegistryCore

/// Where a PostgreSQL registry is: `postgres://user[:password]@host[:port]/database[?sslmode=…]`.
///
/// The password comes from the URL, else `PGPASSWORD`, else the password file (`PGPASSFILE`, else
/// `~/.pgpass`, lines `host:port:database:user:password` with `*` wildcards, owner-only as libpq
/// requires). It is never part of `description`, of a message or of the audit trail.
public struct PostgresLocation: Sendable, CustomStringConvertible {
  public var host: String
  public var port: Int
  public var user: String
  public var database: String
  /// libpq's sslmode: disable, prefer (the default: TLS when the server offers it), require,
  /// verify-ca or verify-full (the last two check the server's certificate).
  public var sslMode: String
  let password: String?

  /// Whether `--db` names a PostgreSQL registry rather than a SQLite file.
  public static func isURL(_ text: String) -> Bool {
    text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
  }

  public init(url text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
    guard PostgresLocation.isURL(text), let url = URLComponents(string: text), let host = url.host, !host.isEmpty
    else {
      throw RegistryError.input(
        "\(PostgresLocation.redacted(text).quoted) is not a PostgreSQL URL; write postgres://user@host:port/database.")
    }
    self.host = host
    port = url.port ?? 5432
    user = url.user ?? environment["PGUSER"] ?? ProcessInfo.processInfo.userName
    let path = url.path.hasPrefix("/") ? String(url.path.dropFirst()) : url.path
    database = path.isEmpty ? user : path
    let query = url.queryItems ?? []
    sslMode = query.first { $0.name == "sslmode" }?.value ?? environment["PGSSLMODE"] ?? "prefer"
    guard ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"].contains(sslMode) else {
      throw RegistryError.input(
        "sslmode \(sslMode.quoted) is not one of disable, prefer, require, verify-ca, verify-full.")
    }
    if let unknown = query.first(where: { $0.name != "sslmode" }) {
      throw RegistryError.input(
        "The PostgreSQL URL's parameter \(unknown.name.quoted) is not understood (only sslmode).")
    }
    password =
      url.password ?? environment["PGPASSWORD"].flatMap { $0.isEmpty ? nil : $0 }
      ?? PostgresLocation.passwordFile(environment: environment).flatMap { file in
        PostgresLocation.password(
          in: file, host: host, port: url.port ?? 5432, database: path.isEmpty ? "*" : path,
          user: url.user ?? environment["PGUSER"] ?? ProcessInfo.processInfo.userName)
      }
  }

  /// `postgres://user@host:port/database`: the password left out.
  public var description: String { "postgres://\(user)@\(host.contains(":") ? "[\(host)]" : host):\(port)/\(database)" }

  /// A URL as it may be shown: any password replaced by `***`.
  public static func redacted(_ text: String) -> String {
    guard let at = text.lastIndex(of: "@"), let scheme = text.range(of: "://"), scheme.upperBound < at else {
      return text
    }
    let credentials = text[scheme.upperBound..<at]
    guard let colon = credentials.firstIndex(of: ":") else { return text }
    return String(text[..<colon]) + ":***" + String(text[at...])
  }

  /// The password file libpq reads, when it exists and only its owner may read it.
  static func passwordFile(environment: [String: String]) -> String? {
    let path = environment["PGPASSFILE"] ?? (environment["HOME"].map { $0 + "/.pgpass" } ?? "")
    var info = stat()
    guard !path.isEmpty, stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_mode & 0o077 == 0,
      let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
    else { return nil }
    return text
  }

  /// The password of the first matching line of a password file (`\:` and `\\` escaped as libpq's).
  static func password(in file: String, host: String, port: Int, database: String, user: String) -> String? {
    for line in file.split(separator: "\n", omittingEmptySubsequences: true) where !line.hasPrefix("#") {
      var fields: [String] = [""]
      var escaped = false
      for character in line {
        if escaped {
          fields[fields.count - 1].append(character)
          escaped = false
        } else if character == "\\" {
          escaped = true
        } else if character == ":" && fields.count < 5 {
          fields.append("")
        } else {
          fields[fields.count - 1].append(character)
        }
      }
      guard fields.count == 5 else { continue }
      let wanted = [host, String(port), database, user]
      if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
    }
    return nil
  }
}
