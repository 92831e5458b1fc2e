/// Errors a registry operation reports to its caller. Each message is one sentence that names the
/// value at fault and, where there is one, the next step.
public enum RegistryError: Error, Equatable, Sendable, CustomStringConvertible {
  case notFound(kind: String, key: String, hint: String)
  case alreadyExists(kind: String, key: String, hint: String)
  case invalid([FieldProblem])
  case rejectedRows(count: Int, details: [String])
  case refused(String)
  /// The signed-in account may not do this (a 403 on the server); the reason names the right.
  case forbidden(String)
  case input(String)
  case database(String)

  public var description: String { description(in: .en) }

  /// The message in `language`: for `zh` the frame in Chinese and the reasons inside (written in
  /// English by the rules and validators) through the catalog (`Chinese`).
  public func description(in language: Language) -> String {
    guard language == .zh else { return english }
    func zh(_ text: String) -> String { Chinese.translate(text) }
    switch self {
    case .notFound(let kind, let key, let hint): return "未找到\(zh(kind)) \(key.quoted)。\(zh(hint))"
    case .alreadyExists(let kind, let key, let hint): return "\(zh(kind)) \(key.quoted) 已存在。\(zh(hint))"
    case .invalid(let problems):
      return problems.count == 1
        ? "输入有误：\(problems[0].description(in: .zh))。"
        : "\(problems.count) 处输入有误：\n" + problems.map { "\t- \($0.description(in: .zh))" }.joined(separator: "\n")
    case .rejectedRows(let count, let details):
      return "\(count) 行有误，未导入任何数据：\n" + details.map { "\t- \(zh($0))" }.joined(separator: "\n")
        + (count > details.count ? "\n\t- ……另有 \(count - details.count) 行（用 --skip-invalid FILE 得到完整清单）" : "")
    case .refused(let reason):
      return "不予办理：" + zh(reason.hasPrefix("Refused: ") ? String(reason.dropFirst("Refused: ".count)) : reason)
    case .forbidden(let reason): return "无权操作：\(zh(reason))。"
    case .input(let reason), .database(let reason): return zh(reason)
    }
  }

  var english: String {
    switch self {
    case .notFound(let kind, let key, let hint): "No \(kind) \(key.quoted). \(hint)"
    case .alreadyExists(let kind, let key, let hint):
      "\(kind.prefix(1).uppercased() + kind.dropFirst()) \(key.quoted) already exists. \(hint)"
    case .invalid(let problems):
      problems.count == 1
        ? "Invalid input: \(problems[0])."
        : "\(problems.count) invalid values:\n" + problems.map { "\t- \($0)" }.joined(separator: "\n")
    case .rejectedRows(let count, let details):
      "\(count) row\(count == 1 ? "" : "s") rejected; nothing was imported:\n"
        + details.map { "\t- \($0)" }.joined(separator: "\n")
        + (count > details.count
          ? "\n\t- ... and \(count - details.count) more (use --skip-invalid FILE for the full list)" : "")
    case .refused(let reason): reason
    case .forbidden(let reason): "Not allowed: \(reason)."
    case .input(let reason): reason
    case .database(let reason): reason
    }
  }
}
