/// A fine (罚款) and everything recorded about it (RULES §6). Money is integer fen throughout.
public struct Fine: Sendable, Hashable {
  public var decisionNumber: String
  public var amount: Fen
  public var decidedOn: Day
  public var receivedOn: Day
  public var legalBasis: String
  public var arrangements: [FineArrangement] = []
  public var payments: [FinePayment] = []
  public var suspensions: [FineSuspension] = []

  public init(decisionNumber: String, amount: Fen, decidedOn: Day, receivedOn: Day, legalBasis: String = "") {
    self.decisionNumber = decisionNumber
    self.amount = amount
    self.decidedOn = decidedOn
    self.receivedOn = receivedOn
    self.legalBasis = legalBasis
  }

  /// The version of the 行政处罚法 in force on the decision date.
  public var lawVersion: LawVersion { LawVersion.inForce(on: decidedOn) }
}

/// 行政处罚法: the 2017 text, or the 2021 revision in force from 2021-07-15. Article numbers differ.
public enum LawVersion: String, Sendable, CaseIterable {
  case v2017 = "2017", v2021 = "2021"

  public static func inForce(on day: Day) -> LawVersion { day >= (Day("2021-07-15") ?? day) ? .v2021 : .v2017 }

  public var dueArticle: String { self == .v2021 ? "行政处罚法 (2021) art. 67" : "行政处罚法 (2017) art. 46" }
  public var arrangementArticle: String { self == .v2021 ? "行政处罚法 (2021) art. 66" : "行政处罚法 (2017) art. 52" }
  public var surchargeArticle: String { self == .v2021 ? "行政处罚法 (2021) art. 72-73" : "行政处罚法 (2017) art. 51" }
}

public struct FineArrangement: Sendable, Hashable {
  public enum Kind: String, Sendable { case deferral, instalments }
  public var kind: Kind
  public var appliedOn: Day
  public var reason: String
  public var approver: String
  public var approvedOn: Day
  /// For a deferral: the new due date.
  public var newDue: Day?
  /// For instalments: the schedule, in order.
  public var instalments: [Instalment]

  public init(kind: Kind, appliedOn: Day, reason: String, approver: String, approvedOn: Day, newDue: Day? = nil, instalments: [Instalment] = []) {
    self.kind = kind
    self.appliedOn = appliedOn
    self.reason = reason
    self.approver = approver
    self.approvedOn = approvedOn
    self.newDue = newDue
    self.instalments = instalments
  }
}

public struct Instalment: Sendable, Hashable {
  public var due: Day
  public var amount: Fen
  public init(due: Day, amount: Fen) {
    self.due = due
    self.amount = amount
  }
}

public struct FinePayment: Sendable, Hashable {
  public var on: Day
  public var amount: Fen
  public var reference: String
  public init(on: Day, amount: Fen, reference: String = "") {
    self.on = on
    self.amount = amount
    self.reference = reference
  }
}

public struct FineSuspension: Sendable, Hashable {
  public enum Kind: String, Sendable, CaseIterable { case review, litigation }
  public var kind: Kind
  public var from: Day
  /// Last day suspended; `nil` while the review or litigation is open.
  public var to: Day?
  public init(kind: Kind, from: Day, to: Day? = nil) {
    self.kind = kind
    self.from = from
    self.to = to
  }
}

/// One amount owed by a date: the whole fine, or one instalment.
public struct Obligation: Sendable, Hashable {
  public var label: String
  public var due: Day
  public var amount: Fen
  public var paid: Fen
  public var surcharge: Fen
  /// The first day the surcharge reached its cap, if it did.
  public var cappedOn: Day?
  public var outstanding: Fen { amount - paid }
  public var daysOverdue: Int
}

