/// Chinese for the English sentences envreg's rules, validators and storages write (reasons,
/// refusals, warnings, trace descriptions, option help): one catalog, `Embedded/zh-catalog.tsv`,
/// applied where a message is shown to people in Chinese. The rules keep writing one language and
/// stay pure; JSON and CSV keep the English.
///
/// A catalog line is `english<TAB>chinese` (`\n` in either stands for a line break). The English
/// may hold holes `{1}`…`{9}` (each matches any non-empty text within one line); the Chinese places
/// them in its own order. A hole written `{2:permit_class}` shows a vocabulary code by its Chinese
/// name (`Labels`), `{1:bool}` shows yes/no as 是/否, `{1:codes}` a parameter's codes by their names,
/// `{1:each}` translates each item of a comma-separated list, `{1:versions}` a clause's parameter
/// versions, `{1:raw}` keeps the text (a command line), `{1:n}` matches a number only; a plain hole
/// is itself translated when the catalog knows it (a reason inside a frame).
public enum Chinese {
  /// `english` in Chinese: an exact sentence, else the most specific template that matches (the one
  /// with the most literal text), else the text unchanged.
  public static func translate(_ english: String) -> String { translate(english, depth: 0) }

  /// Whether `text` reads as English words (a letter and a space side by side, or "; "): codes,
  /// names and dates are left alone without a look-up.
  static func looksEnglish(_ text: String) -> Bool {
    var previous: UInt8 = 0
    for byte in text.utf8 {
      let isLetter = (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A)
      if (byte == 0x20 && previous >= 0x61 && previous <= 0x7A) || (isLetter && previous == 0x20) { return true }
      // `RULE; document`: a reference whose rule is translated apart from its document.
      if byte == 0x20 && previous == 0x3B { return true }
      previous = byte
    }
    return false
  }

  static func translate(_ english: String, depth: Int) -> String {
    if let exact = catalog.exact[english] { return exact }
    // A sentence ending in a full stop may be catalogued without it: a Chinese full stop then.
    let bare = english.hasSuffix(".") && !english.hasSuffix("..") ? String(english.dropLast()) : nil
    if let bare, let exact = catalog.exact[bare] { return exact + "。" }
    guard depth < 4, looksEnglish(english) else { return english }
    if let problem = fieldProblem(english, depth: depth) { return problem }
    var best = bestTemplate(english, depth: depth)
    if let bare, let stopped = bestTemplate(bare, depth: depth), stopped.score > (best?.score ?? -1) {
      best = (stopped.score, stopped.text + "。")
    }
    if let best { return best.text }
    // A message of several lines (a refusal listing its reasons) is translated line by line, each
    // line's "\t- " kept.
    guard english.contains("\n") else { return english }
    return english.split(separator: "\n", omittingEmptySubsequences: false).map { line in
      let bullet = line.prefix(while: { $0 == "\t" || $0 == "-" || $0 == " " })
      return bullet + translate(String(line.dropFirst(bullet.count)), depth: depth + 1)
    }.joined(separator: "\n")
  }

  /// The most specific template matching `text` (the most literal text), rendered.
  static func bestTemplate(_ text: String, depth: Int) -> (score: Int, text: String)? {
    var best: (score: Int, text: String)?
    for template in catalog.candidates(for: text) where template.literalLength > (best?.score ?? -1) {
      if let holes = template.match(text) { best = (template.literalLength, template.render(holes, depth: depth)) }
    }
    return best
  }

  /// `field "value": reason` as `FieldProblem` writes it, with the field's Chinese name.
  static func fieldProblem(_ text: String, depth: Int) -> String? {
    guard let space = text.firstIndex(of: " "), text[text.index(after: space)...].hasPrefix("\"") else { return nil }
    let field = text[..<space]
    guard !field.isEmpty, field.allSatisfy({ $0.isASCII && ($0.isLowercase || $0 == "_" || $0 == "/" || $0 == ".") })
    else { return nil }
    let rest = text[text.index(after: space)...]
    guard let close = rest.dropFirst().firstRange(of: "\": ") else { return nil }
    let value = rest[rest.startIndex..<rest.index(after: close.lowerBound)]
    let reason = String(rest[close.upperBound...])
    let name = Labels.field(String(field), .zh)
    let shown = name == field ? String(field) : "\(name)（\(field)）"
    return "\(shown) \(value)：\(translate(reason, depth: depth + 1))"
  }

  /// The catalog, read once.
  static let catalog = Catalog(Embedded.zhCatalog)

  struct Catalog: Sendable {
    var exact: [String: String] = [:]
    /// Templates by the first character of their English (a template opening with a hole under "").
    var byFirst: [Character: [Template]] = [:]
    var openingWithHole: [Template] = []

    init(_ text: String) {
      for line in text.split(separator: "\n", omittingEmptySubsequences: true) where !line.hasPrefix("#") {
        let parts = line.split(separator: "\t", maxSplits: 1)
        guard parts.count == 2 else { continue }
        // `\n` and `\t` stand for a line break and a tab (a catalog line is one line).
        func unescape(_ text: Substring) -> String {
          String(text).replacing("\\n", with: "\n").replacing("\\t", with: "\t")
        }
        let english = unescape(parts[0]), chinese = unescape(parts[1])
        guard english.contains("{"), let template = Template(english: english, chinese: chinese) else {
          exact[english] = chinese
          continue
        }
        if let first = template.literals[0].first {
          byFirst[first, default: []].append(template)
        } else {
          openingWithHole.append(template)
        }
      }
    }

