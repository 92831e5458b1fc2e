/// Report values for enterprises: what `show`, `list`, `export` and the audit trail write.
public enum Report {
  /// Every stored fact of a firm, with stable snake_case keys (the JSON contract and the CSV export
  /// columns; `enterprise import` reads the same columns back).
  public static func facts(_ firm: Enterprise) -> Fields {
    var record = Fields()
    for field in EnterpriseField.allCases {
      switch field {
      case .keyDischargeUnit: record.append(field.rawValue, firm.keyDischargeUnit.map(Value.bool) ?? .null)
      case .permitClass, .onlineMonitoring:
        record.append(field.rawValue, firm[field].isEmpty ? .null : .text(firm[field]))
      case .nearYangtze: record.append(field.rawValue, firm.nearYangtze.map(Value.bool) ?? .null)
      case .registeredOn: record.append(field.rawValue, .day(firm.registeredOn))
      default: record.append(field.rawValue, .text(firm[field]))
      }
    }
    record.append("status", .text(firm.status.rawValue))
    record.append("closed_on", .optional(firm.closedOn))
    record.append("closed_reason", .optional(firm.closedReason))
    record.append("code_override", .optional(firm.codeOverride))
    return record
  }

  /// A compact row for `enterprise list`: the facts people scan, with names for the codes.
  public static func listRow(_ firm: Enterprise, divisions: Divisions = .bundled, industries: Industries = .bundled)
    -> Fields
  {
    Fields([
      ("credit_code", .text(firm.creditCode.value)),
      ("name", .text(firm.name)),
      ("region_code", .text(firm.regionCode)),
      ("region", .text(divisions.fullName(of: firm.regionCode))),
      ("industry_code", .text(firm.industryCode)),
      ("industry", .text(industries.lookup(firm.industryCode)?.name ?? "")),
      ("permit_class", .text(firm.permitClass?.rawValue ?? "unknown")),
      ("grade", .text(firm.grade.rawValue)),
      ("status", .text(firm.status.rawValue)),
    ])
  }

  /// For people: a fact never supplied reads "unknown" (Conventions); JSON and CSV keep null.
  public static func unknownShown(_ record: Fields) -> Fields {
    var shown = record
    let facts: Set<String> = [
      EnterpriseField.keyDischargeUnit.rawValue, EnterpriseField.permitClass.rawValue,
      EnterpriseField.onlineMonitoring.rawValue,
    ]
    for (index, field) in shown.fields.enumerated() where facts.contains(field.key) && field.value == .null {
      shown.fields[index].value = .text("unknown")
    }
    return shown
  }

  /// The facts with the names of the codes and the key regions the firm lies in on `asOf`.
  public static func profileFacts(
    _ firm: Enterprise, asOf: Day, divisions: Divisions = .bundled, industries: Industries = .bundled
  ) -> Fields {
    var record = facts(firm)
    record.append("region", .text(divisions.fullName(of: firm.regionCode)))
    record.append("industry", .text(industries.lookup(firm.industryCode)?.name ?? ""))
    let sets = KeyRegions.membership(of: firm.regionCode, on: asOf)
    record.append("key_regions", .text(sets.map(\.name).joined(separator: ", ")))
    return record
  }
}

extension Report {
  public static func designation(_ d: DesignationFact, reference: String) -> Fields {
    Fields([
      ("kind", .text(d.kind.rawValue)), ("granted_by", .text(d.grantedBy)), ("valid_from", .day(d.validFrom)),
      ("valid_until", .optional(d.validUntil)), ("reference", .text(reference)),
    ])
  }

  public static func incident(_ i: IncidentFact, note: String) -> Fields {
    Fields([
      ("kind", .text(i.kind.rawValue)), ("occurred_on", .day(i.occurredOn)), ("reference", .text(i.reference)),
      ("note", .text(note)),
    ])
  }

  /// A verdict with its trace: the JSON contract of `envreg eligibility`.
  public static func verdict(_ verdict: Verdict, firm: Enterprise) -> Fields {
    Fields([
      ("credit_code", .text(firm.creditCode.value)), ("name", .text(firm.name)), ("list", .text(verdict.list.rawValue)),
      ("as_of", .day(verdict.asOf)), ("status", .text(verdict.status.rawValue)),
      ("categories", .list(verdict.categories.map(Value.text))),
      ("trace", .list(verdict.trace.map { .record($0.fields) })),
    ])
  }
}
