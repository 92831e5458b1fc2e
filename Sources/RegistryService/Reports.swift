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

extension Registry {
  /// The ledger report as filed upward (§8): one row per item in report order, the summary, and
  /// the audit head at its foot (a filed report anchors the trail). With `streaming`, each row goes
  /// there as it is read and the report keeps none (a CSV of any size in constant memory).
  public func ledgerReport(
    _ filter: LedgerFilter, asOf: Day, from: Day?, to: Day?, region: String, english: Bool,
    signOff: LedgerReport.SignOff = LedgerReport.SignOff(), streaming: (([Value]) throws -> Void)? = nil
  ) throws -> (report: LedgerReport, items: Int) {
    var summary = LedgerSummary(asOf: asOf, from: from, to: to, regionPrefix: filter.regionPrefix)
    var rows: [[Value]] = []
    var number = 0
    try forEachLedgerLine(filter) { line in
      number += 1
      summary.add(line.item, region: line.regionCode)
      let cells = line.cells(number: number, asOf: asOf, english: english)
      if let streaming { try streaming(cells) } else { rows.append(cells) }
    }
    let head = try auditHead()
    let foot = Fields([
      ("group", .text(english ? "audit" : "审计")), ("item", .text(english ? "audit head (rows:hash)" : "审计链头 (行数:哈希)")),
      ("value", .text(head.description)),
    ])
    var report = LedgerReport(
      asOf: asOf, from: from, to: to, region: region, english: english, rows: rows,
      summary: summary.rows(english: english) + [foot], crosstab: summary.crosstab(english: english),
      signOff: signOff)
    report.charts = [summary.closureChart(english: english)]
    return (report, number)
  }
}

extension Report {
  /// One overdue amount as `fine overdue` lists it: the fine's row with the obligation's label, due
  /// date and days overdue.
  public static func overdueRow(_ owed: OwedFine, _ statement: FineStatement, _ obligation: Obligation) -> Fields {
    var row = Report.fineRow(owed.fine, debtor: owed.debtor.value, name: owed.debtorName, statement: statement)
    row.fields.insert((key: "obligation", value: .text(obligation.label)), at: 1)
    row.fields = row.fields.map { field in
      switch field.key {
      case "due": return (key: "due", value: .day(obligation.due))
      case "days_overdue": return (key: "days_overdue", value: .int(obligation.daysOverdue))
      default: return field
      }
    }
    return row
  }
}
