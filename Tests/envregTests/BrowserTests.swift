import Foundation
import Testing

let chromiumPath = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
  FileManager.default.isExecutableFile(atPath: $0)
}
let chromedriverPath = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"].first {
  FileManager.default.isExecutableFile(atPath: $0)
}

/// A real browser against the built binary's server: Chromium headless through its WebDriver.
/// CI installs both (`.ci/setup-tests`), so there the test always runs and a missing browser fails it.
/// On failure the page's screenshot is kept in `.build/browser-screenshots/`; with
/// `RECORD_SCREENSHOTS=1` the README's screenshots (docs/) are taken on the way.
@Suite("A real browser signs in and does a bureau's job (Chromium, WebDriver)")
struct BrowserTests {
  @Test(
    "Sign in, register a firm, see its eligibility trace, add a ledger item and close it (已销号), download the xlsx",
    .enabled(if: (chromiumPath != nil && chromedriverPath != nil) || inCI))
  func bureauJob() async throws {
    let chromium = try #require(chromiumPath, "chromium is not installed; .ci/setup-tests installs it")
    let chromedriver = try #require(chromedriverPath, "chromedriver is not installed; .ci/setup-tests installs it")
    let scratch = try Scratch.withSampleFirms()
    for (kind, file) in [
      ("designation", "designations.csv"), ("incident", "incidents.csv"), ("permit", "permits.csv"),
      ("fine", "fines.csv"), ("ledger", "ledger.csv"),
    ] {
      #expect(try scratch.run([kind, "import", sample(file), "--as-of", "2026-11-29"]).status == 0, "\(file)")
    }
    let created = try scratch.run(["user", "add", "wuhan-officer", "--role", "officer", "--region", "4201"])
    #expect(created.status == 0, "\(created.stderr)")
    let password = try #require(
      created.stdout.split(separator: "\t").last?.trimmingCharacters(in: .whitespacesAndNewlines))
    let port = Int.random(in: 20_000...39_000)
    let server = try scratch.start(["serve", "--listen", "127.0.0.1:\(port)", "--as-of", "2026-11-29"])
    defer { server.terminate() }
    let driverPort = port + 1
    let driver = Process()
    driver.executableURL = URL(fileURLWithPath: chromedriver)
    driver.arguments = ["--port=\(driverPort)"]
    driver.standardOutput = FileHandle.nullDevice
    driver.standardError = FileHandle.nullDevice
    try driver.run()
    // chromedriver does not stop on SIGTERM: it is killed.
    defer { kill(driver.processIdentifier, SIGKILL) }
    let base = "http://127.0.0.1:\(port)"
    try await waitFor("\(base)/healthz")
    try await waitFor("http://127.0.0.1:\(driverPort)/status")
    let downloads = scratch.path + "/downloads"
    try FileManager.default.createDirectory(atPath: downloads, withIntermediateDirectories: true)
    let browser = try await WebDriver.start(port: driverPort, chromium: chromium, downloads: downloads)
    do {
      try await browser.go("\(base)/")
      #expect(try await browser.url().hasSuffix("/login"))
      try await browser.type("input[name=name]", "wuhan-officer")
      try await browser.type("input[name=password]", password)
      try await browser.click("form.login button")
      #expect(try await browser.text("#who").contains("wuhan-officer"))
      try await browser.screenshotForReadme("dashboard")

      // Register a firm in Wuhan: the profile opens.
      try await browser.go("\(base)/firms/new")
      let code = "91420102MA4KX3XR5R"
      for (field, value) in [
        ("credit_code", code), ("name", "武汉浏览器测试环保科技有限公司"), ("region_code", "420102"),
        ("industry_code", "2614"), ("registered_on", "2020-05-01"),
      ] {
        try await browser.type("#f-\(field)", value)
      }
      try await browser.click("form.firm button")
      #expect(try await browser.url().hasSuffix("/firms/\(code)"))
      #expect(try await browser.source().contains("武汉浏览器测试环保科技有限公司"))

      // The eligibility trace.
      try await browser.click("#eligibility")
      let trace = try await browser.source()
      #expect(trace.contains("监督执法正面清单"))
      #expect(trace.contains("EX-K1"))
      try await browser.go("\(base)/firms/91420104MA7N15AM3G")
      try await browser.screenshotForReadme("profile")
      try await browser.go("\(base)/firms/91420104MA7N15AM3G/eligibility")
      try await browser.screenshotForReadme("eligibility")

      // A ledger item, closed at once (立行立改 may close directly with a note).
      try await browser.go("\(base)/firms/\(code)")
      try await browser.type("#ledger-add input[name=type]", "台账")
      try await browser.type("#ledger-add input[name=description]", "浏览器测试问题")
      try await browser.clickXPath("//form[@id='ledger-add']//select[@name='class']/option[text()='立行立改']")
      try await browser.type("#ledger-add input[name=unit]", "江岸区分局")
      try await browser.type("#ledger-add input[name=person]", "张伟")
      try await browser.type("#ledger-add input[name=due]", "12312026")
      try await browser.click("#ledger-add button")
      #expect(try await browser.url().hasSuffix("/ledger"))
      let row = "//table[@id='ledger']//tr[td[3][text()='浏览器测试问题']]"
      try await browser.clickXPath("\(row)//select[@name='to']/option[@value='已销号']")
      try await browser.typeXPath("\(row)//input[@name='note']", "当场整改完毕")
      try await browser.clickXPath("\(row)//button")
      #expect(try await browser.textXPath("\(row)/td[5]") == "已销号")

      // The report downloads as a workbook.
      try await browser.click("#report-xlsx")
      let file = try await waitForDownload(in: downloads)
      let bytes = try Data(contentsOf: URL(fileURLWithPath: file))
      #expect(bytes.starts(with: Array("PK".utf8)), "xlsx is a zip")
      #expect(bytes.count > 2_000)
    } catch {
      try? await browser.screenshot(to: repositoryRoot.path + "/.build/browser-screenshots/failure.png")
      try? await browser.quit()
      throw error
    }
    try await browser.quit()
    // The officer's writes are audited under its account.
    let log = try scratch.run(["audit", "log", "--format", "csv"])
    #expect(log.stdout.contains("user:wuhan-officer,enterprise.add"))
    #expect(log.stdout.contains("user:wuhan-officer,ledger.add") || log.stdout.contains("user:wuhan-officer,ledger"))
  }

  func waitFor(_ url: String) async throws {
    var last = "no answer"
    for _ in 0..<100 {
      do {
        let (status, _) = try WebDriver.http(url, "GET")
        if status == 200 { return }
        last = "status \(status)"
      } catch {
        last = "\(error)"
      }
      try await Task.sleep(for: .milliseconds(100))
    }
    Issue.record("\(url) did not answer within 10 s: \(last)")
    throw CancellationError()
  }

  func waitForDownload(in folder: String) async throws -> String {
    for _ in 0..<100 {
      let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
      if let done = names.first(where: { $0.hasSuffix(".xlsx") }) { return folder + "/" + done }
      try await Task.sleep(for: .milliseconds(100))
    }
    Issue.record("no xlsx downloaded into \(folder)")
    throw CancellationError()
  }
}

