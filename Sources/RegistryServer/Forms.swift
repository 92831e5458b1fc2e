import Foundation
import Hummingbird
import RegistryCore

/// An `application/x-www-form-urlencoded` body or a query string, as name → value (the last
/// value of a repeated name).
struct Form: Sendable {
  var values: [String: String] = [:]

  init(encoded text: Substring) {
    for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
      let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      let decode = { (part: Substring) in
        String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(part)
      }
      values[decode(parts[0])] = parts.count > 1 ? decode(parts[1]) : ""
    }
  }

  init(query request: Request) { self.init(encoded: Substring(request.uri.query ?? "")) }

  /// The body of a form post, read up to `limit` bytes (413 beyond).
  static func read(_ request: Request, limit: Int) async throws -> Form {
    let body = try await request.body.collect(upTo: limit)
    guard let text = body.getString(at: body.readerIndex, length: body.readableBytes) else {
      throw HTTPError(.badRequest, message: "The form is not UTF-8 text.")
    }
    return Form(encoded: Substring(text))
  }

  subscript(_ name: String) -> String? { values[name] }

  /// A given, non-blank value.
  func text(_ name: String) -> String? {
    guard let value = values[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
    return value
  }

  func day(_ name: String) throws -> Day? {
    guard let text = text(name) else { return nil }
    guard let day = Day(text) else {
      throw RegistryError.invalid([FieldProblem(field: name, value: text, reason: Day.refusal(text))])
    }
    return day
  }

  func required<T>(_ name: String, _ parse: (String) -> T?) throws -> T {
    guard let text = text(name) else {
      throw RegistryError.invalid([FieldProblem(field: name, value: "", reason: "is required")])
    }
    guard let value = parse(text) else {
      throw RegistryError.invalid([FieldProblem(field: name, value: text, reason: "is not a recognised value")])
    }
    return value
  }
}

extension Response {
  static func redirect(_ location: String) -> Response {
    Response(status: .seeOther, headers: [.location: location])
  }
}

/// How a service error reaches the browser or an API client: its status and its message.
enum Failure {
  static func status(_ error: any Error) -> HTTPResponse.Status {
    switch error {
    case let error as RegistryError:
      switch error {
      case .forbidden: .forbidden
      case .notFound: .notFound
      case .alreadyExists: .conflict
      case .invalid, .rejectedRows: .unprocessableContent
      case .refused, .input: .unprocessableContent
      case .database: .internalServerError
      }
    case let error as HTTPResponseError: error.status
    default: .internalServerError
    }
  }

  /// The error as a message in `language` (pages follow the reader's language; the JSON API keeps
  /// English, its contract).
  static func message(_ error: any Error, in language: Language = .en) -> String {
    switch error {
    case let error as RegistryError: error.description(in: language)
    case let error as HTTPError: error.body ?? error.status.reasonPhrase
    default: "Internal error."
    }
  }
}
