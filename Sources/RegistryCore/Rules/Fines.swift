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
  /// Why this arrangement replaces the one in force before it (FN-2); empty for the first.
  public var supersedeReason: String = ""

  public init(
    kind: Kind, appliedOn: Day, reason: String, approver: String, approvedOn: Day, newDue: Day? = nil,
    instalments: [Instalment] = []
  ) {
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
  /// The due-date rule in force on `asOf`: FN-1's, or the arrangement's that replaced it.
  public var dueRule: String { terms.description }
  /// The terms behind `dueRule` (its text is built only when shown: listings never need it).
  var terms: FineTerms.Rule
  /// Obligations unpaid after their due date (FN-4: a missed instalment on its own date).
  public var overdue: [Obligation] { obligations.filter { $0.outstanding.value > 0 && $0.daysOverdue > 0 } }
}

public enum FineRules {
  /// FN-1: due `fn.due.days` (15) calendar days after the decision is received; the day of receipt
  /// is not counted (received 2021-08-02 is due 2021-08-17).
  public static func originalDue(_ fine: Fine, region: String, policy: PolicyBook) -> Day {
    fine.receivedOn.adding(
      days: policy.lookup("fn.due.days", region: region, asOf: fine.receivedOn)?.value.integer ?? 15)
  }

  /// A fine as it may be recorded (ID-8, FN-1): its decision number read to its canonical key, an
  /// amount above zero, received on or after the decision. Throws the problems.
  public static func checkNew(_ fine: Fine) throws -> DecisionNumber {
    let number: DecisionNumber
    switch DecisionNumber.parse(fine.decisionNumber, decidedOn: fine.decidedOn) {
    case .failure(let refusal):
      throw RegistryError.invalid([
        FieldProblem(field: "decision_number", value: fine.decisionNumber, reason: refusal.reason)
      ])
    case .success(let parsed): number = parsed
    }
    guard fine.amount.value > 0 else {
      throw RegistryError.invalid([
        FieldProblem(field: "amount", value: fine.amount.yuan, reason: "must be more than zero")
      ])
    }
    guard fine.receivedOn >= fine.decidedOn else {
      throw RegistryError.invalid([
        FieldProblem(
          field: "received_on", value: fine.receivedOn.description,
          reason: "is before the decision date \(fine.decidedOn)")
      ])
    }
    return number
  }

  /// ID-8: why a decision number is refused when another spelling of the same decision is recorded.
  public static func duplicateDecision(_ existing: String, key: String) -> String {
    "is the same decision as the recorded fine \(existing.quoted) (canonical \(key), ID-8)"
  }

  /// FN-5: a payment recorded with the fine (an import's paid_yuan) never exceeds it.
  public static func initialPaymentProblem(paid: Fen, amount: Fen) -> String? {
    paid > amount ? "exceeds the fine \(amount.yuan) (FN-5)" : nil
  }

  /// A review or litigation period (FN-5) ends on or after it starts.
  public static func checkSuspension(_ suspension: FineSuspension) throws {
    if let to = suspension.to, to < suspension.from {
      throw RegistryError.invalid([
        FieldProblem(field: "to", value: to.description, reason: "is before the start \(suspension.from)")
      ])
    }
  }

