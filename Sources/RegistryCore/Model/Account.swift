/// Accounts of the served registry and what each may do (issue 14). Pure: the rights of a role and
/// region are decided here, from values; the server and the service ask, the storage records.

/// What an account may do.
public enum Role: String, CaseIterable, Sendable, Codable {
  /// Manages accounts and policy parameters; reads and writes everything.
  case admin
  /// Writes the firms whose site lies inside the account's region; reads its province.
  case officer
  /// Reads (its province when it has a region, else everything); writes nothing.
  case viewer
}

/// A user of the served registry. The password is kept only as its bcrypt hash.
public struct Account: Sendable, Equatable {
  public var name: String
  public var role: Role
  /// The region prefix (2, 4 or 6 digits) the account works in; nil for a national account.
  public var regionPrefix: String?
  public var passwordHash: String
  /// When the account was disabled (it can no longer sign in or use its tokens), or nil.
  public var disabledAt: String?
  public var createdAt: String

  public init(
    name: String, role: Role, regionPrefix: String?, passwordHash: String, disabledAt: String? = nil,
    createdAt: String
  ) {
    self.name = name
    self.role = role
    self.regionPrefix = regionPrefix
    self.passwordHash = passwordHash
    self.disabledAt = disabledAt
    self.createdAt = createdAt
  }

  public var isDisabled: Bool { disabledAt != nil }

  /// The actor its writes are audited under: `user:NAME`, a form `--actor` refuses, so an audit row
  /// naming a signed-in user can only come from the server.
  public var actor: String { Account.actorPrefix + name }

  public static let actorPrefix = "user:"

  /// The province the account reads: the first two digits of its region, nil for national.
  public var readPrefix: String? { regionPrefix.map { String($0.prefix(2)) } }
}

/// A machine client's token: the token itself is shown once; the registry keeps its SHA-256.
public struct APIToken: Sendable, Equatable {
  public var id: Int
  public var account: String
  public var label: String
  public var createdAt: String
  public var revokedAt: String?

  public init(id: Int, account: String, label: String, createdAt: String, revokedAt: String?) {
    self.id = id
    self.account = account
    self.label = label
    self.createdAt = createdAt
    self.revokedAt = revokedAt
  }
}

/// What a request asks to do, as the rights table sees it.
public enum Access: Sendable, Equatable {
  /// Read a firm (its profile, trace, permits, fines) sited in `region`.
  case readFirm(region: String)
  /// Read a listing or report of a region selection (nil: the whole registry).
  case readSelection(regionPrefix: String?)
  /// Change a firm sited in `region` (register, update, admit, ledger ...).
  case writeFirm(region: String)
  /// Set a policy parameter, import files whole, manage accounts.
  case administer
}

/// The rights table: which role may do what, and why not.
public enum AccessRules {
  /// Nil when `account` may do `access`, else the reason it may not (shown with the 403).
  public static func refusal(_ account: Account, _ access: Access) -> String? {
    if account.isDisabled { return "account \(account.name.quoted) is disabled" }
    switch (account.role, access) {
    case (.admin, _): return nil
    case (_, .administer):
      return "only an admin may do this; \(account.name.quoted) is \(account.role.rawValue)"
    case (.viewer, .writeFirm):
      return "\(account.name.quoted) is a viewer and may only read"
    case (.officer, .writeFirm(let region)):
      guard let prefix = account.regionPrefix else {
        return "officer \(account.name.quoted) has no region and may change no firm"
      }
      return region.hasPrefix(prefix)
        ? nil : "firm sited in \(region) is outside \(account.name.quoted)'s region \(prefix)"
    case (_, .readFirm(let region)):
      guard let province = account.readPrefix, !region.hasPrefix(province) else { return nil }
      return "firm sited in \(region) is outside \(account.name.quoted)'s province \(province)"
    case (_, .readSelection(let prefix)):
      guard let province = account.readPrefix else { return nil }
      guard let prefix, prefix.hasPrefix(province) else {
        return "selection \(prefix ?? "(all regions)") reaches outside \(account.name.quoted)'s province \(province)"
      }
      return nil
    }
  }

  /// The region selection an account reads when it names none: its province, or everything.
  public static func defaultSelection(_ account: Account) -> String? { account.readPrefix }

  /// An account name: 2 to 32 letters (Chinese included), digits, `.`, `_` or `-`.
  public static func nameRefusal(_ name: String) -> String? {
    guard (2...32).contains(name.count) else { return "must be 2 to 32 characters" }
    let allowed = name.unicodeScalars.allSatisfy {
      $0.properties.isAlphabetic || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0)
    }
    guard allowed else { return "may hold only letters, digits, '.', '_' and '-'" }
    return nil
  }

  /// A password: 10 to 72 bytes (bcrypt reads 72), not all one character, not the account's name.
  public static func passwordRefusal(_ password: String, account: String) -> String? {
    if password.count < 10 { return "must be at least 10 characters" }
    if password.utf8.count > 72 { return "must be at most 72 bytes (bcrypt reads no further)" }
    if Set(password).count == 1 { return "must not repeat one character" }
    if password.lowercased().contains(account.lowercased()) { return "must not contain the account name" }
    return nil
  }
}
