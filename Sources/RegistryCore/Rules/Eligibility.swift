/// The verdict of a positive-list check, with its trace.
public struct Verdict: Sendable {
  public enum Status: String, Sendable {
    case eligible, ineligible
    /// A fact a condition needs is missing: never read as eligible.
    case undetermined
  }

  public var list: PositiveList
  public var asOf: Day
  public var status: Status
  /// The categories that hold (rule ids), e.g. `["EX-C7"]`.
  public var categories: [String]
  public var trace: [TraceLine]

  /// The lines that keep the firm off the list (failed conditions, applying exclusions) or leave
  /// the answer open (unknowns).
  /// The status of a trace (exclusions override inclusions): a failing gate or applying exclusion
  /// makes it ineligible; else no category holding makes it ineligible, or undetermined when a
  /// category is unknown; else an unknown gate leaves it undetermined.
  public static func status(of trace: [TraceLine]) -> Status {
    var holds = false, gateFails = false, gateUnknown = false, categoryUnknown = false
    for line in trace {
      switch (line.kind, line.outcome) {
      case (.category, .pass): holds = true
      case (.category, .unknown): categoryUnknown = true
      case (.category, _): break
      case (_, .fail): gateFails = true
      case (_, .unknown): gateUnknown = true
      default: break
      }
    }
    if gateFails { return .ineligible }
    if !holds { return categoryUnknown ? .undetermined : .ineligible }
    return gateUnknown ? .undetermined : .eligible
  }

  public var blocking: [TraceLine] {
    trace.filter { ($0.kind != .category && $0.outcome != .pass) }
  }
}

/// Evaluates a firm for a positive list on `asOf` (RULES §3 for the inspection-exemption list,
/// §4 for the EIA green channel). Every category, condition and exclusion is evaluated and traced
/// (no short-circuit); exclusions override inclusions; a missing fact gives `undetermined`.
///
/// With `traced: false` the outcomes and the status are the same but the trace text is left empty:
/// the registry-wide review sweep evaluates every firm that way and re-evaluates only its findings
/// with the trace. One set of rules serves both.
public func eligibility(_ facts: FirmFacts, for list: PositiveList, policy: PolicyBook, asOf: Day, traced: Bool = true)
  -> Verdict
{
  var rules = RuleContext(facts: facts, policy: policy, asOf: asOf, traced: traced)
  let trace: [TraceLine]
  switch list {
  case .inspectionExemption: trace = rules.inspectionExemption() + rules.codeOverrideWarning()
  case .eiaGreenChannel: trace = rules.eiaGreenChannel() + rules.codeOverrideWarning()
  }
  let categories = trace.filter { $0.kind == .category && $0.outcome == .pass }.map(\.rule)
  return Verdict(list: list, asOf: asOf, status: Verdict.status(of: trace), categories: categories, trace: trace)
}

/// The rules, with helpers that read parameters and write trace lines.
struct RuleContext {
  let facts: FirmFacts
  let policy: PolicyBook
  let asOf: Day
  let traced: Bool
  var firm: Enterprise { facts.enterprise }

  init(facts: FirmFacts, policy: PolicyBook, asOf: Day, traced: Bool) {
    self.facts = facts
    self.policy = policy
    self.asOf = asOf
    self.traced = traced
  }

  /// A trace line; its text is only built when the verdict is traced.
  func line(
    _ rule: String, _ kind: TraceLine.Kind, _ description: @autoclosure () -> String, fact: @autoclosure () -> String,
    threshold: @autoclosure () -> String, outcome: TraceLine.Outcome, clause: @autoclosure () -> String
  ) -> TraceLine {
    guard traced else { return TraceLine(rule, kind, outcome: outcome) }
    return TraceLine(
      rule, kind, description(), fact: fact(), threshold: threshold(), outcome: outcome, clause: clause())
  }

  func parameter(_ key: String) -> PolicyParameter? { policy.lookup(key, region: firm.regionCode, asOf: asOf) }

  func clause(_ parameters: PolicyParameter?...) -> String {
    let found = parameters.compactMap { $0 }
    guard let first = found.first else { return "" }
    let versions = found.map { "\($0.key)@\($0.jurisdiction) from \($0.effectiveFrom)" }.joined(separator: ", ")
    return "\(first.reference) [\(versions)]"
  }

