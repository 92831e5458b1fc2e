import ArgumentParser
import Foundation
import RegistryCore

/// The entry point: flushes buffered standard output however the command ends (argument-parser
/// exits the process directly on errors and exit codes).
@main
enum Entrypoint {
  static func main() {
    atexit { standardOutput.flush() }
    // A file-size limit (ulimit -f) makes write() fail with EFBIG instead of killing the process:
    // the failure is then a message and the partial output is removed.
    signal(SIGXFSZ, SIG_IGN)
    var command: any ParsableCommand
    do { command = try EnvReg.parseAsRoot() } catch { exit(withError: error) }
    do {
      try command.run()
    } catch let error as ValidationError {
      // A bad value found while running: the reason and the usage of the subcommand that was run
      // (argument-parser would print the root command's usage here).
      note(
        """
        \(Messages.say("Error: ", zh: "错误："))\(Messages.say(error.message, zh: Chinese.translate(error.message)))
        \(Messages.say("Usage: ", zh: "用法："))\(EnvReg.usageString(for: type(of: command)))
          \(Messages.say("See '\(EnvReg.commandPath(type(of: command))) --help' for more information.",
          zh: "用 '\(EnvReg.commandPath(type(of: command))) --help' 查看更多信息。"))
        """
      )
      standardOutput.flush()
      Foundation.exit(64)
    } catch let error as RegistryError where Messages.language == .zh {
      note("错误：" + error.description(in: .zh))
      standardOutput.flush()
      Foundation.exit(EXIT_FAILURE)
    } catch {
      exit(withError: error)
    }
  }

  /// argument-parser's exit for an error, help (`--help` is a command whose run throws) or version;
  /// help in Chinese when that is the language.
  static func exit(withError error: any Error) -> Never {
    if Messages.language == .zh, let help = ChineseHelp.message(for: error) {
      standardOutput.write(help.hasSuffix("\n") ? help : help + "\n")
      standardOutput.flush()
      Foundation.exit(EXIT_SUCCESS)
    }
    if Messages.language == .zh {
      // A usage error: argument-parser's message, usage and pointer to --help, each line in Chinese.
      let message = EnvReg.fullMessage(for: error).split(separator: "\n", omittingEmptySubsequences: false)
        .map { ChineseHelp.errorLine(String($0)) }.joined(separator: "\n")
      note(message)
      standardOutput.flush()
      Foundation.exit(EnvReg.exitCode(for: error).rawValue)
    }
    EnvReg.exit(withError: error)
  }
}

/// The root command. Each subcommand parses, calls the registry service, and renders.
struct EnvReg: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "envreg",
    abstract: Messages.say(
      "Enterprise environmental-compliance registry for ecology and environment bureaus (环厅〔2020〕27号).",
      zh: "生态环境部门企业环境合规登记系统（环厅〔2020〕27号）。"),
    discussion: Messages.say(
      """
      One SQLite file holds the registry (--db, $ENVREG_DB, else ./envreg.sqlite). Every change is one \
      transaction with its audit row. Read commands take --format table|json|csv; JSON is a stable contract. \
      Every rule is evaluated as of a date (--as-of, default asOf in China Standard Time).

      Exit codes: 0 ok; 1 error; 3 the command ran and the answer is negative (ineligible, overdue found, a \
      member lapsed, a broken audit chain); 4 undetermined (a fact the rules need is missing); 64 usage.

      Start with 'envreg demo' (builds a demo registry from the bundled samples and tours it), or 'envreg init \
      --db reg.sqlite' then 'envreg enterprise import firms.csv --db reg.sqlite'.
      """,
      zh: """
        登记库是一个 SQLite 文件（--db，或 $ENVREG_DB，否则 ./envreg.sqlite）。每次变更是一个事务并留审计记录。查询命令可用 --format \
        table|json|csv；JSON 是稳定接口。所有规则都按某一日期评估（--as-of，默认为北京时间的今天）。--lang zh|en 选择表格和提示的语言（默认随系统区域设置）。

        退出码：0 成功；1 错误；3 命令已执行且结论为否定（不符合、发现逾期、名录企业不再符合、审计链断裂）；4 无法判定（缺少规则所需的事实）；64 用法错误。

        可从 'envreg demo' 开始（用内置样例建立演示登记库并演示），或 'envreg init --db reg.sqlite' 后 'envreg enterprise import \
        firms.csv --db reg.sqlite'。
        """),
    version: "0.1.0",
    subcommands: [
      Init.self, Demo.self, EnterpriseGroup.self, EligibilityCommand.self, ListsGroup.self, DesignationGroup.self,
      IncidentGroup.self,
      PermitGroup.self, FineGroup.self, RetrofitGroup.self, LedgerGroup.self, Due.self, PolicyGroup.self,
      InspectorGroup.self, InspectGroup.self, WeatherGroup.self, ProjectGroup.self, AuditGroup.self, Check.self,
      Backup.self, Copy.self,
      UserGroup.self, Serve.self,
    ]
  )
}

extension EnvReg {
  /// "envreg enterprise show" for `EnterpriseGroup.Show`: the command names from the root down.
  static func commandPath(_ type: any ParsableCommand.Type) -> String {
    func path(_ node: any ParsableCommand.Type, _ trail: [String]) -> [String]? {
      let here = trail + [node._commandName]
      if ObjectIdentifier(node) == ObjectIdentifier(type) { return here }
      for child in node.configuration.subcommands {
        if let found = path(child, here) { return found }
      }
      return nil
    }
    return (path(EnvReg.self, []) ?? ["envreg"]).joined(separator: " ")
  }
}

/// "Ran fine, the answer is negative": scripts branch on it.
let negativeResult = ExitCode(3)
