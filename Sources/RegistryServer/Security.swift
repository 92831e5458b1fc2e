import Foundation
import HummingbirdBcrypt
import RegistryCore

/// Passwords as bcrypt hashes (hummingbird-auth's `Bcrypt`), tokens as random secrets kept as
/// their SHA-256: the registry holds nothing a stolen copy could sign in with.
public enum Secrets {
  /// bcrypt's work factor: 2^12 rounds, about a quarter of a second on this class of machine.
  public static let defaultCost: UInt8 = 12

  public static func hashPassword(_ password: String, cost: UInt8 = defaultCost) -> String {
    Bcrypt.hash(password, cost: cost)
  }

  public static func verify(_ password: String, hash: String) -> Bool { Bcrypt.verify(password, hash: hash) }

  /// `bytes` random bytes from the system's generator, as lowercase hex.
  public static func random(bytes: Int = 32) -> String {
    var generator = SystemRandomNumberGenerator()
    return SHA256.hex((0..<bytes).map { _ in UInt8.random(in: 0...255, using: &generator) })
  }

  /// A new API token (shown once): `envreg_` and 64 hex digits.
  public static func newToken() -> String { "envreg_" + random() }

  /// What the registry keeps of a token.
  public static func tokenHash(_ token: String) -> String { SHA256.hex(SHA256.digest(Array(token.utf8))) }

  /// A generated password: 16 characters a person can copy (no 0/O, 1/l/I).
  public static func newPassword() -> String {
    let alphabet = Array("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
    var generator = SystemRandomNumberGenerator()
    return String((0..<16).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
  }

  /// Compares secrets in time independent of where they differ.
  static func equal(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8), y = Array(b.utf8)
    guard x.count == y.count else { return false }
    return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
  }
}

/// A signed-in browser session: who, its CSRF token, and when it ends.
struct Session: Sendable {
  let id: String
  let account: String
  let csrf: String
  let started: Date
  var lastSeen: Date
}

/// The server's sessions, in memory: a restart signs everyone out. An id is 256 random bits and is
/// only ever issued at sign-in (a session id presented before sign-in is never promoted, so a
/// planted cookie cannot become a signed-in one). Sessions end after `idle` without a request or
/// `lifetime` after sign-in, whichever comes first.
final class SessionStore: @unchecked Sendable {
  let idle: TimeInterval
  let lifetime: TimeInterval
  let clock: @Sendable () -> Date
  private let lock = NSLock()
  private var sessions: [String: Session] = [:]

  init(idle: TimeInterval, lifetime: TimeInterval, clock: @escaping @Sendable () -> Date) {
    self.idle = idle
    self.lifetime = lifetime
    self.clock = clock
  }

  func start(account: String) -> Session {
    let now = clock()
    let session = Session(id: Secrets.random(), account: account, csrf: Secrets.random(), started: now, lastSeen: now)
    lock.withLock {
      sessions = sessions.filter { live($0.value, now: now) }
      sessions[session.id] = session
    }
    return session
  }

  /// The live session with this id (its idle clock restarted), or nil.
  func touch(_ id: String) -> Session? {
    let now = clock()
    return lock.withLock {
      guard var session = sessions[id] else { return nil }
      guard live(session, now: now) else {
        sessions[id] = nil
        return nil
      }
      session.lastSeen = now
      sessions[id] = session
      return session
    }
  }

  func end(_ id: String) { lock.withLock { sessions[id] = nil } }

  /// Ends every session of an account (disabled, or its password changed).
  func end(account: String) { lock.withLock { sessions = sessions.filter { $0.value.account != account } } }

  private func live(_ session: Session, now: Date) -> Bool {
    now.timeIntervalSince(session.lastSeen) < idle && now.timeIntervalSince(session.started) < lifetime
  }
}

/// Failed sign-ins counted per account name and per client address: after `limit` failures within
/// `window`, that name (or address) is refused until the oldest failure leaves the window.
final class LoginThrottle: @unchecked Sendable {
  let limit: Int
  let window: TimeInterval
  let clock: @Sendable () -> Date
  private let lock = NSLock()
  private var failures: [String: [Date]] = [:]

  init(limit: Int, window: TimeInterval, clock: @escaping @Sendable () -> Date) {
    self.limit = limit
    self.window = window
    self.clock = clock
  }

  /// Seconds until `keys` may try again, or nil when they may now.
  func wait(_ keys: [String]) -> Int? {
    let now = clock()
    return lock.withLock {
      let waits = keys.compactMap { key -> TimeInterval? in
        let recent = (failures[key] ?? []).filter { now.timeIntervalSince($0) < window }
        failures[key] = recent
        guard recent.count >= limit, let oldest = recent.first else { return nil }
        return window - now.timeIntervalSince(oldest)
      }
      return waits.max().map { max(1, Int($0.rounded(.up))) }
    }
  }

  func fail(_ keys: [String]) {
    let now = clock()
    lock.withLock { for key in keys { failures[key, default: []].append(now) } }
  }

  func succeed(_ key: String) { lock.withLock { failures[key] = nil } }
}
