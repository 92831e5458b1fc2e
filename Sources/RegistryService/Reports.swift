import RegistryCore

// Rows of the service's records as reports show them (shared by every front end).

/// What membership of a list means for a firm (27号 二(二)).
public func consequences(of list: PositiveList) -> String {
  switch list {
  case .inspectionExemption:
    """
    left out of special inspection campaigns and the 双随机 site-inspection draw (checked off-site); may take no or \
    fewer heavy-pollution-weather emergency reductions (27号 二(二))
    """
  case .eiaGreenChannel:
    "EIA approvals handled through the green channel at the promised review time (RULES §4)"
  }
}

extension Report {
  public static func membership(_ m: Membership, asOf: Day, withConsequences: Bool) -> Fields {
    var fields = Fields([
      ("credit_code", .text(m.creditCode)), ("name", .text(m.name)), ("region_code", .text(m.regionCode)),
      ("list", .text(m.list.rawValue)),
      ("category", .text(m.category)), ("admitted_on", .day(m.admittedOn)), ("valid_until", .day(m.validUntil)),
      ("admitted_by", .text(m.admittedBy)),
      ("override_reason", .optional(m.overrideReason)), ("revoked_on", .optional(m.revokedOn)),
      ("revoke_reason", .optional(m.revokeReason)),
    ])
    if withConsequences {
      let current = m.admittedOn <= asOf && asOf <= m.validUntil && (m.revokedOn.map { asOf < $0 } ?? true)
      fields.append("consequences", .text(current ? consequences(of: m.list) : ""))
    }
    return fields
  }
}

extension Report {
  public static func change(_ change: EnterpriseChange) -> Fields {
    Fields([
      ("effective_on", .day(change.effectiveOn)), ("field", .text(change.field)),
      ("old_value", .optional(change.oldValue)),
      ("new_value", .optional(change.newValue)), ("action", .text(change.action)), ("actor", .text(change.actor)),
      ("recorded_at", .text(change.recordedAt)), ("audit_id", .int(change.auditID)),
    ])
  }

  public static func audit(_ entry: AuditEntry) -> Fields {
    Fields([
      ("id", .int(entry.id)), ("at", .text(entry.at)), ("actor", .text(entry.actor)), ("action", .text(entry.action)),
      ("entity_type", .text(entry.entityType)), ("entity_key", .text(entry.entityKey)),
      ("before", .optional(entry.before)), ("after", .optional(entry.after)), ("hash", .text(entry.hash)),
    ])
  }
}

extension Report {
  /// A review finding as `lists review` lists it: for a lapsed member the failing conditions, for a
  /// firm that now qualifies its categories.
  public static func finding(_ finding: ReviewFinding) -> Fields {
    let reasons =
      finding.kind == .nowQualifies
      ? finding.verdict.categories.joined(separator: ", ")
      : finding.verdict.blocking.map { "\($0.rule) \($0.reading): \($0.fact)" }.joined(separator: "; ")
    return Fields([
      ("finding", .text(finding.kind.rawValue)), ("credit_code", .text(finding.firm.creditCode.value)),
      ("name", .text(finding.firm.name)), ("region_code", .text(finding.firm.regionCode)),
      ("list", .text(finding.verdict.list.rawValue)), ("status", .text(finding.verdict.status.rawValue)),
      ("reasons", .text(reasons)),
    ])
  }
}