  var industryFact: String {
    "\(firm.industryCode) \(Industries.bundled.lookup(firm.industryCode)?.name ?? "")"
  }

  /// The first code in `codes` that is a prefix of the firm's industry code.
  func industryMatch(_ codes: [String]) -> String? { codes.first { firm.industryCode.hasPrefix($0) } }

  func designationsInForce(_ kinds: [String]) -> [DesignationFact] {
    facts.designations.filter { kinds.contains($0.kind.rawValue) && $0.isInForce(asOf: asOf) }
  }

  func notInForce(_ rule: String, _ kind: TraceLine.Kind, _ description: String, key: String) -> TraceLine {
    line(
      rule, kind, description, fact: "-", threshold: "\(key) not in force on \(asOf)", outcome: .notInForce, clause: "")
  }

  // MARK: Shared rules

  /// A category established by a designation in force on the date.
  func designationCategory(_ rule: String, _ description: String, key: String) -> TraceLine {
    guard let kinds = parameter(key) else { return notInForce(rule, .category, description, key: key) }
    let found = designationsInForce(kinds.value.codes ?? [])
    return line(
      rule, .category, description,
      fact: found.isEmpty
        ? "no such designation in force"
        : found.map { "\($0.kind.rawValue) by \($0.grantedBy) from \($0.validFrom)" }.joined(separator: "; "),
      threshold: "designation: \(kinds.value)", outcome: found.isEmpty ? .fail : .pass, clause: clause(kinds))
  }

  /// A category established by industry code prefixes.
  func industryCategory(_ rule: String, _ description: String, key: String) -> TraceLine {
    guard let codes = parameter(key) else { return notInForce(rule, .category, description, key: key) }
    let match = industryMatch(codes.value.codes ?? [])
    return line(
      rule, .category, description, fact: industryFact, threshold: "industry in \(codes.value)",
      outcome: match == nil ? .fail : .pass, clause: clause(codes))
  }

  /// EX-C8 / EIA-C4: chips by industry, biomedicine by industry and process, components and
  /// materials by designation.
  func supplyChainCategory(_ rule: String, prefix: String) -> TraceLine {
    let description =
      """
      supply-chain choke point: IC, biomedicine (not fermentation or chemical synthesis), key components, special \
      materials
      """
    let chips = parameter("\(prefix).industries"), bio = parameter("\(prefix).biomedicine"),
      designated = parameter("\(prefix).designations")
    guard chips != nil || bio != nil || designated != nil else {
      return notInForce(rule, .category, description, key: "\(prefix).*")
    }
    func threshold() -> String {
      "industry in \(chips?.value.description ?? "-"); or \(bio?.value.description ?? "-") with process not fermentation/chemical-synthesis; or designation \(designated?.value.description ?? "-")"
    }
    func lineClause() -> String { clause(chips, bio, designated) }
    if let chips, industryMatch(chips.value.codes ?? []) != nil {
      return line(
        rule, .category, description, fact: industryFact, threshold: threshold(), outcome: .pass, clause: lineClause())
    }
    if let designated, let found = designationsInForce(designated.value.codes ?? []).first {
      return line(
        rule, .category, description, fact: "\(found.kind.rawValue) by \(found.grantedBy) from \(found.validFrom)",
        threshold: threshold(), outcome: .pass, clause: lineClause())
    }
    if let bio, industryMatch(bio.value.codes ?? []) != nil {
      let fact = "\(industryFact), process \(firm.process.rawValue)"
      switch firm.process {
      case .unknown:
        return line(
          rule, .category, description, fact: fact, threshold: threshold(), outcome: .unknown, clause: lineClause())
      case .fermentation, .chemicalSynthesis:
        return line(
          rule, .category, description, fact: fact, threshold: threshold(), outcome: .fail, clause: lineClause())
      default:
        return line(
          rule, .category, description, fact: fact, threshold: threshold(), outcome: .pass, clause: lineClause())
      }
    }
    return line(
      rule, .category, description, fact: industryFact, threshold: threshold(), outcome: .fail, clause: lineClause())
  }

