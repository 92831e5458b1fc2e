/// A closed set of values stored as stable English tokens and shown with their Chinese names.
/// Input accepts either form (case-insensitive for the tokens).
public protocol Vocabulary: RawRepresentable, CaseIterable, Sendable, Hashable, Codable where RawValue == String {
  /// The Chinese name bureaus use.
  var label: String { get }
  /// Further spellings accepted on input.
  static var aliases: [String: Self] { get }
}

extension Vocabulary {
  public static var aliases: [String: Self] { [:] }

  public static func parse(_ text: String) -> Self? {
    let trimmed = normaliseWidth(text).trimmingSpaces()
    if let value = Self(rawValue: trimmed) ?? Self(rawValue: trimmed.lowercased()) { return value }
    if let value = allCases.first(where: { $0.label == trimmed }) { return value }
    return aliases[trimmed] ?? aliases[trimmed.lowercased()]
  }

  /// "key (重点管理), simplified (简化管理), ..." for error messages and help.
  public static var allowedValues: String {
    allCases.map { "\($0.rawValue) (\($0.label))" }.joined(separator: ", ")
  }
}

/// The production process. `unknown` (the default) is a missing fact: rules that need the process
/// (EX-C8 biomedicine, EIA-X1 electroplating) then answer "unknown", never a silent pass.
public enum ProductionProcess: String, Vocabulary {
  case fermentation, chemicalSynthesis = "chemical-synthesis", electroplating, other, unknown
  public var label: String {
    switch self {
    case .fermentation: "发酵"
    case .chemicalSynthesis: "化学合成"
    case .electroplating: "电镀"
    case .other: "其他"
    case .unknown: "未知"
    }
  }
}

/// The main fuel; `unknown` (the default) is a missing fact (EX-C2 excludes coal-fired power).
public enum Fuel: String, Vocabulary {
  case coal, gas, oil, biomass, electric, other, none, unknown
  public var label: String {
    switch self {
    case .coal: "燃煤"
    case .gas: "燃气"
    case .oil: "燃油"
    case .biomass: "生物质"
    case .electric: "电"
    case .other: "其他"
    case .none: "无"
    case .unknown: "未知"
    }
  }
  public static var aliases: [String: Fuel] { ["煤": .coal, "天然气": .gas] }
}

/// 排污许可管理类别 (重点/简化/登记管理).
public enum PermitClass: String, Vocabulary {
  case key, simplified, registration, none
  public var label: String {
    switch self {
    case .key: "重点管理"
    case .simplified: "简化管理"
    case .registration: "登记管理"
    case .none: "无"
    }
  }
  public static var aliases: [String: PermitClass] { ["重点": .key, "简化": .simplified, "登记": .registration] }
}

public enum OnlineMonitoring: String, Vocabulary {
  case none, installed, networked
  public var label: String {
    switch self {
    case .none: "未安装"
    case .installed: "已安装"
    case .networked: "已联网"
    }
  }
  public static var aliases: [String: OnlineMonitoring] { ["无": .none, "安装": .installed, "联网": .networked] }
}

/// 重污染天气绩效分级.
public enum PerformanceGrade: String, Vocabulary {
  case a = "A", leading, b = "B", c = "C", d = "D", unrated
  public var label: String {
    switch self {
    case .a: "A级"
    case .leading: "引领性"
    case .b: "B级"
    case .c: "C级"
    case .d: "D级"
    case .unrated: "未评级"
    }
  }
  public static var aliases: [String: PerformanceGrade] {
    ["a": .a, "b": .b, "c": .c, "d": .d, "引领": .leading, "": .unrated]
  }
}

/// 企业环境信用评价 (环保诚信/良好/警示/不良).
public enum CreditRating: String, Vocabulary {
  case green, blue, yellow, red, unrated
  public var label: String {
    switch self {
    case .green: "环保诚信"
    case .blue: "环保良好"
    case .yellow: "环保警示"
    case .red: "环保不良"
    case .unrated: "未评价"
    }
  }
  public static var aliases: [String: CreditRating] { ["诚信": .green, "良好": .blue, "警示": .yellow, "不良": .red] }
}

/// Facility types that RULES EX-X1 excludes from the inspection-exemption list.
public enum FacilityType: String, Vocabulary {
  case none, mswIncineration = "msw-incineration", hazardousWaste = "hazardous-waste", medicalWaste = "medical-waste"
  case sewageTreatment = "sewage-treatment", parkWastewater = "park-wastewater"
  public var label: String {
    switch self {
    case .none: "无"
    case .mswIncineration: "生活垃圾焚烧"
    case .hazardousWaste: "危险废物处置"
    case .medicalWaste: "医疗废物处置"
    case .sewageTreatment: "集中式污水处理"
    case .parkWastewater: "园区污水处理"
    }
  }
}

public enum EnterpriseStatus: String, Vocabulary {
  case active, closed
  public var label: String { self == .active ? "存续" : "已注销" }
}
