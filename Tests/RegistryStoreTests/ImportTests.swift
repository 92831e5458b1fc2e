import Foundation
import Testing

@testable import RegistryCore
@testable import RegistryStore

@Suite("enterprise import: streaming, one transaction, every bad row listed")
struct ImportTests {
  @Test("The samples load; a second import of the same file changes nothing")
  func idempotent() throws {
    let registry = try TempRegistry()
    let first = try registry.store.importFile(sample("enterprises.csv"), options(), as: .enterprises)
    #expect(first.inserted == 240 && first.rejected == 0)
    let auditRows: Int = try #require(try registry.sql("SELECT count(*) FROM audit"))
    let second = try registry.store.importFile(sample("enterprises.csv"), options(), as: .enterprises)
    #expect(second.inserted == 0 && second.updated == 0 && second.unchanged == 240)
    #expect(try registry.sql("SELECT count(*) FROM enterprise_change") as Int? == 0)
    #expect(try registry.sql("SELECT count(*) FROM audit") as Int? == auditRows + 1)
  }

  @Test("A file with a bad row is refused whole: no partial import, no audit row, every bad row named")
  func noPartialImport() throws {
    let registry = try TempRegistry()
    let auditRows: Int = try #require(try registry.sql("SELECT count(*) FROM audit"))
    do {
      _ = try registry.store.importFile(sample("enterprises-bad.csv"), options(), as: .enterprises)
      Issue.record("a file with bad rows was imported")
    } catch RegistryError.rejectedRows(let count, let details) {
      #expect(count == 7)
      let text = details.joined(separator: "\n")
      for fragment in [
        "line 3: credit_code", "expected", "line 4: industry_code \"2699\"", "line 5: registered_on \"2021-02-30\"",
        "line 6: credit_code \"1'; DROP TABLE enterprise; --\"", "line 7: permit_class",
        "line 8: region_code \"999999\"", "line 9: the row is not valid CSV",
      ] {
        #expect(text.contains(fragment), "missing \(fragment)")
      }
    }
    #expect(try registry.sql("SELECT count(*) FROM enterprise") as Int? == 0)
    #expect(try registry.sql("SELECT count(*) FROM audit") as Int? == auditRows)
  }

  @Test("--skip-invalid loads the good rows and writes each bad one with its reason")
  func skipInvalid() throws {
    let registry = try TempRegistry()
    let rejects = registry.directory + "/rejects.csv"
    let report = try registry.store.importFile(
      sample("enterprises-bad.csv"), options(reject: rejects), as: .enterprises)
    #expect(report.inserted == 1 && report.rejected == 7)
    let lines = try String(contentsOfFile: rejects, encoding: .utf8).split(separator: "\r\n")
    #expect(lines.count == 8)
    #expect(lines[1].hasPrefix("3,") && lines[1].contains("expected"))
    #expect(try registry.sql("SELECT name FROM enterprise") as String? == "武汉正常样例有限公司")
  }