/// The few W3C WebDriver commands the test uses, over chromedriver's HTTP API.
struct WebDriver {
  let endpoint: String

  static let elementKey = "element-6066-11e4-a52e-4f735466cecf"

  static func start(port: Int, chromium: String, downloads: String) async throws -> WebDriver {
    let root = "http://127.0.0.1:\(port)"
    let capabilities: [String: Any] = [
      "capabilities": [
        "alwaysMatch": [
          "browserName": "chrome",
          "goog:chromeOptions": [
            "binary": chromium,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,900", "--lang=zh-CN"],
            "prefs": ["download.default_directory": downloads, "download.prompt_for_download": false],
          ],
        ]
      ]
    ]
    let value = try await call(root + "/session", "POST", capabilities)
    guard let session = (value as? [String: Any])?["sessionId"] as? String else {
      throw WebDriverError.failed("no session: \(String(describing: value))")
    }
    let driver = WebDriver(endpoint: root + "/session/" + session)
    _ = try await call(
      driver.endpoint + "/goog/cdp/execute", "POST",
      ["cmd": "Browser.setDownloadBehavior", "params": ["behavior": "allow", "downloadPath": downloads]])
    return driver
  }

  enum WebDriverError: Error { case failed(String) }

  /// One HTTP exchange through curl (swift-corelibs' URLSession fails on chromedriver's answers
  /// with "Failed writing header"); the status comes back on curl's last line.
  static func http(_ url: String, _ method: String, body: Data? = nil) throws -> (status: Int, body: Data) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
    process.arguments =
      ["-s", "-X", method, "-H", "Content-Type: application/json", "-w", "\n%{http_code}", "--max-time", "60"]
      + (body == nil ? [] : ["--data-binary", "@-"]) + [url]
    let input = Pipe(), output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    if let body { input.fileHandleForWriting.write(body) }
    try input.fileHandleForWriting.close()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard let newline = data.lastIndex(of: UInt8(ascii: "\n")) else { return (0, data) }
    let status = Int(String(decoding: data[data.index(after: newline)...], as: UTF8.self)) ?? 0
    return (status, Data(data[..<newline]))
  }

  @discardableResult
  static func call(_ url: String, _ method: String, _ body: [String: Any]? = nil) async throws -> Any? {
    let payload = try body.map { try JSONSerialization.data(withJSONObject: $0) }
    let (status, data) = try http(url, method, body: payload)
    let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
    guard status == 200 else {
      throw WebDriverError.failed("\(method) \(url): \(status) \(String(decoding: data, as: UTF8.self).prefix(500))")
    }
    return object?["value"]
  }

  func go(_ url: String) async throws { try await WebDriver.call(endpoint + "/url", "POST", ["url": url]) }
  func url() async throws -> String { try await WebDriver.call(endpoint + "/url", "GET") as? String ?? "" }
  func source() async throws -> String { try await WebDriver.call(endpoint + "/source", "GET") as? String ?? "" }

  func element(_ using: String, _ value: String) async throws -> String {
    let found = try await WebDriver.call(endpoint + "/element", "POST", ["using": using, "value": value])
    guard let id = (found as? [String: Any])?[WebDriver.elementKey] as? String else {
      throw WebDriverError.failed("no element \(value)")
    }
    return id
  }

  func type(_ css: String, _ text: String) async throws {
    let id = try await element("css selector", css)
    try await WebDriver.call(endpoint + "/element/\(id)/value", "POST", ["text": text])
  }

  func typeXPath(_ xpath: String, _ text: String) async throws {
    let id = try await element("xpath", xpath)
    try await WebDriver.call(endpoint + "/element/\(id)/value", "POST", ["text": text])
  }

  func click(_ css: String) async throws {
    let id = try await element("css selector", css)
    try await WebDriver.call(endpoint + "/element/\(id)/click", "POST", [:])
  }

  func clickXPath(_ xpath: String) async throws {
    let id = try await element("xpath", xpath)
    try await WebDriver.call(endpoint + "/element/\(id)/click", "POST", [:])
  }

  func text(_ css: String) async throws -> String {
    let id = try await element("css selector", css)
    return try await WebDriver.call(endpoint + "/element/\(id)/text", "GET") as? String ?? ""
  }

  func textXPath(_ xpath: String) async throws -> String {
    let id = try await element("xpath", xpath)
    return try await WebDriver.call(endpoint + "/element/\(id)/text", "GET") as? String ?? ""
  }

  func screenshot(to path: String) async throws {
    guard let base64 = try await WebDriver.call(endpoint + "/screenshot", "GET") as? String,
      let data = Data(base64Encoded: base64)
    else { throw WebDriverError.failed("no screenshot") }
    try FileManager.default.createDirectory(
      atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try data.write(to: URL(fileURLWithPath: path))
  }

  /// `RECORD_SCREENSHOTS=1`: the README's pictures, taken from this very run.
  func screenshotForReadme(_ name: String) async throws {
    guard ProcessInfo.processInfo.environment["RECORD_SCREENSHOTS"] == "1" else { return }
    try await screenshot(to: repositoryRoot.path + "/docs/screenshots/\(name).png")
  }

  func quit() async throws { try await WebDriver.call(endpoint, "DELETE") }
}
