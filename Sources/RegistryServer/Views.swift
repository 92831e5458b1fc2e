import Foundation
import Hummingbird
import Mustache
import RegistryCore

/// The pages' words, in both languages. Keys are the templates' `t.*` names and the record keys
/// of the service's values (`credit_code` ...); a key with no entry is shown as it is.
enum Words {
  static let table: [String: (zh: String, en: String)] = [
    "app": ("企业环境合规登记系统", "envreg registry"),
    "dashboard": ("工作台", "Dashboard"), "firms": ("企业查询", "Firms"), "register": ("登记企业", "Register a firm"),
    "ledger": ("问题台账", "Ledger"), "audit": ("审计日志", "Audit log"), "users": ("账户管理", "Accounts"),
    "logout": ("退出", "Sign out"), "login": ("登录", "Sign in"), "otherLanguage": ("English", "中文"),
    "username": ("账户", "Account"), "password": ("密码", "Password"), "search": ("查询", "Search"),
    "next": ("下一页", "Next"), "previous": ("上一页", "Previous"), "save": ("保存", "Save"),
    "eligibility": ("正面清单资格", "Eligibility"), "admit": ("纳入清单", "Admit"), "revoke": ("移出清单", "Revoke"),
    "reason": ("理由", "Reason"), "add": ("新增", "Add"), "note": ("说明", "Note"), "date": ("日期", "Date"),
    "dueIn30": ("30日内到期事项", "Due within 30 days"), "overdue": ("已逾期", "Overdue"),
    "count": ("数量", "Count"), "region": ("地区", "Region"), "kind": ("类别", "Kind"), "total": ("合计", "Total"),
    "matches": ("条记录", "firms"), "noResults": ("没有符合条件的企业。", "No firm matches."),
    "problem": ("问题描述", "Problem"), "dueOn": ("整改期限", "Due on"), "moveTo": ("变更状态为", "Move to"),
    "role": ("角色", "Role"), "disable": ("停用", "Disable"), "enable": ("启用", "Enable"),
    "check": ("核验", "Check"), "overrideReason": ("例外理由（可选）", "Override reason (optional)"),
    "seriousViolation": ("严重违法", "Serious violation"), "profile": ("企业档案", "Profile"),
    "signedInAs": ("当前账户", "Signed in as"), "effectiveOn": ("变更生效日期", "Effective on"),
    "edit": ("修改", "Edit"), "permitsNav": ("许可证到期", "Permits"), "finesNav": ("逾期罚款", "Overdue fines"),
    "reports": ("台账报表下载", "Report downloads"), "importNav": ("导入", "Import"),
    "skipInvalid": ("跳过错误行并下载错误清单", "Skip bad rows and download them"), "importNow": ("导入", "Import"),
    "importHelp": (
      "CSV 文件（UTF-8 或 GB18030）或 Excel 工作簿（.xlsx，读第一个工作表），列名见说明文档。默认全部校验通过才导入；任何一行有误则不导入任何数据。",
      "A CSV file (UTF-8 or GB18030) or an Excel workbook (.xlsx, its first sheet), columns as the README lists. "
        + "By default one bad row refuses the whole file."
    ),
    "lapsed": ("近30日正面清单期满未续", "Memberships lapsed in the last 30 days"),
    "charts": ("图表", "Charts"),
    "valid_until": ("有效期至", "Valid until"), "list": ("清单", "List"),
    "result": ("导入结果", "Result"), "downloadRejects": ("下载错误行清单", "Download the rejected rows"),
    "newPassword": ("新密码", "New password"),
    "credit_code": ("统一社会信用代码", "Credit code"), "name": ("名称", "Name"), "region_code": ("行政区划", "Region"),
    "industry_code": ("行业代码", "Industry"), "status": ("状态", "Status"), "as_of": ("评估日期", "As of"),
    "categories": ("符合类别", "Categories"), "trace": ("判定依据", "Trace"), "rule": ("规则", "Rule"),
    "outcome": ("结论", "Outcome"), "fact": ("事实", "Fact"), "threshold": ("标准", "Threshold"),
    "clause": ("依据条款", "Clause"), "at": ("时间", "At"), "actor": ("操作人", "Actor"), "action": ("操作", "Action"),
    "entity_key": ("对象", "Entity"), "due_on": ("到期日", "Due on"), "state": ("状态", "State"),
    "id": ("编号", "ID"), "created_at": ("创建时间", "Created"), "disabled_at": ("停用时间", "Disabled"),
    "facts": ("基本信息", "Facts"), "history": ("变更记录", "History"), "permits": ("排污许可证", "Permits"),
    "fines": ("罚款", "Fines"), "memberships": ("正面清单", "Memberships"), "retrofits": ("超低排放改造", "Retrofits"),
    "address": ("地址", "Address"), "legal_rep": ("法定代表人", "Legal representative"), "contact": ("联系方式", "Contact"),
    "registered_on": ("登记日期", "Registered on"), "item": ("事项", "Item"), "detail": ("详情", "Detail"),
    "description": ("说明", "Description"), "reading": ("判读", "Reading"),
    "fine payment due": ("罚款缴纳期限", "fine payment due"),
    "ledger item rectification due": ("台账问题整改期限", "ledger item rectification due"),
    "permit expires": ("排污许可证到期", "permit expires"),
    "permit renewal application due": ("许可证延续申请期限", "permit renewal application due"),
    "registration renewal due": ("排污登记延续期限", "registration renewal due"),
    "permit change filing due": ("许可证变更申请期限", "permit change filing due"),
    "mandated ultra-low retrofit verified by": ("超低排放改造验收期限", "mandated ultra-low retrofit verified by"),
    "fine instalment due": ("分期缴纳期限", "fine instalment due"),
    "fine deferral due": ("暂缓缴纳期限", "fine deferral due"), "grade": ("绩效分级", "Grade"),
    "permit_class": ("许可类别", "Permit class"),
  ]