/// A stretch of days with one unpaid amount, counted toward the surcharge or not (and why).
public struct SurchargeSegment: Sendable, Hashable {
  public var obligation: String
  public var from: Day
  public var to: Day
  public var days: Int { from.days(until: to) + 1 }
  public var unpaid: Fen
  /// `nil` when the days count; otherwise why not (deferred, suspended, paid, capped).
  public var excludedBecause: String?
  public var surcharge: Fen
}

/// A fine's amounts on a date, kept apart (FN-5), with the surcharge trace (FN-3).
public struct FineStatement: Sendable {
  public var asOf: Day
  public var originalDue: Day
  public var lawVersion: LawVersion
  public var obligations: [Obligation]
  public var segments: [SurchargeSegment]
  public var assessed: Fen
  public var paid: Fen
  public var principalOutstanding: Fen
  public var surchargeAccrued: Fen
  public var surchargePaid: Fen
  public var surchargeOutstanding: Fen { surchargeAccrued - surchargePaid }
  public var totalOwed: Fen { principalOutstanding + surchargeOutstanding }
  public var rateBasisPoints: Int
  /// Obligations unpaid after their due date (FN-4: a missed instalment on its own date).
  public var overdue: [Obligation] { obligations.filter { $0.outstanding.value > 0 && $0.daysOverdue > 0 } }
}

public enum FineRules {
  /// FN-1: due `fn.due.days` (15) calendar days after the decision is received; the day of receipt
  /// is not counted (received 2021-08-02 is due 2021-08-17).
  public static func originalDue(_ fine: Fine, region: String, policy: PolicyBook) -> Day {
    fine.receivedOn.adding(days: policy.lookup("fn.due.days", region: region, on: fine.receivedOn)?.value.integer ?? 15)
  }

  /// The arrangement in force on `day`: the latest approved on or before it.
  public static func arrangement(_ fine: Fine, on day: Day) -> FineArrangement? {
    fine.arrangements.filter { $0.approvedOn <= day }.max { $0.approvedOn < $1.approvedOn }
  }

  /// FN-2 and FN-4: why an arrangement is refused, or `nil` when it is acceptable.
  public static func arrangementRefusal(_ arrangement: FineArrangement, for fine: Fine, region: String, policy: PolicyBook) -> String? {
    let due = originalDue(fine, region: region, policy: policy)
    guard arrangement.approvedOn >= arrangement.appliedOn else { return "approved_on \(arrangement.approvedOn) is before applied_on \(arrangement.appliedOn)" }
    guard arrangement.appliedOn >= fine.receivedOn else { return "applied_on \(arrangement.appliedOn) is before the decision was received (\(fine.receivedOn))" }
    guard !arrangement.reason.trimmingSpaces().isEmpty, !arrangement.approver.trimmingSpaces().isEmpty else { return "an arrangement needs a reason and an approver (FN-2)" }
    switch arrangement.kind {
    case .deferral:
      guard let newDue = arrangement.newDue else { return "a deferral needs a new due date (FN-2)" }
      guard newDue > due else { return "the new due date \(newDue) is not after the current due date \(due)" }
      if let months = policy.lookup("fn.max_deferral.months", region: region, on: arrangement.approvedOn)?.value.integer, newDue > due.adding(months: months) {
        return "a deferral may run at most \(months) months, to \(due.adding(months: months)); asked for \(newDue) (FN-2, fn.max_deferral.months)"
      }
    case .instalments:
      let schedule = arrangement.instalments
      guard schedule.count >= 2 else { return "an instalment plan needs at least two instalments (FN-4)" }
      let total = schedule.reduce(Fen.zero) { $0 + $1.amount }
      guard total == fine.amount else { return "the instalments sum to \(total.yuan), the fine is \(fine.amount.yuan); they must sum exactly (FN-4)" }
      guard schedule.allSatisfy({ $0.amount.value > 0 }) else { return "every instalment must be more than zero (FN-4)" }
      for (earlier, later) in zip(schedule, schedule.dropFirst()) where later.due <= earlier.due {
        return "instalment dates must strictly increase; \(later.due) follows \(earlier.due) (FN-4)"
      }
      guard let first = schedule.first, first.due >= arrangement.approvedOn else { return "the first instalment is due before the plan was approved" }
    }
    return nil
  }

