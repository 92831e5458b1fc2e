import Foundation
import RegistryCore
import RegistryService
import ZIPFoundation

/// A sheet of an Excel workbook (.xlsx) as an import's records: the first sheet, or the one named.
/// The container is read with ZIPFoundation; each part is scanned as it is inflated (`XMLScanner`),
/// so a sheet of any size is read in constant memory; the shared strings (every distinct text of
/// the workbook) are held while the sheet is read, past 8 MiB in a mapped temporary file
/// (`SharedStrings`). Cells come out as text the importers read as
/// they read CSV: shared and inline strings as they are, booleans as `yes`/`no`, numbers as Excel
/// stored them, and numbers in a date format (the 1900 or the 1904 system) as `YYYY-MM-DD`.
public final class XLSXFile: RecordSource {
  public let path: String
  public let sheetName: String
  private let archive: Archive
  private let sheetEntry: Entry
  private let strings: SharedStrings
  private let dateStyles: Set<Int>
  private let date1904: Bool

  public convenience init(path: String, sheet: String? = nil) throws {
    try self.init(path: path, sheet: sheet, stringLimit: 8 << 20)
  }

  /// `stringLimit`: the bytes of shared strings kept in memory before they go to a mapped file.
  init(path: String, sheet: String?, stringLimit: Int) throws {
    self.path = path
    do {
      archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
    } catch {
      throw RegistryError.input("\(path.quoted) is not an Excel workbook (.xlsx): \(error).")
    }
    let workbook = try XLSXFile.scan(archive, "xl/workbook.xml", required: true)
    var sheets: [(name: String, id: String)] = []
    var date1904 = false
    for event in workbook {
      guard case .start(let name, let attributes, _) = event else { continue }
      if name == "sheet", let sheetName = attributes["name"], let id = attributes["id"] {
        sheets.append((sheetName, id))
      }
      if name == "workbookPr", let flag = attributes["date1904"] { date1904 = flag == "1" || flag == "true" }
    }
    guard let chosen = sheet.map({ wanted in sheets.first { $0.name == wanted } }) ?? sheets.first else {
      throw RegistryError.input(
        sheet.map {
          "\(path.quoted) has no sheet \($0.quoted); its sheets: \(sheets.map(\.name.quoted).joined(separator: ", "))."
        } ?? "\(path.quoted) has no sheet.")
    }
    var target: String?
    for case .start("Relationship", let attributes, _) in try XLSXFile.scan(
      archive, "xl/_rels/workbook.xml.rels", required: true)
    where attributes["Id"] == chosen.id {
      target = attributes["Target"]
    }
    guard let target, let entry = archive[target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target] else {
      throw RegistryError.input("\(path.quoted): sheet \(chosen.name.quoted) has no part in the workbook.")
    }
    sheetName = chosen.name
    sheetEntry = entry
    self.date1904 = date1904
    strings = try XLSXFile.sharedStrings(archive, limit: stringLimit)
    dateStyles = try XLSXFile.dateStyles(archive)
  }

  /// Whether the file is a ZIP container (an .xlsx), by its first four bytes.
  public static func isWorkbook(_ path: String) -> Bool {
    guard let handle = FileHandle(forReadingAtPath: path) else { return false }
    defer { try? handle.close() }
    return (try? handle.read(upToCount: 4)) == Data([0x50, 0x4B, 0x03, 0x04])
  }

  public var name: String { URL(fileURLWithPath: path).lastPathComponent + " [\(sheetName)]" }
  public var encodingName: String { "xlsx" }

  /// Every non-blank row, in order, each with its sheet row number as its line.
  public func forEach(_ body: (CSVParser.Record) throws -> Void) throws {
    var scanner = XMLScanner()
    var row: [String] = []
    var rowNumber = 0
    var cell: (column: Int, type: String, style: Int)?
    var text = ""
    var inValue = false
    var failure: (any Error)?
    func handle(_ event: XMLScanner.Event) throws {
      switch event {
      case .start("row", let attributes, _):
        rowNumber = attributes["r"].flatMap { Int($0) } ?? rowNumber + 1
        row = []
      case .start("c", let attributes, _):
        let column = attributes["r"].flatMap(XLSXFile.column) ?? row.count
        cell = (column, attributes["t"] ?? "n", attributes["s"].flatMap { Int($0) } ?? 0)
        text = ""
      case .start("v", _, _), .start("t", _, _):
        inValue = true
      case .text(let chunk) where inValue:
        text += chunk
      case .end("v"), .end("t"):
        inValue = false
      case .end("c"):
        guard let found = cell else { return }
        while row.count < found.column { row.append("") }
        row.append(try value(text, type: found.type, style: found.style, at: found.column))
        cell = nil
      case .end("row"):
        while row.last?.trimmingCharacters(in: .whitespaces).isEmpty == true { row.removeLast() }
        if !row.isEmpty { try body(CSVParser.Record(fields: row, line: rowNumber)) }
      default: break
      }
    }
    do {
      _ = try archive.extract(sheetEntry, skipCRC32: false) { chunk in
        do { try scanner.feed(chunk, handle) } catch {
          failure = error
          throw error
        }
      }
      try scanner.finish()
    } catch {
      throw failure ?? RegistryError.input("\(path.quoted): the sheet cannot be read: \(error).")
    }
  }

