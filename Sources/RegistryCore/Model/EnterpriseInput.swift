/// User-supplied text for an enterprise's fields (from a CSV row or command-line options), and the
/// one validator that turns it into `Enterprise` facts. Import and `enterprise add/update` share it.
public struct EnterpriseInput: Sendable {
  private var slots: [String?]
  /// ID-7: register a code whose only error is its check character, for this reason (audited).
  public var codeOverride: String?

  public init() { slots = Array(repeating: nil, count: EnterpriseField.allCases.count) }

  public init(_ values: [EnterpriseField: String]) {
    self.init()
    for (field, value) in values { self[field] = value }
  }

  /// The raw text given for a field, or `nil` when the field was not given.
  public subscript(field: EnterpriseField) -> String? {
    get { slots[field.slot] }
    set { slots[field.slot] = newValue }
  }

  public var isEmpty: Bool { slots.allSatisfy { $0 == nil } }

  /// Validates every given field and applies it.
  ///
  /// - Parameters:
  ///   - existing: the current facts when updating; `nil` for a new enterprise, which then needs
  ///     every required field.
  ///   - today: the default `registered_on` of a new enterprise.
  ///   - blankKeepsValue: when true (imports), an empty cell means "not given" rather than "clear".
  /// - Returns: the facts and any warnings (ID-2, ID-3, abolished division), or every problem found.
  public func resolve(
    onto existing: Enterprise?, asOf: Day, blankKeepsValue: Bool = true,
    divisions: Divisions = .bundled, industries: Industries = .bundled
  ) -> Resolution {
    var problems: [FieldProblem] = []
    var warnings: [String] = []
    func given(_ field: EnterpriseField) -> String? {
      guard let raw = self[field] else { return nil }
      if blankKeepsValue, raw.trimmingSpaces().isEmpty { return nil }
      return raw
    }
    func problem(_ field: EnterpriseField, _ value: String, _ reason: String) {
      problems.append(FieldProblem(field: field.rawValue, value: value, reason: reason))
    }

    // Identity and the required facts.
    var code = existing?.creditCode
    if let raw = given(.creditCode) {
      switch codeOverride == nil ? CreditCode.parse(raw) : CreditCode.overridable(raw) {
      case .success(let parsed):
        if let existing, parsed != existing.creditCode {
          problem(
            .creditCode, raw, "the credit code of a registered enterprise cannot change; register the new code instead")
        }
        code = parsed
        if existing == nil { warnings += parsed.warnings(divisions: divisions) }
      case .failure(let error): problem(.creditCode, raw, error.reason)
      }
    }
    let name = text(.name, given(.name), maxLength: 200, problem) ?? existing?.name
    var regionCode = existing?.regionCode
    // The date the site's region is used: a new firm's registration date, else the effective date.
    let regionDay =
      (existing == nil ? given(.registeredOn).flatMap { Day.spreadsheet($0) } : nil) ?? asOf
    if let raw = given(.regionCode) {
      switch NamedCode.site(raw, on: regionDay, divisions: divisions) {
      case .found(let code): regionCode = code
      case .refused(let reason): problem(.regionCode, raw, reason)
      }
    }
    var industryCode = existing?.industryCode
    if let raw = given(.industryCode) {
      switch NamedCode.industryClass(raw, industries: industries) {
      case .found(let code): industryCode = code
      case .refused(let reason): problem(.industryCode, raw, reason)
      }
    }
    var registeredOn = existing?.registeredOn ?? asOf
    if let raw = given(.registeredOn) {
      if let day = Day.spreadsheet(raw) {
        registeredOn = day
      } else {
        problem(.registeredOn, raw, Day.spreadsheetRefusal(raw))
      }
    }
    if existing == nil {
      for field in EnterpriseField.allCases where field.isRequired && given(field) == nil {
        problem(field, "", "is required for a new enterprise")
      }
    }

    // Optional facts.
    let process: ProductionProcess? = vocabulary(.process, given(.process), problem)
    let fuel: Fuel? = vocabulary(.fuel, given(.fuel), problem)
    let permitClass: PermitClass? = vocabulary(.permitClass, given(.permitClass), problem)
    let monitoring: OnlineMonitoring? = vocabulary(.onlineMonitoring, given(.onlineMonitoring), problem)
    let grade: PerformanceGrade? = vocabulary(.grade, given(.grade), problem)
    let rating: CreditRating? = vocabulary(.creditRating, given(.creditRating), problem)
    let facility: FacilityType? = vocabulary(.facilityType, given(.facilityType), problem)
    let keyUnit = flag(.keyDischargeUnit, given(.keyDischargeUnit), problem)
    let nearYangtze = flag(.nearYangtze, given(.nearYangtze), problem, allowUnknown: true)
    let address = text(.address, given(.address), maxLength: 300, problem)
    let legalRep = text(.legalRep, given(.legalRep), maxLength: 100, problem)
    let contact = text(.contact, given(.contact), maxLength: 100, problem)

    guard problems.isEmpty, let code, let name, let regionCode, let industryCode else {
      return .invalid(problems)
    }
    var firm =
      existing
      ?? Enterprise(
        creditCode: code, name: name, regionCode: regionCode, industryCode: industryCode, registeredOn: registeredOn)
    firm.name = name
    firm.regionCode = regionCode
    firm.industryCode = industryCode
    firm.registeredOn = registeredOn
    if let process { firm.process = process }
    if let fuel { firm.fuel = fuel }
    if let permitClass { firm.permitClass = permitClass }
    if let monitoring { firm.onlineMonitoring = monitoring }
    if let grade { firm.grade = grade }
    if let rating { firm.creditRating = rating }
    if let facility { firm.facilityType = facility }
    if let keyUnit { firm.keyDischargeUnit = keyUnit }
    if let nearYangtze { firm.nearYangtze = nearYangtze }  // .some(nil): explicitly "unknown"
    if let address { firm.address = address }
    if let legalRep { firm.legalRep = legalRep }
    if let contact { firm.contact = contact }
    if existing == nil, let reason = codeOverride?.trimmingSpaces() {
      if let refusal = FreeText.refusal(reason, field: "reason") {
        return .invalid([FieldProblem(field: "reason", value: reason, reason: refusal)])
      }
      guard !reason.isEmpty else {
        return .invalid([
          FieldProblem(
            field: "reason", value: "",
            reason: "an ID-7 override needs a reason (who checked what, e.g. the 国家企业信用信息公示系统 record)")
        ])
      }
      if !firm.creditCode.conforms {
        firm.codeOverride = reason
        warnings.append(
          """
          credit code \(firm.creditCode.value.quoted): its check character does not verify; registered by an \
          audited override (ID-7): \(reason)
          """
        )
      }
    }
    return .valid(firm, warnings: warnings)
  }
}

