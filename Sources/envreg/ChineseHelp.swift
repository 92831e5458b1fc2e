import ArgumentParser
import Foundation
import RegistryCore

/// `--help` in Chinese: argument-parser's help, laid out unwrapped, with its section titles and every
/// option's help put through the catalog (`Chinese`), then wrapped again for the terminal counting a
/// Chinese character as two columns. Abstracts and discussions are already Chinese at the source
/// (`Messages.say`).
enum ChineseHelp {
  /// The column where argument-parser starts an option's help.
  static let helpColumn = 26

  /// The help or version text for a parse that ended in one (nil for a real error).
  static func message(for error: any Error) -> String? {
    guard EnvReg.exitCode(for: error) == .success else { return nil }
    return render(EnvReg.fullMessage(for: error, columns: 100_000), width: terminalWidth())
  }

  static func terminalWidth() -> Int {
    if let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), columns >= 40 {
      return min(columns, 200)
    }
    var size = winsize()
    if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col >= 40 { return min(Int(size.ws_col), 200) }
    return 80
  }

  static let titles = [
    "OVERVIEW: ": "概述：", "USAGE: ": "用法：", "ARGUMENTS:": "参数：", "OPTIONS:": "选项：", "SUBCOMMANDS:": "子命令：",
  ]

  static func render(_ help: String, width: Int) -> String {
    var out: [String] = []
    for line in help.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
      if let title = titles.first(where: { line.hasPrefix($0.key) }) {
        out.append(title.value + line.dropFirst(title.key.count))
      } else if let (label, text) = optionLine(line) {
        let described = describe(text)
        if label.isEmpty || displayWidth(label) >= helpColumn - 1 {
          if !label.isEmpty { out.append(label) }
          out += wrap(described, indent: helpColumn, first: String(repeating: " ", count: helpColumn), width: width)
        } else {
          let first = label + String(repeating: " ", count: helpColumn - displayWidth(label))
          out += wrap(described, indent: helpColumn, first: first, width: width)
        }
      } else if ["envreg ", "printf ", "--"].contains(where: line.trimmingCharacters(in: .whitespaces).hasPrefix) {
        out.append(line)  // an example's command line
      } else {
        let indent = line.prefix(while: { $0 == " " })
        out.append(indent + Chinese.translate(String(line.dropFirst(indent.count))))
      }
    }
    return out.joined(separator: "\n")
  }

  /// A line of a usage error in Chinese: "Help:" names the option, then its help as `--help` gives it.
  static func errorLine(_ line: String) -> String {
    let rest = line.dropFirst(6).trimmingCharacters(in: .whitespaces)
    if line.hasPrefix("Help: "), let gap = rest.range(of: "  ") {
      return "帮助：" + rest[..<gap.lowerBound] + "  " + describe(String(rest[gap.upperBound...]))
    }
    let indent = line.prefix(while: { $0 == " " })
    return indent + Chinese.translate(String(line.dropFirst(indent.count)))
  }

  /// An option or argument line: its label (with indentation) and its help text.
  static func optionLine(_ line: String) -> (String, String)? {
    let characters = Array(line)
    guard characters.count > helpColumn, characters[helpColumn] != " " else { return nil }
    if characters.prefix(helpColumn).allSatisfy({ $0 == " " }) { return ("", String(characters[helpColumn...])) }
    guard line.hasPrefix("  "), characters[2] != " ", characters[helpColumn - 2] == " ",
      characters[helpColumn - 1] == " "
    else { return nil }
    let label = String(characters[..<helpColumn]).replacingOccurrences(
      of: "\\s+$", with: "", options: .regularExpression)
    return (label, String(characters[helpColumn...]))
  }

  /// An option's help in Chinese, with argument-parser's "(values: …; default: …)" after it.
  static func describe(_ text: String) -> String {
    var body = text
    var suffix = ""
    if text.hasSuffix(")"),
      let open = text.range(of: " (values: ", options: .backwards)
        ?? text.range(of: " (default: ", options: .backwards)
    {
      body = String(text[..<open.lowerBound])
      suffix = String(text[text.index(open.lowerBound, offsetBy: 2)...].dropLast())
        .replacingOccurrences(of: "values: ", with: "可选值：").replacingOccurrences(of: "default: ", with: "默认：")
        .replacingOccurrences(of: "; ", with: "；")
      suffix = "（" + suffix + "）"
    }
    return Chinese.translate(body) + suffix
  }

  /// Punctuation a line may not start with.
  static let closing: Set<Character> = ["。", "，", "、", "；", "：", "）", "」", "》", "！", "？", ")", ".", ",", ";", ":"]

  /// `text` in lines of at most `width` columns, the first after `first`, the rest after `indent` spaces.
  static func wrap(_ text: String, indent: Int, first: String, width: Int) -> [String] {
    var lines: [String] = []
    var current = first
    var used = displayWidth(first)
    var word = ""
    func flushWord() {
      guard !word.isEmpty else { return }
      let w = displayWidth(word)
      if used + w > width, used > indent {
        lines.append(current.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression))
        current = String(repeating: " ", count: indent)
        used = indent
        if word.hasPrefix(" ") { word.removeFirst() }
      }
      current += word
      used += displayWidth(word)
      word = ""
    }
    for character in text {
      // A Chinese character may end a line anywhere; English breaks at spaces.
      if character == " " {
        flushWord()
        word = " "
      } else if Self.closing.contains(character) {
        // Closing punctuation stays on the line of the character before it.
        word.append(character)
      } else if displayWidth(String(character)) == 2 {
        flushWord()
        word = String(character)
      } else {
        word.append(character)
      }
    }
    flushWord()
    lines.append(current)
    return lines
  }
}
