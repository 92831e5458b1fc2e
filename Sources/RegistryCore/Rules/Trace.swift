/// One line of a verdict's trace: which rule, what it asks, the fact used, the threshold, the
/// outcome and the clause (with the parameter version that supplied the threshold).
public struct TraceLine: Sendable, Hashable {
  public enum Kind: String, Sendable { case category, condition, exclusion }

  /// A category holds (`pass`), a condition passes, an exclusion does not apply (`pass`) ... For an
  /// exclusion `fail` means "applies: the firm is excluded".
  public enum Outcome: String, Sendable {
    case pass, fail, unknown
    /// The rule was not in force on the evaluation date (a category before 2020-06-03).
    case notInForce = "not-in-force"
  }

  public var rule: String
  public var kind: Kind
  public var outcome: Outcome
  /// The line's text, shared by copies (a sweep copies many lines), absent when untraced.
  private var text: Text?

  final class Text: Sendable, Hashable {
    let description: String, fact: String, threshold: String, clause: String
    init(description: String, fact: String, threshold: String, clause: String) {
      self.description = description
      self.fact = fact
      self.threshold = threshold
      self.clause = clause
    }
    static func == (lhs: Text, rhs: Text) -> Bool {
      (lhs.description, lhs.fact, lhs.threshold, lhs.clause) == (rhs.description, rhs.fact, rhs.threshold, rhs.clause)
    }
    func hash(into hasher: inout Hasher) {
      hasher.combine(description); hasher.combine(fact); hasher.combine(threshold); hasher.combine(clause)
    }
  }

  public var description: String { text?.description ?? "" }
  public var fact: String { text?.fact ?? "" }
  public var threshold: String { text?.threshold ?? "" }
  public var clause: String { text?.clause ?? "" }

  public init(
    _ rule: String, _ kind: Kind, _ description: String, fact: String, threshold: String, outcome: Outcome,
    clause: String
  ) {
    self.rule = rule
    self.kind = kind
    self.outcome = outcome
    text = Text(description: description, fact: fact, threshold: threshold, clause: clause)
  }

  /// A line with its outcome only (an untraced evaluation).
  init(_ rule: String, _ kind: Kind, outcome: Outcome) {
    self.rule = rule
    self.kind = kind
    self.outcome = outcome
    text = nil
  }

  /// The outcome as people read it for this kind of line.
  public var reading: String {
    switch (kind, outcome) {
    case (_, .unknown): "unknown"
    case (_, .notInForce): "not in force"
    case (.category, .pass): "holds"
    case (.category, .fail): "no"
    case (.exclusion, .pass): "clear"
    case (.exclusion, .fail): "EXCLUDED"
    case (.condition, .pass): "pass"
    case (.condition, .fail): "FAIL"
    }
  }

  public var fields: Fields {
    Fields([
      ("rule", .text(rule)), ("kind", .text(kind.rawValue)), ("description", .text(description)), ("fact", .text(fact)),
      ("threshold", .text(threshold)), ("outcome", .text(outcome.rawValue)), ("reading", .text(reading)),
      ("clause", .text(clause)),
    ])
  }
}

extension Render {
  /// Trace lines as people read them: one block per rule, nothing cut (supervisors and courts read
  /// these; a table would truncate the clause).
  public static func traceBlocks(_ lines: [TraceLine], language: Language = .en) -> String {
    func padded(_ text: String, _ width: Int) -> String { pad(text, toWidth: width) }
    let zh = language == .zh
    var text = ""
    for line in lines {
      let reading = zh ? Labels.reading(line.reading) : line.reading
      func say(_ english: String) -> String { zh ? Chinese.translate(english) : english }
      text += "\n\(padded(line.rule, 6))  \(padded(reading, 12))  \(say(line.description))\n"
      text +=
        zh
        ? "\(padded("", 22))事实：\(say(line.fact))   标准：\(say(line.threshold))\n"
        : "\(padded("", 22))fact: \(line.fact)   threshold: \(line.threshold)\n"
      if !line.clause.isEmpty { text += "\(padded("", 22))\(zh ? "依据：" : "clause: ")\(say(line.clause))\n" }
    }
    return text
  }
}
