import Foundation
import Hummingbird
import RegistryCore
import RegistryFiles
import RegistryService

/// The parts of a `multipart/form-data` body (RFC 7578): each part's name, file name and bytes.
struct Multipart {
  struct Part {
    var name: String
    var filename: String?
    var data: ArraySlice<UInt8>
  }

  static func boundary(_ contentType: String?) -> String? {
    guard let contentType, contentType.lowercased().hasPrefix("multipart/form-data"),
      let range = contentType.range(of: "boundary=")
    else { return nil }
    let value = contentType[range.upperBound...].prefix { $0 != ";" }
    return value.trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
  }

  static func parse(_ bytes: [UInt8], boundary: String) throws -> [Part] {
    let delimiter = Array("--\(boundary)".utf8)
    var parts: [Part] = []
    var starts: [Int] = []
    var index = 0
    while let found = find(delimiter, in: bytes, from: index) {
      starts.append(found)
      index = found + delimiter.count
    }
    guard starts.count >= 2 else { throw RegistryError.input("The upload is not a multipart form.") }
    for (start, end) in zip(starts, starts.dropFirst()) {
      var bodyStart = start + delimiter.count
      guard bodyStart + 2 <= end, bytes[bodyStart] == 13, bytes[bodyStart + 1] == 10 else { continue }
      bodyStart += 2
      guard let headerEnd = find(Array("\r\n\r\n".utf8), in: bytes, from: bodyStart), headerEnd < end else { continue }
      let headers = String(decoding: bytes[bodyStart..<headerEnd], as: UTF8.self)
      // The content ends before the CRLF that precedes the next delimiter.
      let content = bytes[(headerEnd + 4)..<max(headerEnd + 4, end - 2)]
      guard
        let disposition = headers.split(separator: "\r\n").first(where: {
          $0.lowercased().hasPrefix("content-disposition:")
        })
      else { continue }
      parts.append(
        Part(
          name: parameter("name", in: disposition) ?? "", filename: parameter("filename", in: disposition),
          data: content))
    }
    return parts
  }

  static func parameter(_ key: String, in header: Substring) -> String? {
    for piece in header.split(separator: ";") {
      let trimmed = piece.trimmingCharacters(in: .whitespaces)
      guard trimmed.hasPrefix(key + "=") else { continue }
      return String(trimmed.dropFirst(key.count + 1)).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
    }
    return nil
  }

  static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
    guard !needle.isEmpty, haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
    var index = start
    let first = needle[0]
    while index <= haystack.count - needle.count {
      if haystack[index] == first, haystack[index..<(index + needle.count)].elementsEqual(needle) { return index }
      index += 1
    }
    return nil
  }
}

/// Uploaded files and reject files, in a folder of the server's own (owner-only), each reject
/// file downloadable by the session that made it.
final class UploadFolder: @unchecked Sendable {
  let path: String
  private let lock = NSLock()
  private var rejects: [String: (session: String, path: String)] = [:]

  init() throws {
    path = NSTemporaryDirectory() + "envreg-serve-" + Secrets.random(bytes: 8)
    try FileManager.default.createDirectory(
      atPath: path, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
  }

  func keep(rejects file: String, session: String) -> String {
    let token = Secrets.random(bytes: 16)
    lock.withLock { rejects[token] = (session, file) }
    return token
  }

  func rejects(_ token: String, session: String) -> String? {
    lock.withLock { rejects[token].flatMap { $0.session == session ? $0.path : nil } }
  }
}

extension PageRoutes {
  static let uploadLimit = 256 << 20

