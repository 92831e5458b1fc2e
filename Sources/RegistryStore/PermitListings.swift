import RegistryCore
import RegistryService

/// The permit listings that answer "as of D": the expiry notice and its lapses (PM-2..PM-5, RG-1),
/// and the permits the `due` calendar reads. Each selects by one rule in `RegistryCore`
/// (`PermitRules.inExpiryNotice`, `PermitStatus.lapses`), applied to each permit as it stood on D,
/// so a listing and `permit show --as-of D` never disagree.
extension Store {
  /// Streams the expiry notice on `asOf`, most urgent first (by effective end: the deferral's end
  /// for a deferred permit, else valid_to). `overdue` lists the lapses instead.
  public func expiryNotice(
    asOf: Day, within: Int, overdue: Bool, regionPrefix: String?, permitClass: PermitClass?,
    _ body: (HeldPermit, PermitStanding) throws -> Void
  ) throws {
    let policy = try policyBook()
    var filter = PermitFilter()
    filter.regionPrefix = regionPrefix
    filter.permitClass = permitClass
    filter.asOf = asOf
    filter.byExpiry = true
    let horizon = asOf.adding(days: within)
    if overdue {
      // Everything whose renewal may already be due: the longest lead past the date.
      filter.validToOnOrBefore = asOf.adding(days: PermitRules.longestRenewalLead(policy) + 1)
    } else {
      filter.validToOnOrAfter = asOf
      filter.validToOnOrBefore = horizon
    }
    func selected(_ held: HeldPermit) -> PermitStanding? {
      let standing = PermitRules.standing(
        held.permit.asOf(asOf), region: held.regionCode, on: asOf, window: within, policy: policy)
      if overdue { return PermitStatus.lapses.contains(standing.status) ? standing : nil }
      return PermitRules.inExpiryNotice(standing, validTo: held.permit.validTo, asOf: asOf, within: within)
        ? standing : nil
    }
    // Deferred permits may end long after valid_to: read them apart (they are few), then merge them
    // into the valid_to-ordered stream by their effective end.
    var deferredFilter = filter
    deferredFilter.validToOnOrAfter = nil
    deferredFilter.validToOnOrBefore = nil
    deferredFilter.deferredOnly = true
    var deferred: [(end: Day, held: HeldPermit, standing: PermitStanding)] = []
    try forEachPermit(deferredFilter) { held in
      if let standing = selected(held), standing.status == .deferred {
        deferred.append((standing.deferredUntil ?? held.permit.validTo, held, standing))
      }
    }
    deferred.sort { ($0.end, $0.held.permit.number.value) < ($1.end, $1.held.permit.number.value) }
    var next = deferred.startIndex
    try forEachPermit(filter) { held in
      guard let standing = selected(held), standing.status != .deferred else { return }
      while next < deferred.endIndex, deferred[next].end <= held.permit.validTo {
        try body(deferred[next].held, deferred[next].standing)
        next += 1
      }
      try body(held, standing)
    }
    for item in deferred[next...] { try body(item.held, item.standing) }
  }

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
