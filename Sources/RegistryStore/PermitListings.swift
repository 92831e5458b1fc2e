import RegistryCore
import RegistryService

/// The permit listings that answer "as of D": the expiry notice and its lapses (PM-2..PM-5, RG-1),
/// and the permits the `due` calendar reads. Each selects by one rule in `RegistryCore`
/// (`PermitRules.inExpiryNotice`, `PermitStatus.lapses`), applied to each permit as it stood on D,
/// so a listing and `permit show --as-of D` never disagree.
extension Store {

  /// The permits whose clocks can fall in `asOf ... asOf + within` or be open before it, each as it
  /// stood on `asOf`, for the `due` calendar.
  public func forEachPermitClock(asOf: Day, within: Int, regionPrefix: String?, _ body: (HeldPermit) throws -> Void)
    throws
  {
    let policy = try policyBook()
    var filter = PermitFilter()
    filter.regionPrefix = regionPrefix
    filter.asOf = asOf
    filter.validToOnOrBefore = asOf.adding(days: within + PermitRules.longestRenewalLead(policy))
    try forEachPermit(filter) { try body($0) }
    // Deferrals can outlast valid_to by far: the deferred permits beyond that range too.
    var deferred = filter
    deferred.validToOnOrAfter = filter.validToOnOrBefore?.adding(days: 1)
    deferred.validToOnOrBefore = nil
    deferred.deferredOnly = true
    try forEachPermit(deferred) { try body($0) }
  }
}