  /// FN-2 and FN-4: why an arrangement is refused, or `nil` when it is acceptable.
  public static func arrangementRefusal(
    _ arrangement: FineArrangement, for fine: Fine, region: String, policy: PolicyBook
  ) -> String? {
    let due = originalDue(fine, region: region, policy: policy)
    // FN-2: a later arrangement replaces the one before it explicitly, never silently.
    if let previous = fine.arrangements.last {
      if (previous.kind, previous.approvedOn, previous.newDue) == (
        arrangement.kind, arrangement.approvedOn, arrangement.newDue
      ) && previous.instalments == arrangement.instalments {
        return "the same \(arrangement.kind.rawValue) approved \(arrangement.approvedOn) is already recorded"
      }
      guard !arrangement.supersedeReason.trimmingSpaces().isEmpty else {
        return
          """
          a \(previous.kind.rawValue) approved \(previous.approvedOn) is already recorded; a new arrangement \
          supersedes it only with a reason (--supersede-reason) (FN-2)
          """
      }
      guard arrangement.approvedOn >= previous.approvedOn else {
        return
          """
          approved_on \(arrangement.approvedOn) is before the arrangement it supersedes (approved \
          \(previous.approvedOn))
          """
      }
    }
    guard arrangement.approvedOn >= arrangement.appliedOn else {
      return "approved_on \(arrangement.approvedOn) is before applied_on \(arrangement.appliedOn)"
    }
    guard arrangement.appliedOn >= fine.receivedOn else {
      return "applied_on \(arrangement.appliedOn) is before the decision was received (\(fine.receivedOn))"
    }
    guard !arrangement.reason.trimmingSpaces().isEmpty, !arrangement.approver.trimmingSpaces().isEmpty else {
      return "an arrangement needs a reason and an approver (FN-2)"
    }
    switch arrangement.kind {
    case .deferral:
      guard let newDue = arrangement.newDue else { return "a deferral needs a new due date (FN-2)" }
      guard newDue > due else { return "the new due date \(newDue) is not after the current due date \(due)" }
      if let months = policy.lookup("fn.max_deferral.months", region: region, asOf: arrangement.approvedOn)?.value
        .integer, newDue > due.adding(months: months)
      {
        return
          """
          a deferral may run at most \(months) months, to \(due.adding(months: months)); asked for \(newDue) (FN-2, \
          fn.max_deferral.months)
          """
      }
    case .instalments:
      let schedule = arrangement.instalments
      guard schedule.count >= 2 else { return "an instalment plan needs at least two instalments (FN-4)" }
      let total = schedule.reduce(Fen.zero) { $0 + $1.amount }
      guard total == fine.amount else {
        return "the instalments sum to \(total.yuan), the fine is \(fine.amount.yuan); they must sum exactly (FN-4)"
      }
      guard schedule.allSatisfy({ $0.amount.value > 0 }) else {
        return "every instalment must be more than zero (FN-4)"
      }
      for (earlier, later) in zip(schedule, schedule.dropFirst()) where later.due <= earlier.due {
        return "instalment dates must strictly increase; \(later.due) follows \(earlier.due) (FN-4)"
      }
      guard let first = schedule.first, first.due >= arrangement.approvedOn else {
        return "the first instalment is due before the plan was approved"
      }
    }
    return nil
  }

  /// FN-3 to FN-5: amounts on `asOf`, with the surcharge trace. Payments go to the earliest due
  /// amount first; once the principal is paid they go to the surcharge. Only what is dated on or
  /// before `asOf` counts (Conventions).
  public static func statement(_ fine: Fine, region: String, asOf: Day, policy: PolicyBook) -> FineStatement {
    let fine = fine.asOf(asOf)
    let originalDue = originalDue(fine, region: region, policy: policy)
    let rateBP = surchargeRate(fine, region: region, policy: policy)
    let terms = FineTerms.timeline(fine, originalDue: originalDue, region: region, asOf: asOf, policy: policy)
    let payments = fine.payments.sorted { $0.on < $1.on }
    let accrual = accrue(terms, payments: payments, rateBP: rateBP, asOf: asOf)
    // FN-3: the total never exceeds the fine.
    let surchargeTotal = min(fine.amount.value, accrual.accrued.values.reduce(0) { $0 &+ $1 / 10_000 })
    let paidTotal = payments.reduce(Int64(0)) { $0 &+ $1.amount.value }
    return FineStatement(
      asOf: asOf, originalDue: originalDue, lawVersion: fine.lawVersion, obligations: accrual.current,
      segments: accrual.segments, assessed: fine.amount, paid: Fen(paidTotal),
      principalOutstanding: Fen(fine.amount.value - (paidTotal - accrual.toSurcharge)),
      surchargeAccrued: Fen(surchargeTotal), surchargePaid: Fen(min(accrual.toSurcharge, surchargeTotal)),
      rateBasisPoints: rateBP, terms: terms[terms.count - 1].rule)
  }

