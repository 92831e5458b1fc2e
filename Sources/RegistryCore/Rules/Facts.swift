/// Everything the rules need to know about one firm, read from the registry. Rules are pure
/// functions of these facts, the parameters and a date.
public struct FirmFacts: Sendable {
  public var enterprise: Enterprise
  public var designations: [DesignationFact] = []
  public var incidents: [IncidentFact] = []
  /// Environmental administrative penalties: dates decided (fines and recorded penalty incidents).
  public var penaltiesDecided: [Day] = []
  public var permits: [PermitFact] = []
  public var memberships: [MembershipFact] = []

  public init(enterprise: Enterprise) { self.enterprise = enterprise }
}

public enum DesignationKind: String, Vocabulary {
  case epidemicSupplier = "epidemic-supplier", livelihood, lowPollutionHighEmployment = "low-pollution-high-employment"
  case majorProject = "major-project", keySector = "key-sector", keyComponent = "key-component"
  case specialMaterial = "special-material", epidemicEIAProject = "epidemic-eia-project", sensitiveArea =
    "sensitive-area"
  /// 保障类 of the heavy-pollution-weather list (HW-7): 以热定产/以量定产 instead of the graded measure.
  case weatherGuarantee = "weather-guarantee"

  public var label: String {
    switch self {
    case .epidemicSupplier: "疫情防控物资生产"
    case .livelihood: "民生保障"
    case .lowPollutionHighEmployment: "污染小吸纳就业能力强"
    case .majorProject: "重大工程"
    case .keySector: "重点领域"
    case .keyComponent: "关键零部件"
    case .specialMaterial: "特殊材料"
    case .epidemicEIAProject: "疫情防控急需项目"
    case .sensitiveArea: "环境敏感区"
    case .weatherGuarantee: "重污染天气保障类"
    }
  }
}

public struct DesignationFact: Sendable, Hashable {
  public var kind: DesignationKind
  public var grantedBy: String
  public var validFrom: Day
  public var validUntil: Day?

  public init(kind: DesignationKind, grantedBy: String, validFrom: Day, validUntil: Day? = nil) {
    self.kind = kind
    self.grantedBy = grantedBy
    self.validFrom = validFrom
    self.validUntil = validUntil
  }

  /// A designation's period ends no earlier than it starts (`field` names the end as the caller
  /// calls it: `until` on the command line, `valid_until` in a file).
  public func periodProblem(field: String = "until") -> FieldProblem? {
    guard let until = validUntil, until < validFrom else { return nil }
    return FieldProblem(field: field, value: until.description, reason: "is before the start \(validFrom)")
  }

  public func isInForce(asOf day: Day) -> Bool { validFrom <= day && (validUntil.map { day <= $0 } ?? true) }
}

public enum IncidentKind: String, Vocabulary {
  case emergency, crime, seriousViolation = "serious-violation", penalty
  public var label: String {
    switch self {
    case .emergency: "突发环境事件"
    case .crime: "环境犯罪"
    case .seriousViolation: "严重环境违法"
    case .penalty: "环境行政处罚"
    }
  }
}

public struct IncidentFact: Sendable, Hashable {
  public var kind: IncidentKind
  public var occurredOn: Day
  public var reference: String

  public init(kind: IncidentKind, occurredOn: Day, reference: String = "") {
    self.kind = kind
    self.occurredOn = occurredOn
    self.reference = reference
  }
}

/// A permit as the eligibility rules see it.
public struct PermitFact: Sendable, Hashable {
  public var number: String
  public var permitClass: PermitClass
  public var validFrom: Day
  public var validTo: Day
  /// Epidemic deferrals (PM-3): each counts only from the day it was granted (Conventions).
  public var deferrals: [(grantedOn: Day, until: Day)]
  /// Cancelled or revoked on this date.
  public var endedOn: Day?
  /// Issued on this date; before it the permit did not exist.
  public var issuedOn: Day?

  public init(
    number: String, permitClass: PermitClass, validFrom: Day, validTo: Day,
    deferrals: [(grantedOn: Day, until: Day)] = [], endedOn: Day? = nil, issuedOn: Day? = nil
  ) {
    self.number = number
    self.permitClass = permitClass
    self.validFrom = validFrom
    self.validTo = validTo
    self.deferrals = deferrals
    self.endedOn = endedOn
    self.issuedOn = issuedOn
  }

  /// The end of the deferrals granted by `day`, if any.
  public func deferredUntil(asOf day: Day) -> Day? { deferrals.filter { $0.grantedOn <= day }.map(\.until).max() }

  /// Valid on `day`, a deferral granted by then counting as valid (EX-K4, PM-3).
  public func isValid(asOf day: Day) -> Bool {
    if let endedOn, endedOn <= day { return false }
    if let issuedOn, issuedOn > day { return false }
    return validFrom <= day && (day <= validTo || deferredUntil(asOf: day).map { day <= $0 } ?? false)
  }

  public static func == (lhs: PermitFact, rhs: PermitFact) -> Bool {
    (lhs.number, lhs.permitClass, lhs.validFrom, lhs.validTo, lhs.endedOn, lhs.issuedOn) == (
      rhs.number, rhs.permitClass, rhs.validFrom, rhs.validTo, rhs.endedOn, rhs.issuedOn
    )
      && lhs.deferrals.map(\.grantedOn) == rhs.deferrals.map(\.grantedOn)
      && lhs.deferrals.map(\.until) == rhs.deferrals.map(\.until)
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(number)
    hasher.combine(validTo)
  }
}

public enum PositiveList: String, Vocabulary {
  case inspectionExemption = "inspection-exemption", eiaGreenChannel = "eia-green-channel"
  public var label: String { self == .inspectionExemption ? "监督执法正面清单" : "环评审批正面清单" }
  /// Parameter-key prefix.
  public var prefix: String { self == .inspectionExemption ? "ex" : "eia" }
}

public struct MembershipFact: Sendable, Hashable {
  public var list: PositiveList
  public var admittedOn: Day
  public var validUntil: Day
  public var revokedOn: Day?
  public var seriousViolation: Bool

  public init(
    list: PositiveList, admittedOn: Day, validUntil: Day, revokedOn: Day? = nil, seriousViolation: Bool = false
  ) {
    self.list = list
    self.admittedOn = admittedOn
    self.validUntil = validUntil
    self.revokedOn = revokedOn
    self.seriousViolation = seriousViolation
  }

  /// A member on `day`: admitted, not expired, not revoked.
  public func isMember(asOf day: Day) -> Bool {
    admittedOn <= day && day <= validUntil && (revokedOn.map { day < $0 } ?? true)
  }
}