  /// FN-3 to FN-5: amounts on `asOf`, with the surcharge trace. Payments go to the earliest due
  /// amount first; once the principal is paid they go to the surcharge.
  public static func statement(_ fine: Fine, region: String, asOf: Day, policy: PolicyBook) -> FineStatement {
    let originalDue = originalDue(fine, region: region, policy: policy)
    let rate = policy.lookup("fn.surcharge.rate", region: region, on: fine.decidedOn)?.value
    let rateBP: Int
    if case .basisPoints(let bp)? = rate { rateBP = bp } else { rateBP = 300 }

    // The obligations and the days that do not count.
    var excluded: [(range: ClosedRange<Day>, why: String)] = fine.suspensions.filter { $0.from <= asOf }.map {
      ($0.from...($0.to ?? asOf), "\($0.kind.rawValue) period (FN-3)")
    }
    var obligations: [(label: String, due: Day, amount: Fen)]
    let arrangement = arrangement(fine, on: asOf)
    switch arrangement?.kind {
    case .instalments?:
      obligations = (arrangement?.instalments ?? []).enumerated().map { ("instalment \($0.offset + 1)", $0.element.due, $0.element.amount) }
    case .deferral?:
      let newDue = arrangement?.newDue ?? originalDue
      obligations = [("fine", newDue, fine.amount)]
      let start = max(originalDue.adding(days: 1), arrangement?.appliedOn ?? originalDue)
      if start <= newDue { excluded.append((start...newDue, "deferred to \(newDue) (FN-2/FN-3)")) }
    case nil:
      obligations = [("fine", originalDue, fine.amount)]
    }

    // Allocate payments made by asOf: earliest due first, then surcharge.
    let payments = fine.payments.filter { $0.on <= asOf }.sorted { $0.on < $1.on }
    var paidBy: [[(on: Day, amount: Int64)]] = Array(repeating: [], count: obligations.count)
    var remaining = obligations.map(\.amount.value)
    var toSurcharge = Int64(0)
    for payment in payments {
      var left = payment.amount.value
      for index in obligations.indices where left > 0 && remaining[index] > 0 {
        let applied = min(left, remaining[index])
        remaining[index] -= applied
        left -= applied
        paidBy[index].append((payment.on, applied))
      }
      toSurcharge += left
    }

    // Accrue each obligation's surcharge segment by segment.
    var segments: [SurchargeSegment] = []
    var results: [Obligation] = []
    for (index, obligation) in obligations.enumerated() {
      let cap = obligation.amount.value
      var accrued = Int64(0)  // in fen x basis points
      var cappedOn: Day?
      var day = obligation.due.adding(days: 1)
      // Breakpoints: payment days and the edges of excluded ranges.
      var cuts = Set(paidBy[index].map { $0.on.adding(days: 1) })  // a payment counts from the next day
      for (range, _) in excluded { cuts.insert(range.lowerBound); cuts.insert(range.upperBound.adding(days: 1)) }
      while day <= asOf {
        let unpaid = obligation.amount.value - paidBy[index].filter { $0.on < day }.reduce(0) { $0 + $1.amount }
        let reason = excluded.first { $0.range.contains(day) }?.why
        // The segment runs until the day before the next breakpoint (or asOf).
        var end = asOf
        if let next = cuts.filter({ $0 > day }).min(), next.adding(days: -1) < end { end = next.adding(days: -1) }
        if unpaid <= 0 {
          segments.append(SurchargeSegment(obligation: obligation.label, from: day, to: asOf, unpaid: .zero, excludedBecause: "paid", surcharge: .zero))
          break
        }
        let days = Int64(day.days(until: end) + 1)
        if let reason {
          segments.append(SurchargeSegment(obligation: obligation.label, from: day, to: end, unpaid: Fen(unpaid), excludedBecause: reason, surcharge: .zero))
        } else if accrued >= cap * 10_000 {
          segments.append(SurchargeSegment(obligation: obligation.label, from: day, to: end, unpaid: Fen(unpaid), excludedBecause: "capped at the amount (FN-3)", surcharge: .zero))
        } else {
          let before = accrued / 10_000
          var added = unpaid * Int64(rateBP) * days
          if accrued + added >= cap * 10_000 {
            // Find the day the cap is reached: the first whole day whose accrual reaches it.
            let perDay = unpaid * Int64(rateBP)
            let needed = cap * 10_000 - accrued
            let daysToCap = (needed + perDay - 1) / perDay
            cappedOn = day.adding(days: Int(daysToCap) - 1)
            added = cap * 10_000 - accrued
            let capDay = day.adding(days: Int(daysToCap) - 1)
            segments.append(SurchargeSegment(obligation: obligation.label, from: day, to: capDay, unpaid: Fen(unpaid), excludedBecause: nil, surcharge: Fen(cap - before)))
            if capDay < end {
              segments.append(SurchargeSegment(obligation: obligation.label, from: capDay.adding(days: 1), to: end, unpaid: Fen(unpaid), excludedBecause: "capped at the amount (FN-3)", surcharge: .zero))
            }
            accrued = cap * 10_000
          } else {
            accrued += added
            segments.append(SurchargeSegment(obligation: obligation.label, from: day, to: end, unpaid: Fen(unpaid), excludedBecause: nil, surcharge: Fen(accrued / 10_000 - before)))
          }
        }
        day = end.adding(days: 1)
      }
      let paid = paidBy[index].reduce(0) { $0 + $1.amount }
      results.append(Obligation(label: obligation.label, due: obligation.due, amount: obligation.amount, paid: Fen(paid), surcharge: Fen(accrued / 10_000), cappedOn: cappedOn,
                                daysOverdue: max(0, obligation.due.days(until: asOf))))
    }
    let surcharge = results.reduce(Fen.zero) { $0 + $1.surcharge }
    let paidTotal = payments.reduce(Fen.zero) { $0 + $1.amount }
    return FineStatement(
      asOf: asOf, originalDue: originalDue, lawVersion: fine.lawVersion, obligations: results, segments: segments, assessed: fine.amount,
      paid: paidTotal, principalOutstanding: fine.amount - Fen(paidTotal.value - toSurcharge), surchargeAccrued: surcharge,
      surchargePaid: Fen(min(toSurcharge, surcharge.value)), rateBasisPoints: rateBP)
  }

  /// FN-5: a payment may not exceed what is owed on its date (principal and accrued surcharge).
  public static func paymentRefusal(_ payment: FinePayment, for fine: Fine, region: String, policy: PolicyBook) -> String? {
    guard payment.amount.value > 0 else { return "a payment must be more than zero" }
    guard payment.on >= fine.decidedOn else { return "the payment date \(payment.on) is before the decision (\(fine.decidedOn))" }
    let owed = statement(fine, region: region, asOf: payment.on, policy: policy).totalOwed
    guard payment.amount <= owed else {
      return "a payment of \(payment.amount.yuan) exceeds what is owed on \(payment.on), \(owed.yuan) (FN-5)"
    }
    return nil
  }

  /// FN-6: daily consecutive penalty: the original fine times the days from the day after the
  /// correction order was served to the re-inspection that found the violation continuing.
  public static func dailyPenalty(original: Fen, orderServed: Day, reinspected: Day) -> (days: Int, total: Fen)? {
    guard reinspected > orderServed else { return nil }
    let days = orderServed.days(until: reinspected)
    return (days, Fen(original.value * Int64(days)))
  }
}