  /// FN-3: the daily surcharge rate in force on the decision date (basis points; 3% by law).
  static func surchargeRate(_ fine: Fine, region: String, policy: PolicyBook) -> Int {
    if case .basisPoints(let bp)? = policy.lookup("fn.surcharge.rate", region: region, asOf: fine.decidedOn)?.value {
      return bp
    }
    return 300
  }

  /// Accrues each term's obligations over the days that term governs (FN-2a); the surcharge of a
  /// label (the fine, or one instalment) is capped at its amount across terms (FN-3). Returns the
  /// accrual per label (fen x basis points), the trace's segments, the obligations of the term in
  /// force on `asOf`, and what the payments put towards the surcharge.
  static func accrue(_ terms: [FineTerms], payments: [FinePayment], rateBP: Int, asOf: Day) -> (
    accrued: [String: Int64], segments: [SurchargeSegment], current: [Obligation], toSurcharge: Int64
  ) {
    var accrued: [String: Int64] = [:]
    var segments: [SurchargeSegment] = []
    var current: [Obligation] = []
    var toSurcharge = Int64(0)
    for (index, term) in terms.enumerated() {
      let (paidBy, overflow) = allocate(payments, to: term.obligations)
      var results: [Obligation] = []
      for (slot, obligation) in term.obligations.enumerated() {
        var state = accrued[obligation.label] ?? 0
        var cappedOn: Day?
        segments += accrue(
          obligation, payments: paidBy[slot], from: max(obligation.due.adding(days: 1), term.from), to: term.to,
          excluded: term.excluded, rateBP: rateBP, accrued: &state, cappedOn: &cappedOn)
        accrued[obligation.label] = state
        results.append(
          Obligation(
            label: obligation.label, due: obligation.due, amount: obligation.amount,
            paid: Fen(paidBy[slot].reduce(0) { $0 &+ $1.amount }),
            surcharge: Fen(state / 10_000), cappedOn: cappedOn, daysOverdue: max(0, obligation.due.days(until: asOf))))
      }
      if index == terms.count - 1 {
        current = results
        toSurcharge = overflow
      }
    }
    return (accrued, segments, current, toSurcharge)
  }

  /// Payments applied to the obligations, earliest due first; what is left over goes to the surcharge.
  static func allocate(_ payments: [FinePayment], to obligations: [FineTerms.Owed]) -> (
    paidBy: [[(on: Day, amount: Int64)]], overflow: Int64
  ) {
    var paidBy: [[(on: Day, amount: Int64)]] = Array(repeating: [], count: obligations.count)
    var remaining = obligations.map(\.amount.value)
    var overflow = Int64(0)
    for payment in payments {
      var left = payment.amount.value
      for index in obligations.indices where left > 0 && remaining[index] > 0 {
        let applied = min(left, remaining[index])
        remaining[index] -= applied
        left -= applied
        paidBy[index].append((payment.on, applied))
      }
      overflow &+= left
    }
    return (paidBy, overflow)
  }

