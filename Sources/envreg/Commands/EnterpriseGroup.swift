import ArgumentParser
import RegistryCore
import RegistryService
import RegistryStore

extension EnvReg {
  struct EnterpriseGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "enterprise",
      abstract: Messages.say(
        "Register enterprises and keep their facts current (one record per credit code).",
        zh: "登记企业并保持信息更新（每个信用代码一条记录）。"),
      subcommands: [
        Add.self, Show.self, List.self, Update.self, Deregister.self, History.self, Import.self, Export.self,
      ]
    )
  }
}

/// The enterprise facts as options, shared by `add` and `update`. Values are checked by the same
/// validator as `import` (RegistryCore `EnterpriseInput`), so errors read the same everywhere.
struct EnterpriseFieldOptions: ParsableArguments {
  @Option(help: "Enterprise name (企业名称).") var name: String?
  @Option(help: "GB/T 2260 division code of the site, e.g. 420102.") var region: String?
  @Option(help: "GB/T 4754-2017 industry code (2-4 digits), e.g. 2614.") var industry: String?
  @Option(help: vocabularyHelp("Production process", ProductionProcess.self)) var process: String?
  @Option(help: vocabularyHelp("Fuel", Fuel.self)) var fuel: String?
  @Option(help: "Site address (生产经营场所地址).") var address: String?
  @Option(name: .customLong("legal-rep"), help: "Legal representative (法定代表人).") var legalRep: String?
  @Option(help: "Contact (联系方式).") var contact: String?
  @Option(name: .customLong("key-discharge-unit"), help: "Key discharge unit (重点排污单位): yes or no.")
  var keyDischargeUnit: String?
  @Option(name: .customLong("permit-class"), help: vocabularyHelp("Permit class", PermitClass.self)) var permitClass:
    String?
  @Option(name: .customLong("online-monitoring"), help: vocabularyHelp("Online monitoring", OnlineMonitoring.self))
  var onlineMonitoring: String?
  @Option(help: vocabularyHelp("Performance grade (绩效分级)", PerformanceGrade.self)) var grade: String?
  @Option(name: .customLong("credit-rating"), help: vocabularyHelp("Environmental credit rating", CreditRating.self))
  var creditRating: String?
  @Option(name: .customLong("facility-type"), help: vocabularyHelp("Facility type", FacilityType.self))
  var facilityType: String?
  @Option(
    name: .customLong("near-yangtze"), help: "Within 1 km of the Yangtze main stem or a major tributary: yes or no.")
  var nearYangtze: String?
  @Option(name: .customLong("registered-on"), help: "Date the firm entered the registry (default: --as-of).")
  var registeredOn: String?

  func input(code: String?) -> EnterpriseInput {
    var input = EnterpriseInput()
    input[.creditCode] = code
    input[.name] = name
    input[.regionCode] = region
    input[.industryCode] = industry
    input[.process] = process
    input[.fuel] = fuel
    input[.address] = address
    input[.legalRep] = legalRep
    input[.contact] = contact
    input[.keyDischargeUnit] = keyDischargeUnit
    input[.permitClass] = permitClass
    input[.onlineMonitoring] = onlineMonitoring
    input[.grade] = grade
    input[.creditRating] = creditRating
    input[.facilityType] = facilityType
    input[.nearYangtze] = nearYangtze
    input[.registeredOn] = registeredOn
    return input
  }
}

/// The selection options shared by `list` and `export`.
struct EnterpriseFilterOptions: ParsableArguments {
  @Option(help: "Region code or prefix: 42 (or 420000) = all of Hubei, 4201 (or 420100) = Wuhan.") var region: String?
  @Option(help: "Industry code prefix: 26 = every 26xx class.") var industry: String?
  @Option(
    name: .customLong("key-region"),
    help: "Only firms in a key region on --as-of: jjj (京津冀及周边), yrd (长三角), fwp (汾渭平原) or any.")
  var keyRegion: KeyRegionArgument?
  @Option(name: .customLong("permit-class"), help: "Permit class.") var permitClass: PermitClass?
  @Option(help: "Performance grade.") var grade: PerformanceGrade?
  @Option(help: "Status.") var status: EnterpriseStatus?
  @Flag(name: .customLong("nonconforming-code"), help: "Only firms registered by an ID-7 override (data quality).")
  var nonconforming = false
  @Option(help: "Part of the name, e.g. 化工.") var name: String?
  @Option(help: "Sort order.") var sort: EnterpriseFilter.Sort = .code

  func filter(asOf: Day) throws -> EnterpriseFilter {
    var filter = EnterpriseFilter(asOf: asOf)
    if let region { filter.regionPrefix = try regionPrefix(region) }
    if let industry {
      let code = industry.trimmingSpaces()
      guard !code.isEmpty, code.count <= 4, code.allSatisfy({ $0.isASCII && $0.isNumber }) else {
        throw ValidationError(
          "--industry \(industry.quoted) must be the leading digits of a GB/T 4754 code, e.g. 26 or 2614.")
      }
      filter.industryPrefix = code
    }
    filter.keyRegion = keyRegion?.filter
    filter.permitClass = permitClass
    filter.grade = grade
    filter.status = status
    filter.nonconformingOnly = nonconforming
    filter.nameContains = name?.trimmingSpaces()
    filter.sort = sort
    return filter
  }
}
