import RegistryCore

// Accounts of the served registry: `envreg user ...` and the server's admin pages. Passwords arrive
// in clear and leave as the caller's hash (bcrypt, at the edge); the audit trail records who
// changed which account, never a password or its hash.
extension Registry {
  /// Registers an account. An officer needs a region; a region is a valid selection (2, 4 or 6 digits).
  public func addAccount(
    name: String, role: Role, region: String?, password: String, hash: (String) -> String
  ) throws -> Account {
    var problems: [FieldProblem] = []
    if let refusal = AccessRules.nameRefusal(name) {
      problems.append(FieldProblem(field: "name", value: name, reason: refusal))
    }
    var prefix: String?
    if let region {
      switch Divisions.bundled.selection(region) {
      case .success(let selected): prefix = selected
      case .failure(let refusal): problems.append(FieldProblem(field: "region", value: region, reason: refusal.reason))
      }
    } else if role == .officer {
      problems.append(FieldProblem(field: "region", value: "", reason: "an officer needs a region (--region)"))
    }
    if let refusal = AccessRules.passwordRefusal(password, account: name) {
      problems.append(FieldProblem(field: "password", value: "(not shown)", reason: refusal))
    }
    guard problems.isEmpty else { throw RegistryError.invalid(problems) }
    let passwordHash = hash(password)
    return try write { transaction in
      if try transaction.account(named: name) != nil {
        throw RegistryError.alreadyExists(
          kind: "account", key: name, hint: "Use 'envreg user password \(name)' to set a new password.")
      }
      let account = Account(
        name: name, role: role, regionPrefix: prefix, passwordHash: passwordHash, createdAt: transaction.now)
      let auditID = try transaction.audit(
        action: "user.add", entityType: "account", entityKey: name, before: nil, after: .record(Report.account(account))
      )
      try transaction.insertAccount(account, auditID: auditID)
      return account
    }
  }

  /// Sets an account's password (its holder or an admin).
  public func setPassword(name: String, password: String, hash: (String) -> String) throws {
    if let refusal = AccessRules.passwordRefusal(password, account: name) {
      throw RegistryError.invalid([FieldProblem(field: "password", value: "(not shown)", reason: refusal)])
    }
    let passwordHash = hash(password)
    _ = try changeAccount(name, action: "user.password") { $0.passwordHash = passwordHash }
  }

  /// Disables an account: it can no longer sign in, and its tokens stop working. Its rows stay.
  public func disableAccount(name: String) throws -> Account {
    try changeAccount(name, action: "user.disable") { account in
      if account.isDisabled { throw RegistryError.refused("Account \(name.quoted) is already disabled.") }
    } stamp: { account, now in
      account.disabledAt = now
    }
  }

  /// Enables a disabled account again.
  public func enableAccount(name: String) throws -> Account {
    try changeAccount(name, action: "user.enable") { account in
      if !account.isDisabled { throw RegistryError.refused("Account \(name.quoted) is not disabled.") }
      account.disabledAt = nil
    }
  }

  /// Issues an API token for an account; `tokenHash` is the SHA-256 of the token the caller shows once.
  public func addToken(account name: String, label: String, tokenHash: String) throws -> Int {
    if let refusal = FreeText.refusal(label, field: "label", maxLength: 100) {
      throw RegistryError.invalid([FieldProblem(field: "label", value: label, reason: refusal)])
    }
    return try write { transaction in
      guard let account = try transaction.account(named: name), !account.isDisabled else {
        throw Registry.noAccount(name)
      }
      let auditID = try transaction.audit(
        action: "user.token.add", entityType: "account", entityKey: name, before: nil,
        after: .record(Fields([("label", .text(label))])))
      return try transaction.insertToken(
        account: name, tokenHash: tokenHash, label: label, createdAt: transaction.now, auditID: auditID)
    }
  }

  /// Revokes a token of an account.
  public func revokeToken(account name: String, id: Int) throws {
    try write { transaction in
      guard try transaction.account(named: name) != nil else { throw Registry.noAccount(name) }
      let auditID = try transaction.audit(
        action: "user.token.revoke", entityType: "account", entityKey: name, before: nil,
        after: .record(Fields([("token", .int(id))])))
      guard try transaction.revokeToken(account: name, id: id, at: transaction.now, auditID: auditID) else {
        throw RegistryError.notFound(
          kind: "live token of \(name)", key: String(id), hint: "Run 'envreg user tokens \(name)' to see its tokens.")
      }
    }
  }

  private func changeAccount(
    _ name: String, action: String, _ change: (inout Account) throws -> Void,
    stamp: (inout Account, String) -> Void = { _, _ in }
  ) throws -> Account {
    try write { transaction in
      guard let old = try transaction.account(named: name) else { throw Registry.noAccount(name) }
      var new = old
      try change(&new)
      stamp(&new, transaction.now)
      let auditID = try transaction.audit(
        action: action, entityType: "account", entityKey: name, before: .record(Report.account(old)),
        after: .record(Report.account(new)))
      try transaction.updateAccount(new, auditID: auditID)
      return new
    }
  }

  static func noAccount(_ name: String) -> RegistryError {
    .notFound(kind: "account", key: name, hint: "Run 'envreg user list' to see the accounts.")
  }
}

extension Report {
  /// An account as the audit trail and `user list` show it: never its password hash.
  public static func account(_ account: Account) -> Fields {
    Fields([
      ("name", .text(account.name)), ("role", .text(account.role.rawValue)),
      ("region", .optional(account.regionPrefix)), ("created_at", .text(account.createdAt)),
      ("disabled_at", .optional(account.disabledAt)),
    ])
  }
}