  /// FN-3: one obligation's surcharge over `from ... to`, segment by segment (a segment ends at a
  /// payment, the edge of an excluded interval, or the cap). `accrued` is in fen x basis points and
  /// carries over between terms; the arithmetic never multiplies past the cap, so it cannot overflow.
  static func accrue(
    _ obligation: FineTerms.Owed, payments: [(on: Day, amount: Int64)], from start: Day, to end: Day,
    excluded: [(range: ClosedRange<Day>, why: String)],
    rateBP: Int, accrued: inout Int64, cappedOn: inout Day?
  ) -> [SurchargeSegment] {
    guard start <= end else { return [] }
    let cap = obligation.amount.value.multipliedReportingOverflow(by: 10_000)
    guard !cap.overflow else { return [] }
    var segments: [SurchargeSegment] = []
    var cuts = Set(payments.map { $0.on.adding(days: 1) })  // a payment counts from the next day
    for (range, _) in excluded {
      cuts.insert(range.lowerBound)
      cuts.insert(range.upperBound.adding(days: 1))
    }
    var day = start
    while day <= end {
      let unpaid = obligation.amount.value - payments.filter { $0.on < day }.reduce(0) { $0 + $1.amount }
      var last = end
      if let next = cuts.filter({ $0 > day }).min(), next.adding(days: -1) < last { last = next.adding(days: -1) }
      func segment(_ to: Day, _ why: String?, _ surcharge: Int64) -> SurchargeSegment {
        SurchargeSegment(
          obligation: obligation.label, from: day, to: to, unpaid: Fen(max(0, unpaid)), excludedBecause: why,
          surcharge: Fen(surcharge))
      }
      if unpaid <= 0 {
        segments.append(segment(end, "paid", 0))
        break
      }
      if let reason = excluded.first(where: { $0.range.contains(day) })?.why {
        segments.append(segment(last, reason, 0))
      } else if accrued >= cap.partialValue {
        segments.append(segment(last, "capped at the amount (FN-3)", 0))
      } else {
        let before = accrued / 10_000
        let perDay = unpaid * Int64(rateBP)  // unpaid <= the bounded amount: no overflow
        let days = Int64(day.days(until: last) + 1)
        let daysToCap = (cap.partialValue - accrued + perDay - 1) / perDay
        if daysToCap <= days {
          let capDay = day.adding(days: Int(daysToCap) - 1)
          accrued = cap.partialValue
          if cappedOn == nil { cappedOn = capDay }
          segments.append(segment(capDay, nil, accrued / 10_000 - before))
          if capDay < last {
            segments.append(
              SurchargeSegment(
                obligation: obligation.label, from: capDay.adding(days: 1), to: last, unpaid: Fen(unpaid),
                excludedBecause: "capped at the amount (FN-3)", surcharge: .zero))
          }
        } else {
          accrued += perDay * days
          segments.append(segment(last, nil, accrued / 10_000 - before))
        }
      }
      day = last.adding(days: 1)
    }
    return segments
  }

  /// FN-5: a payment may not exceed what is owed on its date (principal and accrued surcharge).
  public static func paymentRefusal(_ payment: FinePayment, for fine: Fine, region: String, policy: PolicyBook)
    -> String?
  {
    guard payment.amount.value > 0 else { return "a payment must be more than zero" }
    guard payment.on >= fine.decidedOn else {
      return "the payment date \(payment.on) is before the decision (\(fine.decidedOn))"
    }
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
    let total = original.value.multipliedReportingOverflow(by: Int64(days))
    guard !total.overflow, total.partialValue <= Fen.maximum.value else { return nil }
    return (days, Fen(total.partialValue))
  }
}

extension Fine {
  /// The fine as it stood on `day`: payments, arrangements and suspensions dated after `day` are
  /// left out, and a review or litigation still open on `day` shows no end (Conventions).
  public func asOf(_ day: Day) -> Fine {
    var view = self
    view.payments = payments.filter { $0.on <= day }
    view.arrangements = arrangements.filter { $0.approvedOn <= day }
    view.suspensions = suspensions.filter { $0.from <= day }.map { suspension in
      var open = suspension
      if let to = suspension.to, to > day { open.to = nil }
      return open
    }
    return view
  }
}

/// The terms that govern a fine over time: FN-1's due date until the first arrangement is
/// approved, then each arrangement from its approval until the next one supersedes it (FN-2).
/// What accrued under earlier terms stands (FN-2a); the new dates run forward.
public struct FineTerms: Sendable {
  public struct Owed: Sendable, Hashable {
    public var label: String
    public var due: Day
    public var amount: Fen
  }

