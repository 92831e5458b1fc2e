/// The key-region sets of RULES §2, as versioned data. A check "as of D" uses the version in force
/// on D; a division belongs to a set when its code, or the prefecture or province containing it,
/// is a member.
public struct RegionSet: Sendable, Hashable {
  public enum Key: String, Sendable, CaseIterable, Codable {
    /// 京津冀及周边
    case jjj
    /// 长三角
    case yrd
    /// 汾渭平原
    case fwp

    public var name: String {
      switch self {
      case .jjj: "京津冀及周边"
      case .yrd: "长三角"
      case .fwp: "汾渭平原"
      }
    }
  }

  public let key: Key
  public let version: String
  public let effectiveFrom: Day
  /// Last day in force, inclusive; `nil` while current.
  public let effectiveTo: Day?
  public let basis: String
  public let members: Set<String>

  public var name: String { "\(key.name) (\(version))" }

  public func isInForce(asOf day: Day) -> Bool {
    effectiveFrom <= day && (effectiveTo.map { day <= $0 } ?? true)
  }

  /// Whether `regionCode` (or its prefecture or province) is a member.
  public func contains(_ regionCode: String) -> Bool {
    guard regionCode.count == 6 else { return false }
    return members.contains(regionCode)
      || members.contains(String(regionCode.prefix(4)) + "00")
      || members.contains(String(regionCode.prefix(2)) + "0000")
  }
}

public enum KeyRegions {
  private static func day(_ text: String) -> Day { Day(text) ?? Day(ordinal: 0) }

  /// Every version of every set, as RULES §2 lists them.
  public static let sets: [RegionSet] = [
    RegionSet(
      key: .jjj, version: "2+26", effectiveFrom: day("2017-03-01"), effectiveTo: day("2023-12-06"),
      basis: "环办大气函〔2018〕211号; 国发〔2018〕22号",
      members: [
        "110000", "120000",
        "130100", "130200", "130400", "130500", "130600", "130900", "131000", "131100",
        "140100", "140300", "140400", "140500",
        "370100", "370300", "370800", "371400", "371500", "371600", "371700",
        "410100", "410200", "410500", "410600", "410700", "410800", "410900", "419001",
      ]),
    RegionSet(
      key: .yrd, version: "2018", effectiveFrom: day("2018-07-03"), effectiveTo: day("2023-12-06"),
      basis: "国发〔2018〕22号",
      members: ["310000", "320000", "330000", "340000"]),
    RegionSet(
      key: .fwp, version: "2018", effectiveFrom: day("2018-07-03"), effectiveTo: day("2023-12-06"),
      basis: "国发〔2018〕22号",
      members: [
        "140700", "140800", "141000", "141100", "410300", "411200", "610100", "610200", "610300", "610400", "610500",
        "610403",
      ]),
    RegionSet(
      key: .jjj, version: "2+36", effectiveFrom: day("2023-12-07"), effectiveTo: nil,
      basis: "空气质量持续改善行动计划 (国发〔2023〕24号)",
      members: [
        "110000", "120000",
        "130100", "130200", "130300", "130400", "130500", "130600", "130900", "131000", "131100",
        "370100", "370300", "370400", "370500", "370700", "370800", "370900", "371100", "371300", "371400", "371500",
        "371600", "371700",
        "410100", "410200", "410300", "410400", "410500", "410600", "410700", "410800", "410900", "411000", "411100",
        "411200", "411400", "411600", "419001",
      ]),
    RegionSet(
      key: .yrd, version: "2023", effectiveFrom: day("2023-12-07"), effectiveTo: nil,
      basis: "空气质量持续改善行动计划 (国发〔2023〕24号)",
      members: [
        "310000", "320000",
        "330100", "330200", "330400", "330500", "330600", "330900",
        "340100", "340200", "340300", "340400", "340500", "340600", "341100", "341200", "341300", "341500", "341600",
      ]),
    RegionSet(
      key: .fwp, version: "2023", effectiveFrom: day("2023-12-07"), effectiveTo: nil,
      basis: "空气质量持续改善行动计划 (国发〔2023〕24号)",
      members: [
        "140100", "140300", "140400", "140500", "140700", "140800", "141000", "141100", "610100", "610200", "610300",
        "610400", "610500", "610403", "610581",
      ]),
  ]

  /// The set versions in force on `day`.
  public static func inForce(on day: Day) -> [RegionSet] { sets.filter { $0.isInForce(asOf: day) } }

  /// The sets containing `regionCode` on `day` (empty outside every key region).
  public static func membership(of regionCode: String, on day: Day) -> [RegionSet] {
    inForce(on: day).filter { $0.contains(regionCode) }
  }
}
