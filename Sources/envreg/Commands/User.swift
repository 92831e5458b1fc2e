import ArgumentParser
import Foundation
import RegistryCore
import RegistryServer
import RegistryService
import RegistryStore

extension EnvReg {
  struct UserGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "user",
      abstract: Messages.say(
        "Accounts of the served registry (envreg serve): roles, regions, passwords and API tokens.",
        zh: "网页服务（envreg serve）的账户：角色、地区、密码和 API 令牌。"),
      discussion: Messages.say(
        """
        admin: manages accounts and policy parameters, reads and writes everything. officer: writes the firms
        sited inside its --region and reads its province. viewer: reads (its province when it has a region).
        Passwords are kept as bcrypt hashes; a generated password or token is printed once, here.
        """,
        zh: """
          admin（管理员）：管理账户和政策参数，可读写全部数据。officer（经办人）：可写入 --region 内的企业，可查阅
          本省。viewer（查阅人）：只能查阅（有地区时为本省）。
          密码以 bcrypt 哈希保存；生成的密码或令牌只在这里打印一次。
          """),
      subcommands: [Add.self, List.self, Disable.self, Enable.self, Password.self, TokenGroup.self])
  }
}

/// `--password-stdin`, else a generated password printed once.
struct PasswordOptions: ParsableArguments {
  @Flag(help: "Read the password from the first line of standard input (else one is generated and printed).")
  var passwordStdin = false

  func password() throws -> (password: String, generated: Bool) {
    guard passwordStdin else { return (Secrets.newPassword(), true) }
    guard let line = readLine(strippingNewline: true) else {
      throw ValidationError("--password-stdin: standard input is empty.")
    }
    return (line, false)
  }
}

extension EnvReg.UserGroup {
  struct Add: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "add", abstract: Messages.say("Create an account (audited).", zh: "创建账户（留审计记录）。"),
      discussion: """
        Examples:
          envreg user add zhangwei --role officer --region 420102
          printf '%s\\n' "$PASSWORD" | envreg user add admin --role admin --password-stdin
        """)
    @OptionGroup var global: RegistryOptions
    @Argument(help: "Account name: 2-32 letters (Chinese too), digits, '.', '_' or '-'.") var name: String
    @Option(help: "admin, officer or viewer.") var role: Role
    @Option(help: "Region (GB/T 2260 code or 2/4-digit prefix): an officer's writes and everyone's reads stay inside.")
    var region: String?
    @OptionGroup var passwordOptions: PasswordOptions

    func run() throws {
      let (password, generated) = try passwordOptions.password()
      let account = try global.openRegistry().addAccount(name: name, role: role, region: region, password: password) {
        Secrets.hashPassword($0)
      }
      note(
        "Account \(account.name.quoted) created (\(account.role.rawValue)"
          + (account.regionPrefix.map { ", region \($0)" } ?? "") + ").",
        zh: "已创建账户 \(account.name.quoted)（\(Labels.value(account.role.rawValue, key: "role", .zh))"
          + (account.regionPrefix.map { "，地区 \($0)" } ?? "") + "）。")
      if generated { emit("\(account.name)\t\(password)\n") }
    }
  }

  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "list", abstract: Messages.say("Every account (never a password).", zh: "全部账户（不显示密码）。"))
    @OptionGroup var global: GlobalOptions

    func run() throws {
      let accounts = try global.openRegistry().storage.accounts()
      emit(
        Render.render(.list(accounts.map { .record(Report.account($0)) }), as: global.format, language: global.language)
      )
    }
  }

  struct Disable: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "disable",
      abstract: Messages.say(
        "Disable an account: no sign-in, no tokens; its history stays.", zh: "停用账户：不能登录，令牌失效；历史记录保留。"))
    @OptionGroup var global: RegistryOptions
    @Argument(help: "Account name.") var name: String

    func run() throws {
      _ = try global.openRegistry().disableAccount(name: name)
      note(
        "Account \(name.quoted) disabled; a running server signs it out at its next request.",
        zh: "已停用账户 \(name.quoted)；运行中的服务在其下一次请求时使其退出。")
    }
  }

  struct Enable: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "enable", abstract: Messages.say("Enable a disabled account.", zh: "启用已停用的账户。"))
    @OptionGroup var global: RegistryOptions
    @Argument(help: "Account name.") var name: String

    func run() throws {
      _ = try global.openRegistry().enableAccount(name: name)
      note("Account \(name.quoted) enabled.", zh: "已启用账户 \(name.quoted)。")
    }
  }

  struct Password: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "password",
      abstract: Messages.say(
        "Set an account's password (generated and printed unless --password-stdin).",
        zh: "设置账户密码（未用 --password-stdin 时自动生成并输出）。"))
    @OptionGroup var global: RegistryOptions
    @Argument(help: "Account name.") var name: String
    @OptionGroup var passwordOptions: PasswordOptions

    func run() throws {
      let (password, generated) = try passwordOptions.password()
      try global.openRegistry().setPassword(name: name, password: password) { Secrets.hashPassword($0) }
      note("Password of \(name.quoted) set.", zh: "已设置 \(name.quoted) 的密码。")
      if generated { emit("\(name)\t\(password)\n") }
    }
  }

  struct TokenGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "token",
      abstract: Messages.say(
        "API tokens for machine clients (Authorization: Bearer TOKEN).",
        zh: "供程序调用的 API 令牌（Authorization: Bearer TOKEN）。"),
      subcommands: [TokenAdd.self, TokenList.self, TokenRevoke.self])
  }

  struct TokenAdd: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "add",
      abstract: Messages.say(
        "Issue a token for an account; it acts with the account's rights. Printed once.", zh: "为账户签发令牌，权限同该账户。仅输出一次。"),
      discussion: "Example: envreg user token add zhangwei --label 'nightly sync'")
    @OptionGroup var global: RegistryOptions
    @Argument(help: "Account name.") var name: String
    @Option(help: "What the token is for.") var label: String

    func run() throws {
      let token = Secrets.newToken()
      let id = try global.openRegistry().addToken(account: name, label: label, tokenHash: Secrets.tokenHash(token))
      note("Token \(id) issued for \(name.quoted); it is not shown again.", zh: "已为 \(name.quoted) 签发令牌 \(id)；令牌不再显示。")
      emit(token + "\n")
    }
  }

  struct TokenList: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "list", abstract: Messages.say("An account's tokens (never the token).", zh: "账户的令牌（不显示令牌本身）。"))
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Account name.") var name: String

    func run() throws {
      let tokens = try global.openRegistry().storage.tokens(of: name)
      emit(
        Render.render(
          .list(
            tokens.map {
              .record(
                Fields([
                  ("id", .int($0.id)), ("label", .text($0.label)), ("created_at", .text($0.createdAt)),
                  ("revoked_at", .optional($0.revokedAt)),
                ]))
            }), as: global.format, language: global.language))
    }
  }

  struct TokenRevoke: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "revoke", abstract: Messages.say("Revoke a token at once.", zh: "立即撤销令牌。"))
    @OptionGroup var global: RegistryOptions
    @Argument(help: "Account name.") var name: String
    @Argument(help: "Token id (see 'user token list').") var id: Int

    func run() throws {
      try global.openRegistry().revokeToken(account: name, id: id)
      note("Token \(id) of \(name.quoted) revoked.", zh: "已撤销 \(name.quoted) 的令牌 \(id)。")
    }
  }
}