  /// A cell's text as the importers read it.
  private func value(_ raw: String, type: String, style: Int, at column: Int) throws -> String {
    switch type {
    case "s":
      guard let index = Int(raw), let text = strings[index] else {
        throw RegistryError.input("\(path.quoted): a cell names shared string \(raw), which the workbook lacks.")
      }
      return text
    case "b": return raw == "1" ? "yes" : "no"
    case "inlineStr", "str", "e": return raw
    default:
      guard dateStyles.contains(style), let serial = Double(raw) else { return raw }
      return XLSXFile.day(serial: serial, date1904: date1904)?.description ?? raw
    }
  }

  /// The day of an Excel date serial (its time of day dropped); nil for 1900-02-29, a day that
  /// never was, which the 1900 system counts as serial 60.
  static func day(serial: Double, date1904: Bool) -> Day? {
    let whole = Int(serial.rounded(.down))
    if date1904 { return Day(ordinal: -24_107 + whole) }  // 1904-01-01 is serial 0
    if whole == 60 || whole < 1 { return nil }
    return Day(ordinal: -25_569 + whole + (whole < 60 ? 1 : 0))  // 1899-12-30 + serial, past the false leap day
  }

  /// `C12` → 2 (zero-based column).
  static func column(_ reference: String) -> Int? {
    var column = 0
    var letters = 0
    for scalar in reference.unicodeScalars {
      guard scalar.value >= 65, scalar.value <= 90 else { break }
      column = column * 26 + Int(scalar.value - 64)
      letters += 1
    }
    return letters == 0 ? nil : column - 1
  }

  /// The events of a small part (workbook, relationships).
  static func scan(_ archive: Archive, _ path: String, required: Bool) throws -> [XMLScanner.Event] {
    guard let entry = archive[path] else {
      if required { throw RegistryError.input("the workbook has no \(path); is it an .xlsx file?") }
      return []
    }
    var scanner = XMLScanner()
    var events: [XMLScanner.Event] = []
    _ = try archive.extract(entry) { chunk in try scanner.feed(chunk) { events.append($0) } }
    try scanner.finish()
    return events
  }

  /// `xl/sharedStrings.xml`: each `<si>`'s text (the runs of rich text joined).
  static func sharedStrings(_ archive: Archive, limit: Int = 8 << 20) throws -> SharedStrings {
    let strings = SharedStrings(limit: limit)
    guard let entry = archive["xl/sharedStrings.xml"] else { return strings }
    var scanner = XMLScanner()
    var current = ""
    var inText = false
    var inPhonetic = false
    _ = try archive.extract(entry) { chunk in
      try scanner.feed(chunk) { event in
        switch event {
        case .start("si", _, _): current = ""
        case .start("rPh", _, _): inPhonetic = true  // furigana: not part of the value
        case .end("rPh"): inPhonetic = false
        case .start("t", _, _): inText = !inPhonetic
        case .end("t"): inText = false
        case .text(let text) where inText: current += text
        case .end("si"): try strings.append(current)
        default: break
        }
      }
    }
    try scanner.finish()
    try strings.finish()
    return strings
  }

  /// The cell styles (`cellXfs` positions) whose number format shows a date.
  static func dateStyles(_ archive: Archive) throws -> Set<Int> {
    var custom: [Int: String] = [:]
    var formats: [Int] = []
    var inCellXfs = false
    for event in try scan(archive, "xl/styles.xml", required: false) {
      switch event {
      case .start("numFmt", let attributes, _):
        if let id = attributes["numFmtId"].flatMap({ Int($0) }), let code = attributes["formatCode"] {
          custom[id] = code
        }
      case .start("cellXfs", _, _): inCellXfs = true
      case .end("cellXfs"): inCellXfs = false
      case .start("xf", let attributes, _) where inCellXfs:
        formats.append(attributes["numFmtId"].flatMap { Int($0) } ?? 0)
      default: break
      }
    }
    var dates = Set<Int>()
    for (style, format) in formats.enumerated() where isDateFormat(format, custom[format]) { dates.insert(style) }
    return dates
  }

  /// Built-in date formats (14-22, 45-47, and 27-36 and 50-58, which a Chinese Excel shows as
  /// 2020年3月5日 and the like), or a custom code with a day, month or year outside quotes and brackets.
  static func isDateFormat(_ id: Int, _ code: String?) -> Bool {
    if (14...22).contains(id) || (45...47).contains(id) || (27...36).contains(id) || (50...58).contains(id) {
      return true
    }
    guard let code else { return false }
    var inQuote = false
    var inBracket = false
    for character in code.lowercased() {
      switch character {
      case "\"": inQuote.toggle()
      case "[" where !inQuote: inBracket = true
      case "]" where !inQuote: inBracket = false
      case "y" where !inQuote && !inBracket: return true
      case "d" where !inQuote && !inBracket: return true
      case "m" where !inQuote && !inBracket && !code.lowercased().contains("h"): return true
      default: break
      }
    }
    return false
  }
}