  /// ID-7: a code registered by override carries its warning in every trace (a passing line: the
  /// override does not decide eligibility, it is shown wherever the firm is judged).
  func codeOverrideWarning() -> [TraceLine] {
    guard let reason = firm.codeOverride else { return [] }
    return [
      line(
        "ID-7", .condition, "credit code registered by an audited override: its check character does not verify",
        fact: "\(firm.creditCode.value); \(reason)", threshold: "recorded with who, when and why", outcome: .pass,
        clause: "RULES ID-7; GB 32100-2015")
    ]
  }

  func activeInRegistry(_ rule: String) -> TraceLine {
    let active = firm.status == .active && (firm.closedOn.map { asOf < $0 } ?? true)
    return line(
      rule, .condition, "registered and not deregistered",
      fact: firm.status == .active ? "active" : "deregistered on \(firm.closedOn?.description ?? "?")",
      threshold: "active", outcome: active ? .pass : .fail, clause: "RULES §3 membership")
  }

  /// A firm revoked for a serious violation cannot be re-admitted within the bar (RULES §3).
  func reentryBar(_ rule: String, list: PositiveList) -> TraceLine {
    let key = "\(list.prefix).reentry_bar.years"
    guard let bar = parameter(key), let years = bar.value.integer else {
      return notInForce(rule, .condition, "re-entry bar after revocation for a serious violation", key: key)
    }
    let barred = facts.memberships.filter { $0.list == list && $0.seriousViolation }.compactMap(\.revokedOn).filter {
      $0 <= asOf && asOf < $0.adding(years: years)
    }
    return line(
      rule, .condition, "not revoked for a serious violation within the re-entry bar",
      fact: barred.max().map { "revoked for a serious violation on \($0)" }
        ?? "no revocation for a serious violation within \(years) y", threshold: "\(years) years",
      outcome: barred.isEmpty ? .pass : .fail, clause: clause(bar))
  }

  /// No event of a kind in the look-back window (RULES conventions: D minus N years excluded).
  func lookBack(_ rule: String, _ kind: TraceLine.Kind, _ description: String, key: String, events: [Day]) -> TraceLine
  {
    guard let parameter = parameter(key), let years = parameter.value.integer else {
      return notInForce(rule, kind, description, key: key)
    }
    let window = lookBackWindow(years: years, endingOn: asOf)
    let inWindow = events.filter { window.contains($0) }
    return line(
      rule, kind, description,
      fact: inWindow.max().map { "\(inWindow.count) in window, latest \($0)" }
        ?? (events.isEmpty ? "none on record" : "none in window (latest \(events.max()?.description ?? ""))"),
      threshold: "none in \(window.lowerBound) … \(window.upperBound) (\(years) y)",
      outcome: inWindow.isEmpty ? .pass : .fail, clause: clause(parameter))
  }

  // MARK: §3 inspection-exemption list

  mutating func inspectionExemption() -> [TraceLine] {
    var lines: [TraceLine] = []
    lines.reserveCapacity(18)
    lines.append(designationCategory("EX-C1", "epidemic-prevention supplies (医疗卫生、物资生产)", key: "ex.c1.designations"))
    lines.append(livelihood())
    lines.append(designationCategory("EX-C3", "low pollution, high employment", key: "ex.c3.designations"))
    lines.append(designationCategory("EX-C4", "major project (重大工程)", key: "ex.c4.designations"))
    lines.append(designationCategory("EX-C5", "key sector (重点领域)", key: "ex.c5.designations"))
    lines.append(monitoringCategory())
    lines.append(industryCategory("EX-C7", "food and energy: 种植业, 畜牧业, clean energy, nuclear", key: "ex.c7.industries"))
    lines.append(supplyChainCategory("EX-C8", prefix: "ex.c8"))

    lines.append(activeInRegistry("EX-M0"))
    lines.append(
      lookBack(
        "EX-K1", .condition, "no environmental administrative penalty in the look-back window", key: "ex.k1.years",
        events: facts.penaltiesDecided))
    lines.append(
      lookBack(
        "EX-K2", .condition, "no environmental emergency incident in the look-back window", key: "ex.k2.years",
        events: facts.incidents.filter { $0.kind == .emergency }.map(\.occurredOn)))
    lines.append(monitoringNetworked())
    lines.append(permitHeld())
    lines.append(creditRating())
    lines.append(reentryBar("EX-M1", list: .inspectionExemption))

    lines.append(facilityExclusion())
    lines.append(yangtzeExclusion())
    lines.append(
      lookBack(
        "EX-X3", .exclusion, "environmental crime record within the window", key: "ex.x3.years",
        events: facts.incidents.filter { $0.kind == .crime }.map(\.occurredOn)))
    return lines
  }

