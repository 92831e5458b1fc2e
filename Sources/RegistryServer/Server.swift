import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOPosix
import RegistryCore
import RegistryService

/// How `envreg serve` runs.
public struct ServerConfiguration: Sendable {
  public var host = "127.0.0.1"
  public var port = 8080
  /// Cookies marked Secure: set when the server is reached over TLS (a reverse proxy in front).
  public var secureCookies = false
  /// Sessions end after this long without a request, and this long after sign-in.
  public var sessionIdle: TimeInterval = 30 * 60
  public var sessionLifetime: TimeInterval = 12 * 3600
  /// Sign-in failures allowed per account name and per address within `loginWindow`.
  public var loginLimit = 5
  public var loginWindow: TimeInterval = 15 * 60
  /// The largest request body read (forms and JSON); an upload is larger (`uploadLimit`).
  public var bodyLimit = 1 << 20
  /// bcrypt's work factor for passwords set through the server.
  public var bcryptCost = Secrets.defaultCost
  /// The evaluation date: nil for today in China Standard Time (tests pin it).
  public var asOf: Day?
  /// `info` writes the access log and every refusal; tests keep only errors.
  public var logLevel: Logger.Level = .info
  /// The sessions' and the sign-in throttle's clock (tests move it).
  public var clock: @Sendable () -> Date = { Date() }

  public init() {}
}

/// What every handler shares: the registry, the sessions, the templates.
final class ServerState: Sendable {
  let registry: Registry
  let configuration: ServerConfiguration
  let sessions: SessionStore
  let throttle: LoginThrottle
  let pages: Pages
  let uploads: UploadFolder

  init(registry: Registry, configuration: ServerConfiguration) throws {
    self.registry = registry
    self.configuration = configuration
    sessions = SessionStore(
      idle: configuration.sessionIdle, lifetime: configuration.sessionLifetime, clock: configuration.clock)
    throttle = LoginThrottle(
      limit: configuration.loginLimit, window: configuration.loginWindow, clock: configuration.clock)
    pages = try Pages()
    uploads = try UploadFolder()
  }

  var today: Day {
    if let day = configuration.asOf { return day }
    let seconds = Int(Date().timeIntervalSince1970) + 8 * 3600
    return Day(ordinal: seconds / 86_400)
  }

  /// Runs a synchronous service call on the worker threads, never on an event loop (the storage
  /// is synchronous, Storage.swift).
  func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await ServerState.workers.runIfActive(body)
  }

  /// A fixed pool of two threads per core for the service calls, made once per process and never
  /// stopped: a blocked writer holds one thread, not the event loops, and reads do not spread over
  /// as many threads as there are requests in flight (as a concurrent dispatch queue did).
  static let workers: NIOThreadPool = {
    let pool = NIOThreadPool(numberOfThreads: max(4, 2 * System.coreCount))
    pool.start()
    return pool
  }()
}

/// The request context: the signed-in account (if any), its session, the page language.
public struct WebContext: RequestContext {
  public var coreContext: CoreRequestContextStorage
  var account: Account?
  var session: Session?
  var language: Language = .zh
  /// The client's address, for the sign-in throttle and the access log.
  let remote: String

  public init(source: ApplicationRequestContextSource) {
    coreContext = .init(source: source)
    remote = source.channel.remoteAddress?.ipAddress ?? "local"
  }

  /// The service as the signed-in account: its writes audited under the account and checked
  /// against its rights.
  func registry(_ state: ServerState) throws -> Registry {
    guard let account else { throw HTTPError(.unauthorized, message: "Sign in first.") }
    return state.registry.acting(as: account)
  }
}

/// The served registry: builds the application (tests drive it without a socket).
public enum RegistryServer {
  public static func application(
    registry: Registry, configuration: ServerConfiguration, logger: Logger? = nil
  ) throws -> some ApplicationProtocol {
    let state = try ServerState(registry: registry, configuration: configuration)
    let router = Router(context: WebContext.self)
    router.add(middleware: AccessLog())
    router.add(middleware: SecurityHeaders())
    router.add(middleware: Authentication(state: state))
    router.get("/healthz") { _, _ in "ok\n" }
    PageRoutes(state: state).register(on: router)
    APIRoutes(state: state).register(on: router)
    return Application(
      router: router,
      configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "envreg"),
      logger: logger
        ?? {
          var logger = Logger(label: "envreg.serve")
          logger.logLevel = configuration.logLevel
          return logger
        }())
  }

  /// Runs until SIGINT or SIGTERM, then stops taking connections and finishes the requests (and
  /// writes) in flight.
  public static func run(registry: Registry, configuration: ServerConfiguration) async throws {
    let app = try application(registry: registry, configuration: configuration)
    try await app.runService()
  }
}

/// One line per request: method, path, status, milliseconds, account, address.
struct AccessLog: RouterMiddleware {
  typealias Context = WebContext
  func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response)
    async throws -> Response
  {
    let start = ContinuousClock.now
    var status = "500"
    defer {
      let elapsed = ContinuousClock.now - start
      let ms = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
      context.logger.info(
        "\(request.method) \(request.uri.path) \(status) \(String(format: "%.1f", ms))ms \(context.remote)")
    }
    do {
      let response = try await next(request, context)
      status = String(response.status.code)
      return response
    } catch let error as HTTPResponseError {
      status = String(error.status.code)
      throw error
    }
  }
}

/// Headers on every response: no framing, no sniffing, scripts and styles from this origin only.
struct SecurityHeaders: RouterMiddleware {
  typealias Context = WebContext
  func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response)
    async throws -> Response
  {
    var response = try await next(request, context)
    response.headers[.contentSecurityPolicy] = "default-src 'self'; frame-ancestors 'none'; form-action 'self'"
    response.headers[.xContentTypeOptions] = "nosniff"
    response.headers[.init("Referrer-Policy")!] = "same-origin"
    response.headers[.init("X-Frame-Options")!] = "DENY"
    if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
    return response
  }
}

/// Finds the caller: a session cookie (pages) or a bearer token (the API). An account disabled
/// since is treated as signed out.
struct Authentication: RouterMiddleware {
  typealias Context = WebContext
  let state: ServerState

  func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response)
    async throws -> Response
  {
    var context = context
    if let lang = request.cookies["envreg_lang"]?.value, let language = Language(rawValue: lang) {
      context.language = language
    }
    if let header = request.headers[.authorization], header.hasPrefix("Bearer ") {
      let hash = Secrets.tokenHash(String(header.dropFirst("Bearer ".count)))
      let account = try await state.run { try self.state.registry.storage.account(tokenHash: hash) }
      guard let account, !account.isDisabled else {
        throw HTTPError(.unauthorized, message: "The token is unknown, revoked, or its account is disabled.")
      }
      context.account = account
    } else if let id = request.cookies[PageRoutes.sessionCookie]?.value, let session = state.sessions.touch(id) {
      let account = try await state.run { try self.state.registry.storage.account(named: session.account) }
      if let account, !account.isDisabled {
        context.account = account
        context.session = session
      } else {
        state.sessions.end(id)
      }
    }
    if let account = context.account {
      context.logger[metadataKey: "user"] = .string(account.name)
    }
    return try await next(request, context)
  }
}
