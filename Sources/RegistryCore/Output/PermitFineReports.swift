extension Report {
  /// One row of `permit list` / `permit expiring`: the permit, its holder, its clocks on the date.
  public static func permitRow(_ permit: Permit, holder: String, name: String, region: String, standing: PermitStanding)
    -> Fields
  {
    var fields = Fields([
      ("number", .text(permit.number.value)), ("credit_code", .text(holder)), ("name", .text(name)),
      ("region_code", .text(region)),
      ("class", .text(permit.permitClass.rawValue)), ("valid_to", .day(permit.validTo)),
      ("renewal_due", .day(standing.renewalDue)),
      ("days_left", .int(standing.daysToExpiry)), ("status", .text(standing.status.rawValue)),
      ("renewal_applied", .optional(standing.renewalApplied)), ("deferred_until", .optional(standing.deferredUntil)),
    ])
    fields.append("flag", .text(standing.flag))
    return fields
  }

  public static func permitEvent(_ event: PermitEvent) -> Fields {
    Fields([
      ("kind", .text(event.kind.rawValue)), ("on", .day(event.on)), ("until", .optional(event.until)),
      ("basis", .text(event.basis)), ("approver", .text(event.approver)), ("note", .text(event.note)),
    ])
  }

  /// A fine's amounts on a date (FN-5), kept apart.
  public static func fineRow(_ fine: Fine, debtor: String, name: String, statement s: FineStatement) -> Fields {
    Fields([
      ("decision_number", .text(fine.decisionNumber)), ("credit_code", .text(debtor)), ("name", .text(name)),
      ("decided_on", .day(fine.decidedOn)), ("due", .day(s.obligations.map(\.due).min() ?? s.originalDue)),
      ("assessed", .money(s.assessed)),
      ("paid", .money(s.paid)), ("outstanding", .money(s.principalOutstanding)),
      ("surcharge", .money(s.surchargeAccrued)),
      ("owed", .money(s.totalOwed)), ("days_overdue", .int(s.overdue.map(\.daysOverdue).max() ?? 0)),
    ])
  }

  /// The whole statement of `fine show`: amounts, obligations and the surcharge trace.
  public static func fineStatement(_ recorded: Fine, debtor: String, name: String, statement s: FineStatement) -> Fields
  {
    let fine = recorded.asOf(s.asOf)
    var fields = fineRow(fine, debtor: debtor, name: name, statement: s)
    fields.append("received_on", .day(fine.receivedOn))
    fields.append("law_version", .text(s.lawVersion.rawValue))
    fields.append("legal_basis", .text(fine.legalBasis))
    fields.append("due_rule", .text(s.dueRule))
    fields.append(
      "surcharge_rule",
      .text(
        """
        FN-3: \(ParameterValue.basisPoints(s.rateBasisPoints)) of the unpaid amount per day after its due date, \
        capped at the amount; not while deferred, within an instalment's term or suspended \
        (\(s.lawVersion.surchargeArticle))
        """
      ))
    fields.append("as_of", .day(s.asOf))
    fields.append(
      "obligations",
      .list(
        s.obligations.map { o in
          .record(
            Fields([
              ("obligation", .text(o.label)), ("due", .day(o.due)), ("amount", .money(o.amount)),
              ("paid", .money(o.paid)), ("outstanding", .money(o.outstanding)),
              ("surcharge", .money(o.surcharge)), ("capped_on", .optional(o.cappedOn)),
              ("days_overdue", .int(o.outstanding.value > 0 ? o.daysOverdue : 0)),
            ]))
        }))
    fields.append(
      "surcharge_trace",
      .list(
        s.segments.map { seg in
          .record(
            Fields([
              ("obligation", .text(seg.obligation)), ("from", .day(seg.from)), ("to", .day(seg.to)),
              ("days", .int(seg.days)), ("unpaid", .money(seg.unpaid)),
              ("counted", .bool(seg.excludedBecause == nil)),
              ("why", .text(seg.excludedBecause ?? "after the due date, unpaid")), ("surcharge", .money(seg.surcharge)),
            ]))
        }))
    fields.append(
      "arrangements",
      .list(
        fine.arrangements.map { a in
          .record(
            Fields([
              ("kind", .text(a.kind.rawValue)), ("applied_on", .day(a.appliedOn)), ("approved_on", .day(a.approvedOn)),
              ("approver", .text(a.approver)), ("reason", .text(a.reason)),
              ("new_due", .optional(a.newDue)),
              ("instalments", .text(a.instalments.map { "\($0.due) \($0.amount.yuan)" }.joined(separator: "; "))),
              ("supersedes_because", .text(a.supersedeReason)),
            ]))
        }))
    fields.append(
      "payments",
      .list(
        fine.payments.map {
          .record(
            Fields([("paid_on", .day($0.on)), ("amount", .money($0.amount)), ("reference", .text($0.reference))]))
        }))
    fields.append(
      "suspensions",
      .list(
        fine.suspensions.map {
          .record(Fields([("kind", .text($0.kind.rawValue)), ("from", .day($0.from)), ("to", .optional($0.to))]))
        }))
    return fields
  }
}

extension Report {
  public static func retrofitFacts(_ r: Retrofit) -> Fields {
    Fields([
      ("facility", .text(r.facility)), ("source_type", .text(r.sourceType.rawValue)),
      ("sector", .text(r.sourceType.sector)),
      ("capacity", .decimal(r.capacity, places: 1)), ("capacity_unit", .text(r.capacityUnit)),
      ("new_installation", .bool(r.newInstallation)),
      ("planned_start", .day(r.plannedStart)), ("planned_completion", .day(r.plannedCompletion)),
      ("assessing_body", .text(r.assessingBody)),
    ])
  }

  /// A row of `retrofit list`: the project, its stage and its verdict on the date.
  public static func retrofitRow(
    _ r: Retrofit, owner: String, name: String, region: String, verdict: RetrofitVerdict, asOf: Day
  ) -> Fields {
    Fields([
      ("id", .int(r.id)), ("credit_code", .text(owner)), ("name", .text(name)), ("region_code", .text(region)),
      ("facility", .text(r.facility)),
      ("source_type", .text(r.sourceType.rawValue)), ("capacity", .decimal(r.capacity, places: 1)),
      ("capacity_unit", .text(r.capacityUnit)),
      ("stage", .text(r.stage(asOf: asOf).rawValue)), ("meets_limits", .text(verdict.meetsLimits.rawValue)),
      ("mandated", .bool(verdict.mandated)),
      ("deadline", .optional(verdict.deadline)), ("overdue", .bool(verdict.overdue)),
    ])
  }
}