  func livelihood() -> TraceLine {
    let description = "livelihood (民生保障): farming 031/032, food 13/14, power 44 (not coal-fired), gas 45"
    guard let codes = parameter("ex.c2.industries") else {
      return notInForce("EX-C2", .category, description, key: "ex.c2.industries")
    }
    let excluded = parameter("ex.c2.excluded_fuels")
    func threshold() -> String { "industry in \(codes.value); 44 not fuelled by \(excluded?.value.description ?? "-")" }
    guard let match = industryMatch(codes.value.codes ?? []) else {
      return line(
        "EX-C2", .category, description, fact: industryFact, threshold: threshold(), outcome: .fail,
        clause: clause(codes, excluded))
    }
    var outcome = TraceLine.Outcome.pass
    if match == "44" {
      if firm.fuel == .unknown { outcome = .unknown }
      if (excluded?.value.codes ?? []).contains(firm.fuel.rawValue) { outcome = .fail }
    }
    return line(
      "EX-C2", .category, description, fact: "\(industryFact), fuel \(firm.fuel.rawValue)", threshold: threshold(),
      outcome: outcome, clause: clause(codes, excluded))
  }

  func monitoringCategory() -> TraceLine {
    let description = "online monitoring installed, networked and running"
    guard let states = parameter("ex.c6.monitoring") else {
      return notInForce("EX-C6", .category, description, key: "ex.c6.monitoring")
    }
    guard let monitoring = firm.onlineMonitoring else {
      return line(
        "EX-C6", .category, description, fact: "online monitoring unknown (never supplied)",
        threshold: "monitoring \(states.value)", outcome: .unknown, clause: clause(states))
    }
    let holds = (states.value.codes ?? []).contains(monitoring.rawValue)
    return line(
      "EX-C6", .category, description, fact: "online monitoring \(monitoring.rawValue)",
      threshold: "monitoring \(states.value)", outcome: holds ? .pass : .fail, clause: clause(states))
  }

  func monitoringNetworked() -> TraceLine {
    // Three-valued: the condition applies when either fact says so, does not when both say not,
    // and is unknown otherwise; networked monitoring passes whatever applies.
    let applies: Bool? =
      firm.keyDischargeUnit == true || firm.permitClass == .key
      ? true
      : (firm.keyDischargeUnit == false && firm.permitClass != nil ? false : nil)
    let outcome: TraceLine.Outcome
    switch (applies, firm.onlineMonitoring) {
    case (_, .networked?), (false?, _): outcome = .pass
    case (true?, .some): outcome = .fail
    default: outcome = .unknown
    }
    let unit = firm.keyDischargeUnit.map { $0 ? "yes" : "no" } ?? "unknown"
    return line(
      "EX-K3", .condition, "a key discharge unit or 重点管理 holder has online monitoring networked",
      fact:
        "key discharge unit \(unit), permit class \(firm.permitClass?.rawValue ?? "unknown"), monitoring \(firm.onlineMonitoring?.rawValue ?? "unknown")",
      threshold: applies.map { $0 ? "networked" : "not applicable" } ?? "networked if it applies", outcome: outcome,
      clause: "排污许可管理条例 art. 20")
  }