  @Test("GB18030 with Chinese headers reads the same facts as the UTF-8 file")
  func gb18030() throws {
    let utf8 = try TempRegistry()
    let gb = try TempRegistry()
    _ = try utf8.store.importFile(sample("enterprises.csv"), options(), as: .enterprises)
    let report = try gb.store.importFile(sample("enterprises-gb18030.csv"), options(), as: .enterprises)
    #expect(report.encoding == "gb18030" && report.inserted == 30)
    var fromGB: [Enterprise] = []
    try gb.store.forEachEnterprise(.init(asOf: testDay)) { fromGB.append($0) }
    for firm in fromGB {
      #expect(try utf8.store.enterprise(firm.creditCode) == firm)
    }
    // Forcing UTF-8 on the GB18030 file names the encoding problem instead of storing mojibake.
    #expect(throws: RegistryError.self) {
      try gb.store.importFile(sample("enterprises-gb18030.csv"), options(encoding: .utf8), as: .enterprises)
    }
  }

  @Test("A UTF-8 BOM and CRLF line ends are read; unknown columns are ignored with a warning")
  func bomAndExtraColumns() throws {
    let registry = try TempRegistry()
    let text =
      "\u{FEFF}序号,统一社会信用代码,企业名称,行政区划代码,行业代码,排污许可管理类别\r\n1,91350100M000100Y43,\"福州闽江电子材料有限公司\",350102,3985,简化管理\r\n"
    let report = try registry.store.importFile(try registry.file("bom.csv", text), options(), as: .enterprises)
    #expect(report.inserted == 1)
    #expect(report.warnings.contains { $0.contains("序号") })
    let code = try CreditCode.parse("91350100M000100Y43").get()
    #expect(try registry.store.enterprise(code)?.permitClass == .simplified)
  }

  @Test("Re-import with changed facts updates, records dated history, audits the import")
  func reimportRecordsHistory() throws {
    let registry = try TempRegistry()
    let header = "credit_code,name,region_code,industry_code,legal_rep\n"
    _ = try registry.store.importFile(
      try registry.file("a.csv", header + "91350100M000100Y43,福州闽江,350102,3985,林志远\n"), options(), as: .enterprises)
    var changed = options()
    changed.effectiveOn = try #require(Day("2026-09-01"))
    let report = try registry.store.importFile(
      try registry.file("b.csv", header + "91350100M000100Y43,福州闽江,350102,3985,陈海峰\n"), changed, as: .enterprises)
    #expect(report.updated == 1)
    let code = try CreditCode.parse("91350100M000100Y43").get()
    let history = try registry.store.enterpriseHistory(code)
    #expect(history.count == 1 && history[0].field == "legal_rep" && history[0].effectiveOn == changed.effectiveOn)
    #expect(
      try registry.store.auditLog(entityKey: code.value).map(\.action) == [
        "enterprise.import.stage", "enterprise.import",
      ])
  }

  @Test("A credit code twice in one file is a bad row, not a silent overwrite")
  func duplicateInFile() throws {
    let registry = try TempRegistry()
    let text =
      "credit_code,name,region_code,industry_code\n91350100M000100Y43,甲,350102,3985\n91350100M000100Y43,乙,350102,3985\n"
    #expect(throws: RegistryError.self) {
      try registry.store.importFile(try registry.file("dup.csv", text), options(), as: .enterprises)
    }
    #expect(try registry.sql("SELECT count(*) FROM enterprise") as Int? == 0)
  }

  @Test("A header without a required column is refused before any row")
  func missingHeader() throws {
    let registry = try TempRegistry()
    let path = try registry.file("h.csv", "credit_code,name\n91350100M000100Y43,甲\n")
    do {
      _ = try registry.store.importFile(path, options(), as: .enterprises)
      Issue.record("accepted")
    } catch RegistryError.input(let message) {
      #expect(message.contains("region_code (行政区划代码)") && message.contains("industry_code (行业代码)"))
    }
  }

  @Test("SQL-looking text in a free-text field is stored verbatim, never run")
  func sqlTextIsData() throws {
    let registry = try TempRegistry()
    let name = "Robert'); DROP TABLE enterprise;--"
    let text = "credit_code,name,region_code,industry_code\n91350100M000100Y43,\"\(name)\",350102,3985\n"
    _ = try registry.store.importFile(try registry.file("sql.csv", text), options(), as: .enterprises)
    #expect(try registry.sql("SELECT name FROM enterprise") as String? == name)
  }
}

@Suite("Encodings: the whole file decides (issue 10 item 7)")
struct EncodingSurveyTests {
  @Test("A UTF-8 file with one GB18030 row is refused naming that line; the database is unchanged")
  func mixedFileRefused() throws {
    let registry = try TempRegistry()
    let utf8 = Array("credit_code,name,region_code,industry_code\n91350100M000100Y43,福州闽江电子材料有限公司,350102,3985\n".utf8)
    // 91130200699229617X,唐山冀东钢铁有限公司 in GB18030 (唐 = CC C6, 山 = C9 BD, 冀 = BC BD, 东 = B6 AB, ...): one row.
    let gbRow: [UInt8] =
      Array("91130200699229617X,".utf8) + [0xCC, 0xC6, 0xC9, 0xBD, 0xBC, 0xBD, 0xB6, 0xAB]
      + Array(",130203,3120\n".utf8)
    let file = try registry.file(
      "mixed.csv", bytes: utf8 + gbRow + Array("91420102MA4K2NLX66,武汉江岸化工有限公司,420102,2614\n".utf8))
    let before = try registry.sql("SELECT count(*) FROM audit") as Int?
    #expect { try registry.store.importFile(file, options(), as: .enterprises) } throws: {
      "\($0)".contains("mixes encodings") && "\($0)".contains("line 3")
    }
    #expect(try registry.sql("SELECT count(*) FROM enterprise") as Int? == 0)
    #expect(try registry.sql("SELECT count(*) FROM audit") as Int? == before)
    // --encoding decides when given: read as UTF-8, the GB18030 row is the one bad row.
    #expect(throws: RegistryError.self) {
      try registry.store.importFile(file, options(encoding: .utf8), as: .enterprises)
    }
  }
}