/// The outcome of validating an `EnterpriseInput`.
public enum Resolution: Sendable {
  case valid(Enterprise, warnings: [String])
  case invalid([FieldProblem])
}

extension EnterpriseField {
  fileprivate var slot: Int {
    switch self {
    case .creditCode: 0
    case .name: 1
    case .regionCode: 2
    case .industryCode: 3
    case .process: 4
    case .fuel: 5
    case .address: 6
    case .legalRep: 7
    case .contact: 8
    case .keyDischargeUnit: 9
    case .permitClass: 10
    case .onlineMonitoring: 11
    case .grade: 12
    case .creditRating: 13
    case .facilityType: 14
    case .nearYangtze: 15
    case .registeredOn: 16
    }
  }
}

private func vocabulary<V: Vocabulary>(
  _ field: EnterpriseField, _ raw: String?, _ problem: (EnterpriseField, String, String) -> Void
) -> V? {
  guard let raw else { return nil }
  if let value = V.parse(raw) { return value }
  problem(field, raw, "is not one of: \(V.allowedValues)")
  return nil
}

private func flag(_ field: EnterpriseField, _ raw: String?, _ problem: (EnterpriseField, String, String) -> Void)
  -> Bool?
{
  flag(field, raw, problem, allowUnknown: false) ?? nil
}