  func permitHeld() -> TraceLine {
    let description = "holds a permit valid on the date (a deferral counts); 登记管理 needs a registration"
    let valid = facts.permits.filter { $0.isValid(asOf: asOf) }
    let held: [PermitFact]
    switch firm.permitClass {
    case nil:
      return line(
        "EX-K4", .condition, description, fact: "permit class unknown (never supplied)",
        threshold: "a permit valid on \(asOf) if the class needs one", outcome: .unknown,
        clause: "排污许可管理条例 arts. 2, 14, 24")
    case .none?:
      return line(
        "EX-K4", .condition, description, fact: "permit class none (not under permit management)",
        threshold: "not applicable", outcome: .pass, clause: "排污许可管理条例 arts. 2, 14, 24")
    case .registration?: held = valid
    case .key?, .simplified?: held = valid.filter { $0.permitClass != .registration }
    }
    func fact() -> String {
      if let permit = held.first {
        return "\(permit.number) valid \(permit.validFrom) … \(permit.validTo)"
          + (permit.deferredUntil(asOf: asOf).map { ", deferred to \($0)" } ?? "")
      }
      if let latest = facts.permits.max(by: { $0.validTo < $1.validTo }) {
        return "no valid permit; latest \(latest.number) valid to \(latest.validTo)"
      }
      return "no permit on record"
    }
    return line(
      "EX-K4", .condition, description, fact: fact(),
      threshold: firm.permitClass == .registration
        ? "a registration valid on \(asOf)" : "a 重点/简化 permit valid on \(asOf)",
      outcome: held.isEmpty ? .fail : .pass, clause: "排污许可管理条例 arts. 2, 14, 24")
  }

  func creditRating() -> TraceLine {
    let description = "environmental credit rating is not 警示 (yellow) or 不良 (red)"
    guard let bad = parameter("ex.k5.ratings") else {
      return notInForce("EX-K5", .condition, description, key: "ex.k5.ratings")
    }
    let fails = (bad.value.codes ?? []).contains(firm.creditRating.rawValue)
    return line(
      "EX-K5", .condition, description, fact: "\(firm.creditRating.rawValue) (\(firm.creditRating.label))",
      threshold: "not \(bad.value)", outcome: fails ? .fail : .pass, clause: clause(bad))
  }

  func facilityExclusion() -> TraceLine {
    let description =
      "facility type: MSW incineration, hazardous or medical waste, centralised or park wastewater treatment"
    let types = parameter("ex.x1.facility_types"), industries = parameter("ex.x1.industries")
    guard types != nil || industries != nil else { return notInForce("EX-X1", .exclusion, description, key: "ex.x1.*") }
    let byType = (types?.value.codes ?? []).contains(firm.facilityType.rawValue)
    let byIndustry = industryMatch(industries?.value.codes ?? []) != nil
    return line(
      "EX-X1", .exclusion, description, fact: "facility \(firm.facilityType.rawValue), \(industryFact)",
      threshold: "facility in \(types?.value.description ?? "-") or industry \(industries?.value.description ?? "-")",
      outcome: byType || byIndustry ? .fail : .pass, clause: clause(types, industries))
  }

  func yangtzeExclusion() -> TraceLine {
    let description = "chemical (26) or paper (22) plant within 1 km of the Yangtze main stem or a major tributary"
    guard let industries = parameter("ex.x2.industries") else {
      return notInForce("EX-X2", .exclusion, description, key: "ex.x2.industries")
    }
    let isPlant = industryMatch(industries.value.codes ?? []) != nil
    func near() -> String { firm.nearYangtze.map { $0 ? "within 1 km" : "not within 1 km" } ?? "distance not surveyed" }
    let outcome: TraceLine.Outcome = !isPlant ? .pass : (firm.nearYangtze.map { $0 ? .fail : .pass } ?? .unknown)
    return line(
      "EX-X2", .exclusion, description, fact: "\(industryFact), \(near())",
      threshold: "industry in \(industries.value) and within 1 km", outcome: outcome, clause: clause(industries))
  }

  // MARK: §4 EIA green channel

