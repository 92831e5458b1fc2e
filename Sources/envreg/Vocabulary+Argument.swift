import ArgumentParser
import RegistryCore
import RegistryService

/// Options that take a fixed set of values are typed: the help lists the values from the type, and
/// a bad value is a usage error naming them (English tokens or the Chinese names bureaus use).
extension Vocabulary {
  init?(vocabularyArgument argument: String) {
    guard let value = Self.parse(argument) else { return nil }
    self = value
  }
}

extension PermitClass: ExpressibleByArgument {
  public init?(argument: String) { self.init(vocabularyArgument: argument) }
}
extension PerformanceGrade: ExpressibleByArgument {
  public init?(argument: String) { self.init(vocabularyArgument: argument) }
}
extension EnterpriseStatus: ExpressibleByArgument {
  public init?(argument: String) { self.init(vocabularyArgument: argument) }
}
extension SourceType: ExpressibleByArgument {
  public init?(argument: String) { self.init(vocabularyArgument: argument) }
}
extension RetrofitStage: ExpressibleByArgument {
  public init?(argument: String) { self.init(vocabularyArgument: argument) }
}
extension Pollutant: ExpressibleByArgument {
  public init?(argument: String) { self.init(vocabularyArgument: argument) }
}
extension PositiveList: ExpressibleByArgument {
  public init?(argument: String) { self.init(vocabularyArgument: argument) }
}
extension DesignationKind: ExpressibleByArgument {
  public init?(argument: String) { self.init(vocabularyArgument: argument) }
}
extension IncidentKind: ExpressibleByArgument {
  public init?(argument: String) { self.init(vocabularyArgument: argument) }
}
extension LedgerState: ExpressibleByArgument {
  public init?(argument: String) { self.init(vocabularyArgument: argument) }
}
extension LedgerClass: ExpressibleByArgument {
  public init?(argument: String) { self.init(vocabularyArgument: argument) }
}
extension LedgerSource: ExpressibleByArgument {
  public init?(argument: String) { self.init(vocabularyArgument: argument) }
}

extension FineSuspension.Kind: ExpressibleByArgument {}
extension EnterpriseFilter.Sort: ExpressibleByArgument {}
extension LedgerReport.Format: ExpressibleByArgument {}
extension TextEncoding: ExpressibleByArgument {
  public init?(argument: String) { self.init(rawValue: argument.lowercased()) }
}

/// `--key-region`: one key-region set, or any of them.
enum KeyRegionArgument: String, CaseIterable, ExpressibleByArgument {
  case jjj, yrd, fwp, any

  var filter: EnterpriseFilter.KeyRegionFilter {
    guard let key = RegionSet.Key(rawValue: rawValue) else { return .any }
    return .set(key)
  }
}

/// Help for a free-text option whose value is one of a vocabulary (enterprise facts, which the
/// importer reads as text too): the values come from the type, so help cannot drift from it.
func vocabularyHelp<V: Vocabulary>(_ what: String, _ type: V.Type) -> ArgumentHelp {
  ArgumentHelp("\(what): \(V.allowedValues).")
}

extension Language: ExpressibleByArgument {}
