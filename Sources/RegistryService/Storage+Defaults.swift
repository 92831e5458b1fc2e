import RegistryCore

/// What every storage answers the same way from its primitive reads: written once, here.
extension RegistryStorage {
  /// The permits whose PM-2 / PM-4 clocks can fall in `asOf … asOf + within` or be open before it,
  /// each as it stood on `asOf` (the `due` calendar): those expiring by then, plus the deferred ones
  /// beyond (a deferral can outlast valid_to by far).
  public func forEachPermitClock(asOf: Day, within: Int, regionPrefix: String?, _ body: (HeldPermit) throws -> Void)
    throws
  {
    let policy = try policyBook()
    var filter = PermitFilter()
    filter.regionPrefix = regionPrefix
    filter.asOf = asOf
    filter.validToOnOrBefore = asOf.adding(days: within + PermitRules.longestRenewalLead(policy))
    try forEachPermit(filter) { try body($0) }
    var deferred = filter
    deferred.validToOnOrAfter = filter.validToOnOrBefore?.adding(days: 1)
    deferred.validToOnOrBefore = nil
    deferred.deferredOnly = true
    try forEachPermit(deferred) { try body($0) }
  }

  /// Every permit of one firm, renewed ones included, with events, in order of validity.
  public func permits(of holder: CreditCode) throws -> [HeldPermit] {
    guard try enterprise(holder) != nil else {
      throw RegistryError.notFound(
        kind: "enterprise with credit code", key: holder.value,
        hint: "Run 'envreg enterprise list' to see registered enterprises, or 'envreg enterprise add' to register it.")
    }
    var filter = PermitFilter()
    filter.holder = holder
    filter.currentOnly = false
    var found: [HeldPermit] = []
    try forEachPermit(filter) { found.append($0) }
    return found.sorted {
      ($0.permit.validFrom, $0.permit.number.value) < ($1.permit.validFrom, $1.permit.number.value)
    }
  }

  /// PM-6: the filings each change of name, address or legal representative since `since` asks of
  /// the firm's permits, as of `asOf`.
  public func changeFilings(since: Day, asOf: Day, regionPrefix: String?) throws -> [(
    code: String, name: String, region: String, filing: ChangeFiling
  )] {
    let policy = try policyBook()
    let changes = try permitRelevantChanges(since: since, regionPrefix: regionPrefix)
    var result: [(code: String, name: String, region: String, filing: ChangeFiling)] = []
    for (code, firmChanges) in Dictionary(grouping: changes, by: \.code).sorted(by: { $0.key < $1.key }) {
      guard let holder = CreditCode(stored: code), let first = firmChanges.first else { continue }
      let permits = try self.permits(of: holder).map(\.permit)
      for filing in PermitRules.changeFilings(
        changes: firmChanges.map { ($0.field, $0.on) }, permits: permits, region: first.region, asOf: asOf,
        policy: policy)
      {
        result.append((code, first.name, first.region, filing))
      }
    }
    return result
  }
}