  mutating func eiaGreenChannel() -> [TraceLine] {
    var lines: [TraceLine] = []
    lines.reserveCapacity(7)
    lines.append(
      designationCategory(
        "EIA-C1", "projects urgently needed for epidemic prevention (医疗卫生、物资生产、研究试验)", key: "eia.c1.designations"))
    lines.append(
      designationCategory("EIA-C2", "major projects (national and provincial key projects)", key: "eia.c2.designations")
    )
    lines.append(industryCategory("EIA-C3", "畜牧业, 种植业, clean energy, nuclear", key: "eia.c3.industries"))
    lines.append(supplyChainCategory("EIA-C4", prefix: "eia.c4"))
    lines.append(activeInRegistry("EIA-M0"))
    lines.append(reentryBar("EIA-M1", list: .eiaGreenChannel))
    lines.append(eiaExclusion())
    return lines
  }

  func eiaExclusion() -> TraceLine {
    let description = "project in an environmentally sensitive area, or electroplating (3360 with plating process)"
    let sensitive = parameter("eia.x1.designations"), plating = parameter("eia.x1.electroplating")
    guard sensitive != nil || plating != nil else {
      return notInForce("EIA-X1", .exclusion, description, key: "eia.x1.*")
    }
    let inArea = !designationsInForce(sensitive?.value.codes ?? []).isEmpty
    let isPlatingIndustry = industryMatch(plating?.value.codes ?? []) != nil
    var outcome = TraceLine.Outcome.pass
    if inArea || (isPlatingIndustry && firm.process == .electroplating) {
      outcome = .fail
    } else if isPlatingIndustry && firm.process == .unknown {
      outcome = .unknown
    }
    return line(
      "EIA-X1", .exclusion, description,
      fact:
        "\(inArea ? "in a sensitive area" : "no sensitive-area designation"), \(industryFact), process \(firm.process.rawValue)",
      threshold:
        "sensitive-area designation, or industry \(plating?.value.description ?? "-") with process electroplating",
      outcome: outcome, clause: clause(sensitive, plating))
  }
}

/// What admitting a firm to a positive list records: the verdict with its trace, the category, the
/// validity, and the override reason when the firm was admitted although not eligible.
public struct Admission: Sendable {
  public var verdict: Verdict
  public var category: String
  public var validUntil: Day
  public var overrideReason: String?
}

public enum AdmissionRules {
  /// Admission to `list` on `day` (the lists' membership rules): refused when the firm is already a
  /// member that day, or not eligible without an override reason, or when no membership validity
  /// (`<list>.membership.years`) is in force for its region. Throws the refusal with the failing
  /// conditions.
  public static func admission(
    _ facts: FirmFacts, to list: PositiveList, on day: Day, overrideReason: String?, policy: PolicyBook
  ) throws -> Admission {
    let firm = facts.enterprise
    let code = firm.creditCode.value
    if facts.memberships.contains(where: { $0.list == list && $0.isMember(asOf: day) }) {
      throw RegistryError.refused(
        "\(code) is already a member of \(list.rawValue) on \(day); see 'envreg lists members --list \(list.rawValue)'."
      )
    }
    let verdict = eligibility(facts, for: list, policy: policy, asOf: day)
    let reason = overrideReason?.trimmingSpaces()
    if verdict.status != .eligible, reason?.isEmpty ?? true {
      let why =
        verdict.blocking.isEmpty
        ? ["no category holds"] : verdict.blocking.map { "\($0.rule) \($0.reading): \($0.fact)" }
      throw RegistryError.refused(
        "\(code) \(firm.name) is \(verdict.status.rawValue) for \(list.rawValue) on \(day):\n"
          + why.map { "\t- \($0)" }.joined(separator: "\n")
          + "\nRun 'envreg eligibility \(code) --list \(list.rawValue) --as-of \(day)' for the whole trace, or admit with --override --reason TEXT."
      )
    }
    guard
      let years = policy.lookup("\(list.prefix).membership.years", region: firm.regionCode, asOf: day)?.value.integer
    else {
      throw RegistryError.refused(
        "No membership validity (\(list.prefix).membership.years) is in force on \(day) for region \(firm.regionCode)."
      )
    }
    var category = verdict.categories.joined(separator: ",")
    if verdict.status != .eligible { category = category.isEmpty ? "override" : category + " (override)" }
    return Admission(
      verdict: verdict, category: category, validUntil: day.adding(years: years), overrideReason: reason)
  }
}
