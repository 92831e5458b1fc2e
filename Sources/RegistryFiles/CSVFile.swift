import Foundation
import RegistryCore
import RegistryService

/// A CSV file as an import's records: read in fixed-size chunks in its encoding (UTF-8, or GB18030
/// transcoded on the fly; `auto` looks at the whole file first), parsed as RFC 4180. Memory stays
/// flat whatever the file's size.
public final class CSVFile: RecordSource {
  public let path: String
  private let source: ByteSource

  public init(path: String, encoding: TextEncoding) throws {
    self.path = path
    source = try ByteSource(path: path, encoding: encoding)
  }

  public var name: String { URL(fileURLWithPath: path).lastPathComponent }
  public var encodingName: String { source.encoding.rawValue }

  public func forEach(_ body: (CSVParser.Record) throws -> Void) throws {
    var parser = CSVParser()
    while let chunk = try source.next() { try parser.feed(chunk, body) }
    try parser.finish(body)
  }
}

/// Rejected rows as a CSV file, `line,reason` then the row's own fields, through an `OutputFile`
/// (owner-only, never over the registry or the input, whole or absent).
public final class RejectFile: RejectSink {
  let file: OutputFile
  private var buffer: [UInt8] = []

  public init(path: String, force: Bool, protected: [String]) throws {
    file = try OutputFile(path: path, force: force, protected: protected)
    // A file for people, opened in Excel: UTF-8 with its byte-order mark.
    buffer.append(contentsOf: OutputEncoding.utf8BOM.preamble)
    buffer.append(contentsOf: CSVFormat.line(["line", "reason", "fields..."]).utf8)
  }

  public func write(line: Int, problems: [String], fields: [String]) throws {
    buffer.append(contentsOf: CSVFormat.line([String(line), problems.joined(separator: "; ")] + fields).utf8)
    if buffer.count >= 1 << 16 { try flush() }
  }

  private func flush() throws {
    try file.write(buffer)
    buffer.removeAll(keepingCapacity: true)
  }

  public func commit() throws {
    try flush()
    try file.commit()
  }

  public func abandon() { file.abandon() }
}

/// An import from a CSV file or an Excel workbook (by its first bytes): opens it (`options.encoding`,
/// or `options.sheet` of a workbook), opens the reject file when
/// `options.rejectFile` names one (never one of `protected` or the input), runs `body` with both,
/// and removes the reject file if the import fails.
public enum CSVImport {
  public static func run(
    _ path: String, options: ImportOptions, protected: [String],
    _ body: (any RecordSource, (any RejectSink)?) throws -> ImportReport
  ) throws -> ImportReport {
    let file: any RecordSource =
      XLSXFile.isWorkbook(path)
      ? try XLSXFile(path: path, sheet: options.sheet) : try CSVFile(path: path, encoding: options.encoding)
    let source = TolerantRecords(file)
    let rejects = try options.rejectFile.map {
      try RejectFile(path: $0, force: options.force, protected: protected + [path])
    }
    do {
      var report = try body(source, rejects)
      // The rows the spreadsheet's layout put around the data, each named.
      report.warnings = source.notes + report.warnings
      report.warningCount += source.notes.count
      return report
    } catch {
      rejects?.abandon()
      throw error
    }
  }
}