  static func dictionary(_ language: Language) -> [String: String] {
    table.mapValues { language == .zh ? $0.zh : $0.en }
  }

  static func label(_ key: String, _ language: Language) -> String {
    if let entry = table[key] { return language == .zh ? entry.zh : entry.en }
    return Labels.field(key, language)
  }
}

/// The Mustache templates (embedded at build time) and the page frame. Every `{{value}}` is
/// HTML-escaped by Mustache; only `{{{body}}}`, itself rendered by a template, is not.
struct Pages: Sendable {
  let library: MustacheLibrary

  static let templates: [String: String] = [
    "layout": Embedded.layout, "login": Embedded.login, "dashboard": Embedded.dashboard, "firms": Embedded.firms,
    "firm": Embedded.firm, "firm_form": Embedded.firmForm, "eligibility": Embedded.eligibility,
    "ledger": Embedded.ledger, "users": Embedded.users, "message": Embedded.message,
    "listing": Embedded.listing, "import_form": Embedded.importForm, "charts": Embedded.charts,
  ]

  init() throws {
    var library = MustacheLibrary()
    // Without their last line break: a partial drawn inside a table cell adds no blank line.
    for (name, text) in Pages.templates {
      try library.register(text.hasSuffix("\n") ? String(text.dropLast()) : text, named: name)
    }
    self.library = library
  }

  /// A whole page: `template` rendered with `data`, inside the frame.
  func page(
    _ template: String, title: String, data: [String: Any], context: WebContext, status: HTTPResponse.Status = .ok,
    error: String? = nil, flash: String? = nil
  ) -> Response {
    let words = Words.dictionary(context.language)
    var data = data
    data["t"] = words
    data["csrf"] = context.session?.csrf ?? ""
    let body = library.render(data, withTemplate: template) ?? ""
    var frame: [String: Any] = [
      "t": words, "title": title, "body": body, "htmlLang": context.language.htmlTag,
      "otherLang": context.language.other.rawValue,
    ]
    if let account = context.account {
      frame["account"] = [
        "name": account.name, "roleLabel": Pages.roleLabel(account.role, context.language),
        "region": account.regionPrefix ?? false, "isAdmin": account.role == .admin,
        "mayImport": account.role == .admin || (account.role == .officer && account.regionPrefix != nil),
        "csrf": context.session?.csrf ?? "",
      ]
    }
    if let error { frame["error"] = error }
    if let flash { frame["flash"] = flash }
    let html = library.render(frame, withTemplate: "layout") ?? ""
    return Response(
      status: status, headers: [.contentType: "text/html; charset=utf-8"],
      body: .init(byteBuffer: ByteBuffer(string: html)))
  }

  static func roleLabel(_ role: Role, _ language: Language) -> String {
    switch (role, language) {
    case (.admin, .zh): "管理员"
    case (.officer, .zh): "执法人员"
    case (.viewer, .zh): "只读"
    default: role.rawValue
    }
  }

  /// A service value as HTML (`Render.html`, every text escaped), its keys named in the page's
  /// language and firms and fines linked to their pages.
  static func view(_ value: Value, _ language: Language) -> String {
    Render.html(Labels.localize(value, language, keys: false), label: { Words.label($0, language) }, link: link)
  }

  /// Values that name something with a page of its own link to it.
  static func link(_ key: String, _ text: String) -> String? {
    guard !text.isEmpty, let encoded = text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) else {
      return nil
    }
    switch key {
    case "credit_code", "holder", "debtor", "owner": return "/firms/" + encoded
    case "decision_number", "decision": return "/fines/detail?decision=" + encoded
    default: return nil
    }
  }
}