extension Role: ExpressibleByArgument {}

extension EnvReg {
  struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "serve",
      abstract: Messages.say(
        "Serve the registry to a bureau's staff: pages in Chinese (or English) and a JSON API, with accounts.",
        zh: "为生态环境部门工作人员提供网页服务：中文（或英文）页面和 JSON API，带账户管理。"),
      discussion: Messages.say(
        """
        Listens on loopback unless told otherwise. Put a TLS reverse proxy in front (README, Deployment) and
        pass --secure-cookies. Create accounts first with 'envreg user add'. Stops on SIGINT/SIGTERM after the
        requests in flight (writes included) finish. One line per request goes to standard error.
        """,
        zh: """
          除非另行指定，只监听本机回环地址。请在前面放置 TLS 反向代理（见 README 的 Deployment 一节）并给出
          --secure-cookies。请先用 'envreg user add' 创建账户。收到 SIGINT/SIGTERM 后，等进行中的请求（含写入）完成再停止。
          每个请求在标准错误输出一行日志。
          """)
        + "\n" + """
          Example: envreg serve --db envreg-demo/demo.sqlite --listen 127.0.0.1:8080
          """)
    @OptionGroup var global: RegistryOptions
    @Option(help: ArgumentHelp("Address and port to listen on.", valueName: "host:port")) var listen = "127.0.0.1:8080"
    @Flag(help: "Mark cookies Secure (when clients reach the server over HTTPS through a proxy).")
    var secureCookies = false

    func run() throws {
      guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]),
        (1...65_535).contains(port)
      else {
        throw ValidationError("--listen \(listen.quoted) must be host:port, e.g. 127.0.0.1:8080.")
      }
      var configuration = ServerConfiguration()
      configuration.host = String(listen[..<colon])
      configuration.port = port
      configuration.secureCookies = secureCookies
      configuration.asOf = global.asOfArgument
      // Requests read side by side through a pool of connections (SQLite: one writer beside them, WAL).
      let registry = Registry(
        storage: try global.openStorage(connections: 2 * ProcessInfo.processInfo.activeProcessorCount))
      if try registry.storage.accounts().isEmpty {
        note(
          "No accounts yet: create one with 'envreg user add NAME --role admin --db \(global.databaseName)'.",
          zh: "尚无账户：请先用 'envreg user add NAME --role admin --db \(global.databaseName)' 创建。")
      }
      note(
        "Serving \(global.databaseName) on http://\(listen)/ (Ctrl-C stops).",
        zh: "正在 http://\(listen)/ 提供 \(global.databaseName)（Ctrl-C 停止）。")
      standardOutput.flush()
      let outcome = Outcome()
      let done = DispatchSemaphore(value: 0)
      let serving = configuration
      Task {
        do { try await RegistryServer.run(registry: registry, configuration: serving) } catch { outcome.set(error) }
        done.signal()
      }
      done.wait()
      if let error = outcome.error { throw error }
    }
  }
}

/// The error a server task ended with, handed back to the blocked command.
final class Outcome: @unchecked Sendable {
  private let lock = NSLock()
  private var stored: (any Error)?
  var error: (any Error)? { lock.withLock { stored } }
  func set(_ error: any Error) { lock.withLock { stored = error } }
}