  func registerUploads(on router: Router<WebContext>) {
    router.get("/import") { _, context in
      try await page(context) { context in
        try context.registry(state).authorizeImport()
        return importForm(context, report: nil)
      }
    }
    router.post("/import") { request, context in try await upload(request, context) }
    router.get("/import/rejects/:token") { _, context in
      try await page(context) { context in
        guard let session = context.session, let token = context.parameters.get("token"),
          let file = state.uploads.rejects(token, session: session.id),
          let data = FileManager.default.contents(atPath: file)
        else { throw RegistryError.notFound(kind: "reject file", key: "", hint: "Import again to write one.") }
        return Response(
          status: .ok,
          headers: [
            .contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"rejects.csv\"",
          ],
          body: .init(byteBuffer: ByteBuffer(bytes: Array("\u{FEFF}".utf8) + Array(data))))
      }
    }
  }

  func importForm(_ context: WebContext, report: Value?, rejects: String? = nil, status: HTTPResponse.Status = .ok)
    -> Response
  {
    state.pages.page(
      "import_form", title: context.language == .zh ? "导入文件" : "Import a file",
      data: [
        "kinds": ImportKind.allCases.map(\.rawValue),
        "report": report.map { Pages.view($0, context.language) } ?? false,
        "rejects": rejects.map { "/import/rejects/\($0)" } ?? false,
      ], context: context, status: status)
  }

  /// An import upload: the CSV (UTF-8 or GB18030) imported whole, or with `skip` its bad rows
  /// written to a reject file to download.
  func upload(_ request: Request, _ context: WebContext) async throws -> Response {
    guard let session = context.session else { return .redirect("/login") }
    do {
      let registry = try context.registry(state)
      try registry.authorizeImport()
      guard let boundary = Multipart.boundary(request.headers[.contentType]) else {
        throw RegistryError.input("Send the file as multipart/form-data.")
      }
      let body = try await request.body.collect(upTo: PageRoutes.uploadLimit)
      let parts = try Multipart.parse(Array(body.readableBytesView), boundary: boundary)
      func field(_ name: String) -> String? {
        parts.first { $0.name == name }.map { String(decoding: $0.data, as: UTF8.self) }
      }
      guard let token = field("_csrf"), Secrets.equal(token, session.csrf) else {
        throw RegistryError.forbidden("the form's security token is missing or out of date")
      }
      guard let kind = field("kind").flatMap(ImportKind.init(rawValue:)) else {
        throw RegistryError.invalid([
          FieldProblem(field: "kind", value: field("kind") ?? "", reason: "is not a file kind")
        ])
      }
      guard let file = parts.first(where: { $0.name == "file" }), !file.data.isEmpty else {
        throw RegistryError.invalid([FieldProblem(field: "file", value: "", reason: "choose a CSV file")])
      }
      // Stored under its own name (the import's audit row and messages name the file the user
      // chose) in a folder of its own.
      let stem = Secrets.random(bytes: 8)
      let folder = state.uploads.path + "/\(stem)"
      let name = (file.filename ?? "").replacingOccurrences(of: "/", with: "_").trimmingSpaces()
      let input = folder + "/" + (name.isEmpty || name.hasPrefix(".") ? "upload.csv" : name)
      guard
        (try? FileManager.default.createDirectory(
          atPath: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])) != nil,
        FileManager.default.createFile(atPath: input, contents: Data(file.data), attributes: [.posixPermissions: 0o600])
      else { throw RegistryError.input("The upload could not be stored.") }
      defer { try? FileManager.default.removeItem(atPath: folder) }
      var options = ImportOptions(effectiveOn: state.today, asOf: state.today)
      let skip = field("skip") == "1"
      if skip { options.rejectFile = state.uploads.path + "/\(stem)-rejects.csv" }
      let selected = options
      let report = try await state.run {
        try CSVImport.run(input, options: selected, protected: registry.protectedPaths) { source, rejects in
          try registry.importRecords(kind, source, rejects: rejects, options: selected)
        }
      }
      let rejects =
        skip && report.rejected > 0
        ? state.uploads.keep(rejects: state.uploads.path + "/\(stem)-rejects.csv", session: session.id) : nil
      return importForm(context, report: .record(report.record), rejects: rejects)
    } catch {
      return failure(error, context)
    }
  }
}
