extension Render {
  /// A value as an HTML fragment for a page: a record as a two-column table, a list of records as
  /// a table with a header row (the union of their keys), another list as a bullet list, a scalar
  /// as its text. Every text is escaped (`markupEscape`); `label` names a key for people and `link`
  /// may give a scalar the address of its own page (by its key and text).
  public static func html(
    _ value: Value, label: (String) -> String, link: (String, String) -> String? = { _, _ in nil }
  ) -> String {
    var out = ""
    html(value, key: "", label: label, link: link, into: &out)
    return out
  }

  private static func html(
    _ value: Value, key: String, label: (String) -> String, link: (String, String) -> String?,
    into out: inout String
  ) {
    switch value {
    case .record(let fields):
      out += "<table class=\"record\">"
      for field in fields.fields {
        out += "<tr><th>" + markupEscape(label(field.key)) + "</th><td>"
        html(field.value, key: field.key, label: label, link: link, into: &out)
        out += "</td></tr>"
      }
      out += "</table>"
    case .list(let items) where !items.isEmpty && items.allSatisfy({ if case .record = $0 { true } else { false } }):
      var keys: [String] = []
      var seen = Set<String>()
      for case .record(let fields) in items {
        for field in fields.fields where seen.insert(field.key).inserted { keys.append(field.key) }
      }
      out += "<table class=\"list\"><thead><tr>"
      for key in keys { out += "<th>" + markupEscape(label(key)) + "</th>" }
      out += "</tr></thead><tbody>"
      for case .record(let fields) in items {
        out += "<tr>"
        for key in keys {
          out += "<td>"
          html(fields[key] ?? .null, key: key, label: label, link: link, into: &out)
          out += "</td>"
        }
        out += "</tr>"
      }
      out += "</tbody></table>"
    case .list(let items):
      out += "<ul>"
      for item in items {
        out += "<li>"
        html(item, key: key, label: label, link: link, into: &out)
        out += "</li>"
      }
      out += "</ul>"
    default:
      let text = plain(value)
      if let href = link(key, text) {
        out += "<a href=\"" + markupEscape(href) + "\">" + markupEscape(text) + "</a>"
      } else {
        out += markupEscape(text)
      }
    }
  }
}