    func candidates(for text: String) -> [Template] {
      guard let first = text.first else { return [] }
      return (byFirst[first] ?? []) + openingWithHole
    }
  }

  struct Template: Sendable {
    /// The English between the holes (one more than the holes; empty at an end that is a hole).
    let literals: [String]
    /// The hole numbers in the order the English has them, with their vocabulary.
    let holes: [(number: Int, vocabulary: String)]
    /// The Chinese as literal text and hole numbers.
    let output: [Piece]
    let literalLength: Int
    let spansLines: Bool

    enum Piece: Sendable {
      case text(String)
      case hole(Int)
    }

    init?(english: String, chinese: String) {
      var literals: [String] = []
      var holes: [(Int, String)] = []
      var current = ""
      var rest = Substring(english)
      while let open = rest.firstIndex(of: "{") {
        guard let close = rest[open...].firstIndex(of: "}"),
          let hole = Template.hole(rest[rest.index(after: open)..<close])
        else { return nil }
        current += rest[..<open]
        literals.append(current)
        current = ""
        holes.append(hole)
        rest = rest[rest.index(after: close)...]
      }
      literals.append(current + rest)
      // A template with no literal text would match anything.
      guard !holes.isEmpty, literals.contains(where: { !$0.isEmpty }) else { return nil }
      var output: [Piece] = []
      var text = Substring(chinese)
      while let open = text.firstIndex(of: "{") {
        guard let close = text[open...].firstIndex(of: "}"),
          let hole = Template.hole(text[text.index(after: open)..<close])
        else { return nil }
        output.append(.text(String(text[..<open])))
        output.append(.hole(hole.0))
        text = text[text.index(after: close)...]
      }
      output.append(.text(String(text)))
      self.literals = literals
      self.holes = holes
      self.output = output
      self.literalLength = literals.reduce(0) { $0 + $1.count }
      self.spansLines = literals.contains { $0.contains("\n") }
    }

    static func hole(_ inside: Substring) -> (Int, String)? {
      let parts = inside.split(separator: ":", maxSplits: 1)
      guard let first = parts.first, let number = Int(first), (1...9).contains(number) else { return nil }
      return (number, parts.count == 2 ? String(parts[1]) : "")
    }

    /// The holes' text when `text` has this template's form (each hole non-empty, the earliest
    /// occurrence of each literal after it).
    func match(_ text: String) -> [Int: String]? {
      guard text.hasPrefix(literals[0]) else { return nil }
      // A hole stays inside one line unless the template itself spans lines.
      if text.contains("\n"), !spansLines { return nil }
      var position = text.index(text.startIndex, offsetBy: literals[0].count)
      var values: [Int: String] = [:]
      for (index, hole) in holes.enumerated() {
        let next = literals[index + 1]
        guard position < text.endIndex else { return nil }
        let holeStart = position
        if index + 1 == holes.count {
          // The last hole runs to the final literal, which ends the text.
          guard text.hasSuffix(next), text.distance(from: holeStart, to: text.endIndex) > next.count else { return nil }
          let end = text.index(text.endIndex, offsetBy: -next.count)
          values[hole.number] = String(text[holeStart..<end])
          position = text.endIndex
        } else {
          guard !next.isEmpty,
            let found = text[text.index(after: holeStart)...].firstRange(of: next)
          else { return nil }
          values[hole.number] = String(text[holeStart..<found.lowerBound])
          position = found.upperBound
        }
      }
      guard position == text.endIndex else { return nil }
      // `{n:n}` holds a number (a line, a count, days): nothing else matches it.
      for hole in holes where hole.vocabulary == "n" {
        guard let value = values[hole.number],
          value.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "-" || $0 == ".") })
        else { return nil }
      }
      return values
    }

    func render(_ values: [Int: String], depth: Int) -> String {
      var out = ""
      for piece in output {
        switch piece {
        case .text(let text): out += text
        case .hole(let number):
          let value = values[number] ?? ""
          let vocabulary = holes.first(where: { $0.number == number })?.vocabulary ?? ""
          out += Template.show(value, vocabulary: vocabulary, depth: depth)
        }
      }
      return out
    }

    static func show(_ value: String, vocabulary: String, depth: Int) -> String {
      switch vocabulary {
      case "": return Chinese.translate(value, depth: depth + 1)
      case "bool": return ["yes": "是", "no": "否", "true": "是", "false": "否", "unknown": "未知"][value] ?? value
      case "versions":
        // Parameter versions as a clause names them: `key@jurisdiction from day, …`.
        return value.split(separator: ", ").map { version in
          guard let from = version.firstRange(of: " from ") else { return String(version) }
          return "\(version[..<from.lowerBound])，\(version[from.upperBound...]) 起施行"
        }.joined(separator: "；")
      case "raw", "n": return value
      case "codes":
        // A parameter's codes (`yellow red`): each by the Chinese name of whichever vocabulary holds it.
        return value.split(separator: " ").map { Labels.anyValue(String($0)) }.joined(separator: "、")
      case "each":
        return value.split(separator: ", ").map { Chinese.translate(String($0), depth: depth + 1) }.joined(
          separator: "、")
      default: return Labels.value(value, key: vocabulary, .zh)
      }
    }
  }
}