/// Yes/no; with `allowUnknown`, also `unknown` (未知), returned as `.some(nil)`.
private func flag(
  _ field: EnterpriseField, _ raw: String?, _ problem: (EnterpriseField, String, String) -> Void, allowUnknown: Bool
) -> Bool?? {
  guard let raw else { return nil }
  guard let value = YesNo.parse(raw, allowUnknown: allowUnknown) else {
    problem(field, raw, YesNo.refusal(allowUnknown: allowUnknown))
    return nil
  }
  return value
}

/// Free text: trimmed, no control characters, bounded length. `nil` when not given or invalid.
private func text(
  _ field: EnterpriseField, _ raw: String?, maxLength: Int, _ problem: (EnterpriseField, String, String) -> Void
) -> String? {
  guard let raw else { return nil }
  let value = raw.trimmingSpaces()
  if field == .name, value.isEmpty {
    problem(field, raw, "must not be empty")
    return nil
  }
  if let refusal = FreeText.refusal(value, field: field.rawValue, maxLength: maxLength) {
    problem(field, raw, refusal)
    return nil
  }
  return value
}

/// The registration rules of a firm's record: what a new record, a change and a deregistration
/// must satisfy. Pure: the service applies them inside one storage transaction.
public enum EnterpriseRules {
  /// A new firm's facts from `input` (every field validated; ID-1..ID-7), with its warnings.
  public static func registration(_ input: EnterpriseInput, asOf: Day) throws -> (Enterprise, [String]) {
    switch input.resolve(onto: nil, asOf: asOf, blankKeepsValue: false) {
    case .valid(let firm, let warnings): return (firm, warnings)
    case .invalid(let problems): throw RegistryError.invalid(problems)
    }
  }

  /// The firm's facts after `input` is applied: refused on a deregistered firm (its facts are frozen)
  /// and when nothing would change. Returns the new facts and the fields that change.
  public static func change(_ old: Enterprise, _ input: EnterpriseInput, asOf: Day) throws -> (
    Enterprise, [EnterpriseField]
  ) {
    guard old.status == .active else {
      throw RegistryError.refused(
        "Enterprise \(old.creditCode.value) was deregistered on \(old.closedOn?.description ?? "?"); its facts are frozen."
      )
    }
    let new: Enterprise
    switch input.resolve(onto: old, asOf: asOf, blankKeepsValue: false) {
    case .valid(let firm, _): new = firm
    case .invalid(let problems): throw RegistryError.invalid(problems)
    }
    let changed = new.changedFields(from: old)
    guard !changed.isEmpty else {
      throw RegistryError.refused("Nothing to change: every value given equals the enterprise's current facts.")
    }
    return (new, changed)
  }

  /// The firm's facts once deregistered on `day` for `reason` (needed): refused when it is already
  /// deregistered or `day` is before its registration.
  public static func deregistration(_ old: Enterprise, on day: Day, reason: String) throws -> Enterprise {
    let reason = reason.trimmingSpaces()
    guard !reason.isEmpty else {
      throw RegistryError.invalid([FieldProblem(field: "reason", value: "", reason: "a deregistration needs a reason")])
    }
    guard old.status == .active else {
      throw RegistryError.refused(
        "Enterprise \(old.creditCode.value) is already deregistered (on \(old.closedOn?.description ?? "?")).")
    }
    guard day >= old.registeredOn else {
      throw RegistryError.refused(
        "Deregistration date \(day) is before the enterprise was registered (\(old.registeredOn)).")
    }
    var new = old
    new.status = .closed
    new.closedOn = day
    new.closedReason = reason
    return new
  }
}
