import RegistryCore

/// The OpenAPI 3.1 document of `/api/v1`, built from `APIRoutes.routes` (a test checks that every
/// route it lists answers, and that the router has no API route it does not list).
enum OpenAPI {
  static let parameters: [String: [(name: String, location: String, description: String)]] = [
    "/api/v1/enterprises": [
      ("name", "query", "A substring of the name"), ("region", "query", "GB/T 2260 code or prefix"),
      ("industry", "query", "GB/T 4754 code prefix"), ("limit", "query", "Page size, 1-1000 (default 50)"),
      ("offset", "query", "Rows to skip"), ("as_of", "query", "Evaluation date YYYY-MM-DD"),
    ],
    "/api/v1/enterprises/{code}": [("code", "path", "Unified social credit code")],
    "/api/v1/enterprises/{code}/eligibility": [
      ("code", "path", "Unified social credit code"),
      ("list", "query", "inspection-exemption or eia-green-channel (default both)"),
      ("as_of", "query", "Evaluation date YYYY-MM-DD"),
    ],
    "/api/v1/permits/expiring": [
      ("region", "query", "GB/T 2260 code or prefix"), ("within", "query", "Days ahead (default 90)"),
      ("overdue", "query", "1 for the lapses instead"), ("as_of", "query", "Evaluation date YYYY-MM-DD"),
    ],
    "/api/v1/fines/overdue": [
      ("region", "query", "GB/T 2260 code or prefix"), ("as_of", "query", "Evaluation date YYYY-MM-DD"),
    ],
    "/api/v1/ledger": [
      ("region", "query", "GB/T 2260 code or prefix"), ("overdue", "query", "1 for overdue items only"),
      ("as_of", "query", "Evaluation date YYYY-MM-DD"),
    ],
    "/api/v1/audit": [("since", "query", "First day YYYY-MM-DD")],
    "/api/v1/due": [
      ("region", "query", "GB/T 2260 code or prefix"), ("within", "query", "Days ahead (default 30)"),
      ("as_of", "query", "Evaluation date YYYY-MM-DD"),
    ],
  ]

  static let document: String = {
    var paths: [(String, Value)] = []
    var byPath: [String: [(String, Value)]] = [:]
    var order: [String] = []
    for route in APIRoutes.routes {
      if byPath[route.path] == nil { order.append(route.path) }
      var operation = Fields([
        ("summary", .text(route.summary)),
        ("security", .list([.record(Fields([("bearer", .list([]))])), .record(Fields([("session", .list([]))]))])),
      ])
      if route.method == "get" {
        operation.append(
          "parameters",
          .list(
            (parameters[route.path] ?? []).map {
              .record(
                Fields([
                  ("name", .text($0.name)), ("in", .text($0.location)), ("required", .bool($0.location == "path")),
                  ("description", .text($0.description)), ("schema", .record(Fields([("type", .text("string"))]))),
                ]))
            }))
      } else {
        operation.append(
          "requestBody",
          .record(
            Fields([
              ("required", .bool(true)),
              (
                "content",
                .record(
                  Fields([
                    ("application/json", .record(Fields([("schema", .record(Fields([("type", .text("object"))])))])))
                  ]))
              ),
            ])))
      }
      let ok = route.method == "get" ? "200" : "201"
      operation.append(
        "responses",
        .record(
          Fields([
            (ok, .record(Fields([("description", .text("The value, as the CLI's --format json writes it"))]))),
            ("401", .record(Fields([("description", .text("No valid token or session"))]))),
            ("403", .record(Fields([("description", .text("The account's role or region does not reach"))]))),
            ("404", .record(Fields([("description", .text("Not found"))]))),
            ("422", .record(Fields([("description", .text("Invalid input: each problem with field, value, reason"))]))),
          ])))
      byPath[route.path, default: []].append((route.method, .record(operation)))
    }
    for path in order { paths.append((path, .record(Fields(byPath[path] ?? [])))) }
    let document = Fields([
      ("openapi", .text("3.1.0")),
      (
        "info",
        .record(
          Fields([
            ("title", .text("envreg registry API")), ("version", .text("1")),
            ("description", .text("The registry's JSON contracts (as `envreg --format json`) over HTTP.")),
          ]))
      ),
      ("paths", .record(Fields(paths))),
      (
        "components",
        .record(
          Fields([
            (
              "securitySchemes",
              .record(
                Fields([
                  ("bearer", .record(Fields([("type", .text("http")), ("scheme", .text("bearer"))]))),
                  (
                    "session",
                    .record(
                      Fields([("type", .text("apiKey")), ("in", .text("cookie")), ("name", .text("envreg_session"))]))
                  ),
                ]))
            )
          ]))
      ),
    ])
    return Render.render(.record(document), as: .json)
  }()
}