  /// The first and last day these terms govern.
  public var from: Day
  public var to: Day
  public var obligations: [Owed]
  /// Days that do not count toward the surcharge, and why (FN-3).
  public var excluded: [(range: ClosedRange<Day>, why: String)]
  /// The due-date rule these terms apply.
  public var rule: Rule

  /// Which rule sets the due dates, with what `fine show` states of it.
  public enum Rule: Sendable, CustomStringConvertible {
    case decision(Fine, due: Day)
    case arrangement(FineArrangement, law: LawVersion)

    public var description: String {
      switch self {
      case .decision(let fine, let due):
        return
          """
          FN-1: received \(fine.receivedOn) + \(fine.receivedOn.days(until: due)) days = \(due) \
          (\(fine.lawVersion.dueArticle))
          """
      case .arrangement(let a, let law) where a.kind == .deferral:
        return
          "FN-2: deferral approved \(a.approvedOn) by \(a.approver): due \(a.newDue.map(\.description) ?? "") (\(law.arrangementArticle))"
      case .arrangement(let a, let law):
        let dates = a.instalments.map { "\($0.due) \($0.amount.yuan)" }.joined(separator: ", ")
        return "FN-4: instalments approved \(a.approvedOn) by \(a.approver): \(dates) (\(law.arrangementArticle))"
      }
    }
  }

  /// The terms in force from the decision to `asOf`, oldest first (never empty). `fine` holds only
  /// what is dated on or before `asOf`.
  static func timeline(_ fine: Fine, originalDue: Day, region: String, asOf: Day, policy: PolicyBook) -> [FineTerms] {
    let suspended: [(range: ClosedRange<Day>, why: String)] = fine.suspensions.map {
      ($0.from...max($0.from, $0.to ?? asOf), "\($0.kind.rawValue) period (FN-3)")
    }
    let arrangements = fine.arrangements.sorted { $0.approvedOn < $1.approvedOn }
    var terms: [FineTerms] = []
    var start = fine.decidedOn
    var obligations = [Owed(label: "fine", due: originalDue, amount: fine.amount)]
    var excluded = suspended
    var rule = Rule.decision(fine, due: originalDue)
    // FN-2a's local switch: an application made by the due date may suspend accrual while pending.
    let pendingSuspends =
      policy.lookup("fn.pending_application_suspends", region: region, asOf: fine.decidedOn)?.value.integer == 1
    for arrangement in arrangements {
      let approved = max(arrangement.approvedOn, start)
      let currentDue = obligations.map(\.due).min() ?? originalDue
      if pendingSuspends, arrangement.appliedOn <= currentDue, currentDue < approved.adding(days: -1) {
        excluded.append(
          (
            currentDue.adding(days: 1)...approved.adding(days: -1),
            "application of \(arrangement.appliedOn) pending (FN-2a, fn.pending_application_suspends)"
          ))
      }
      if approved > start {
        terms.append(
          FineTerms(
            from: start, to: min(asOf, approved.adding(days: -1)), obligations: obligations, excluded: excluded,
            rule: rule))
      }
      start = approved
      excluded = suspended
      rule = .arrangement(arrangement, law: fine.lawVersion)
      switch arrangement.kind {
      case .deferral:
        let newDue = arrangement.newDue ?? currentDue
        obligations = [Owed(label: "fine", due: newDue, amount: fine.amount)]
        // FN-2a: the deferral counts from its approval; what accrued before it stands.
        if approved <= newDue {
          excluded.append((approved...newDue, "deferred to \(newDue), approved \(arrangement.approvedOn) (FN-2)"))
        }
      case .instalments:
        obligations = arrangement.instalments.enumerated().map {
          Owed(label: "instalment \($0.offset + 1)", due: $0.element.due, amount: $0.element.amount)
        }
      }
    }
    terms.append(FineTerms(from: start, to: asOf, obligations: obligations, excluded: excluded, rule: rule))
    return terms
  }
}
