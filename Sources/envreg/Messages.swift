import Foundation
import RegistryCore

/// The language of envreg's messages on stderr (notes, warnings, errors), chosen once at start-up:
/// `--lang zh|en` when the command line has it, else the locale's (LC_ALL, LC_MESSAGES, LANG).
enum Messages {
  static let language: Language = {
    let arguments = CommandLine.arguments
    for (index, argument) in arguments.enumerated() {
      if argument.hasPrefix("--lang="), let chosen = Language(rawValue: String(argument.dropFirst(7))) {
        return chosen
      }
      if argument == "--lang", index + 1 < arguments.count, let chosen = Language(rawValue: arguments[index + 1]) {
        return chosen
      }
    }
    return Language.fromLocale(ProcessInfo.processInfo.environment)
  }()

  /// The message in the chosen language.
  static func say(_ english: String, zh chinese: String) -> String { language == .zh ? chinese : english }
}

/// Writes a message to stderr in the chosen language.
func note(_ english: String, zh chinese: String) { note(Messages.say(english, zh: chinese)) }

/// A warning line (`warning: …` / `警告：…`).
func warn(_ text: String) { note(Messages.say("warning: \(text)", zh: "警告：\(Chinese.translate(text))")) }
