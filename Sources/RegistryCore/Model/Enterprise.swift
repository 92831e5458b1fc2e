/// An enterprise's facts: one record per unified social credit code.
public struct Enterprise: Sendable, Hashable {
  public var creditCode: CreditCode
  public var name: String
  public var regionCode: String
  public var industryCode: String
  public var process: ProductionProcess = .unknown
  public var fuel: Fuel = .unknown
  public var address: String = ""
  public var legalRep: String = ""
  public var contact: String = ""
  /// Facts never supplied are unknown (`nil`), never "no" or "none" (Conventions): every rule that
  /// reads them says unknown.
  public var keyDischargeUnit: Bool?
  public var permitClass: PermitClass?
  public var onlineMonitoring: OnlineMonitoring?
  public var grade: PerformanceGrade = .unrated
  public var creditRating: CreditRating = .unrated
  public var facilityType: FacilityType = .none
  /// Within 1 km of the Yangtze main stem or a major tributary; `nil` when not surveyed.
  public var nearYangtze: Bool?
  public var registeredOn: Day
  public var status: EnterpriseStatus = .active
  public var closedOn: Day?
  public var closedReason: String?
  /// ID-7: why a code whose only error is its check character was registered (audited); `nil`
  /// when the code conforms. The warning stays on the firm and in every trace.
  public var codeOverride: String?

  public init(creditCode: CreditCode, name: String, regionCode: String, industryCode: String, registeredOn: Day) {
    self.creditCode = creditCode
    self.name = name
    self.regionCode = regionCode
    self.industryCode = industryCode
    self.registeredOn = registeredOn
  }

  /// The value of one field as text, in its stored form.
  public subscript(field: EnterpriseField) -> String {
    switch field {
    case .creditCode: creditCode.value
    case .name: name
    case .regionCode: regionCode
    case .industryCode: industryCode
    case .process: process.rawValue
    case .fuel: fuel.rawValue
    case .address: address
    case .legalRep: legalRep
    case .contact: contact
    case .keyDischargeUnit: keyDischargeUnit.map { $0 ? "1" : "0" } ?? ""
    case .permitClass: permitClass?.rawValue ?? ""
    case .onlineMonitoring: onlineMonitoring?.rawValue ?? ""
    case .grade: grade.rawValue
    case .creditRating: creditRating.rawValue
    case .facilityType: facilityType.rawValue
    case .nearYangtze: nearYangtze.map { $0 ? "1" : "0" } ?? ""
    case .registeredOn: registeredOn.description
    }
  }

  /// The fields whose values differ from `other`, in field order.
  public func changedFields(from other: Enterprise) -> [EnterpriseField] {
    EnterpriseField.allCases.filter { self[$0] != other[$0] }
  }
}

/// The fields of an enterprise that users set, with their CSV header names (English and Chinese).
public enum EnterpriseField: String, CaseIterable, Sendable, Codable {
  case creditCode = "credit_code"
  case name
  case regionCode = "region_code"
  case industryCode = "industry_code"
  case process
  case fuel
  case address
  case legalRep = "legal_rep"
  case contact
  case keyDischargeUnit = "key_discharge_unit"
  case permitClass = "permit_class"
  case onlineMonitoring = "online_monitoring"
  case grade
  case creditRating = "credit_rating"
  case facilityType = "facility_type"
  case nearYangtze = "near_yangtze"
  case registeredOn = "registered_on"

  /// The Chinese header bureaus use in their spreadsheets.
  public var chineseHeader: String {
    switch self {
    case .creditCode: "统一社会信用代码"
    case .name: "企业名称"
    case .regionCode: "行政区划代码"
    case .industryCode: "行业代码"
    case .process: "生产工艺"
    case .fuel: "燃料类型"
    case .address: "生产经营场所地址"
    case .legalRep: "法定代表人"
    case .contact: "联系方式"
    case .keyDischargeUnit: "重点排污单位"
    case .permitClass: "排污许可管理类别"
    case .onlineMonitoring: "在线监测"
    case .grade: "绩效分级"
    case .creditRating: "环境信用评价"
    case .facilityType: "设施类型"
    case .nearYangtze: "长江干支流1公里内"
    case .registeredOn: "登记日期"
    }
  }

  /// Other header spellings accepted on import.
  var headerAliases: [String] {
    switch self {
    case .creditCode: ["信用代码", "社会信用代码", "uscc"]
    case .name: ["单位名称", "名称"]
    case .regionCode: ["区划代码", "所在地代码", "region", "所在区县", "所在地", "所属区县", "行政区划"]
    case .industryCode: ["行业类别代码", "国民经济行业代码", "industry", "行业", "行业类别", "所属行业"]
    case .address: ["地址", "注册地址"]
    case .legalRep: ["法人代表", "legal_representative"]
    case .contact: ["联系电话", "联系人"]
    case .permitClass: ["许可管理类别", "管理类别"]
    case .onlineMonitoring: ["在线监控"]
    case .grade: ["绩效等级", "performance_grade"]
    case .creditRating: ["信用评价", "信用等级"]
    case .nearYangtze: ["沿江1公里", "near_yangtze_1km"]
    default: []
    }
  }

  /// Required for a new enterprise.
  public var isRequired: Bool { [.creditCode, .name, .regionCode, .industryCode].contains(self) }

  /// Changes to these facts are the ones RULES PM-6 checks for a permit change filing.
  public var needsPermitChangeFiling: Bool { [.name, .address, .legalRep].contains(self) }

  /// Maps a header cell (English or Chinese, any case, surrounding spaces ignored) to a field.
  public static func forHeader(_ header: String) -> EnterpriseField? {
    let key = normaliseWidth(header).trimmingSpaces().lowercased().replacingOccurrences(" ", with: "_")
    return allCases.first { $0.rawValue == key || $0.chineseHeader == key || $0.headerAliases.contains(key) }
  }
}

/// One reason a value was rejected: the field, the value and why, with the fix where there is one.
public struct FieldProblem: Error, Hashable, Sendable, CustomStringConvertible {
  public let field: String
  public let value: String
  public let reason: String

  public init(field: String, value: String, reason: String) {
    self.field = field
    self.value = value
    self.reason = reason
  }

  public var description: String { "\(field) \(value.quoted): \(reason)" }

  /// The problem in `language`: in Chinese the field's name beside its key and the reason from the
  /// catalog.
  public func description(in language: Language) -> String {
    language == .zh ? Chinese.translate(description) : description
  }
}
