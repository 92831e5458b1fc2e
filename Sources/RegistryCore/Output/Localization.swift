/// The language of what people read: Chinese for bureau staff, English by choice. The machine
/// contracts (JSON keys and codes, CSV headers) stay English whatever the language.
public enum Language: String, Sendable, CaseIterable {
  case zh, en

  public var other: Language { self == .zh ? .en : .zh }
  public var htmlTag: String { self == .zh ? "zh-CN" : "en" }

  /// The language a locale asks for: `zh_CN.UTF-8`, `zh_TW`, `zh` → zh; anything else → en. The
  /// variables are read as POSIX does: LC_ALL, then LC_MESSAGES, then LANG.
  public static func fromLocale(_ environment: [String: String]) -> Language {
    for name in ["LC_ALL", "LC_MESSAGES", "LANG"] {
      guard let value = environment[name], !value.isEmpty else { continue }
      return value.lowercased().hasPrefix("zh") ? .zh : .en
    }
    return .en
  }
}

/// The Chinese names of the keys of every record envreg shows, and of the values of its
/// vocabularies: one table for the command line's tables (`--lang zh`) and the server's pages.
public enum Labels {
  /// A record key's name in `language` (English keys are shown as they are).
  public static func field(_ key: String, _ language: Language) -> String {
    guard language == .zh else { return key }
    if let name = chinese[key] { return name }
    if let field = EnterpriseField(rawValue: key) { return field.chineseHeader }
    return key
  }

  /// A text value's name in `language`, when the key holds a vocabulary's code (`key` → 重点管理).
  public static func value(_ text: String, key: String, _ language: Language) -> String {
    guard language == .zh else { return text }
    for name in vocabularies[key] ?? [] { if let label = name(text) { return label } }
    // A fact never supplied is unknown, never "no", in every vocabulary.
    return text == "unknown" ? "未知" : Chinese.translate(text)
  }

  /// A whole value with its keys (unless `keys` is false: a page that names its own columns and
  /// links by key) and vocabulary codes in `language`: a table for people.
  public static func localize(_ value: Value, _ language: Language, keys: Bool = true) -> Value {
    guard language == .zh else { return value }
    return localize(value, key: "", keys: keys)
  }

  static func localize(_ value: Value, key: String, keys: Bool) -> Value {
    switch value {
    case .text(let text): return .text(Labels.value(text, key: key, .zh))
    case .bool(let flag): return .text(flag ? "是" : "否")
    case .list(let items): return .list(items.map { localize($0, key: key, keys: keys) })
    case .record(let record):
      return .record(
        Fields(record.fields.map { (keys ? field($0.key, .zh) : $0.key, localize($0.value, key: $0.key, keys: keys)) }))
    default: return value
    }
  }

  /// A trace line's reading (TraceLine.reading) in Chinese.
  public static func reading(_ reading: String) -> String {
    [
      "unknown": "未知", "not in force": "未施行", "holds": "成立", "no": "不成立", "clear": "不适用",
      "EXCLUDED": "排除", "pass": "通过", "FAIL": "不通过",
    ][reading] ?? reading
  }

  /// A parameter's code by its Chinese name: the vocabularies parameters hold codes of, looked up in
  /// a fixed order (a code two vocabularies share, such as `yellow`, reads the same every time).
  public static func anyValue(_ code: String) -> String {
    for name in parameterVocabularies { if let label = name(code) { return label } }
    return code
  }

  static let parameterVocabularies: [Namer] = [
    vocabulary(DesignationKind.self), vocabulary(CreditRating.self), vocabulary(FacilityType.self),
    vocabulary(OnlineMonitoring.self), vocabulary(Fuel.self), vocabulary(ProductionProcess.self),
    vocabulary(PermitClass.self), vocabulary(PerformanceGrade.self),
  ]

  /// What names a vocabulary's codes: a `Vocabulary`'s labels, or a table.
  typealias Namer = @Sendable (String) -> String?

  static func vocabulary<V: Vocabulary>(_ type: V.Type) -> Namer { { V(rawValue: $0)?.label } }

  static func names(_ table: [String: String]) -> Namer { { table[$0] } }

  static let permitStatus = names([
    "not-issued": "尚未核发", "revoked": "已撤销", "cancelled": "已注销", "renewed": "已延续", "deferred": "已准予延期",
    "expired": "已过期", "renewal-overdue": "逾期未申请延续", "renewal-applied": "已申请延续", "expiring": "即将到期", "valid": "有效",
  ])
  static let verdictStatus = names(["eligible": "符合", "ineligible": "不符合", "undetermined": "无法判定（缺少事实）"])
  static let outcome = names(["pass": "通过", "fail": "不通过", "unknown": "未知", "not-in-force": "未施行", "holds": "成立"])
  static let permitEvent = names([
    "renewal-applied": "申请延续", "deferral-granted": "准予延期", "change-filed": "申请变更", "renewed": "延续",
    "cancelled": "注销", "revoked": "撤销",
  ])
  static let fineKinds = names(["deferral": "延期缴纳", "instalments": "分期缴纳", "review": "行政复议", "litigation": "行政诉讼"])
  static let roles = names(["admin": "管理员", "officer": "经办人", "viewer": "查阅人"])
  static let findings = names(["no-longer-qualifies": "不再符合", "now-qualifies": "新符合"])

  static let vocabularies: [String: [Namer]] = [
    "permit_class": [vocabulary(PermitClass.self)],
    "class": [vocabulary(PermitClass.self), vocabulary(LedgerClass.self)],
    "grade": [vocabulary(PerformanceGrade.self)], "credit_rating": [vocabulary(CreditRating.self)],
    "process": [vocabulary(ProductionProcess.self)], "fuel": [vocabulary(Fuel.self)],
    "online_monitoring": [vocabulary(OnlineMonitoring.self)], "facility_type": [vocabulary(FacilityType.self)],
    "status": [vocabulary(EnterpriseStatus.self), permitStatus, verdictStatus],
    "list": [vocabulary(PositiveList.self)], "source_type": [vocabulary(SourceType.self)],
    "stage": [vocabulary(RetrofitStage.self)], "pollutant": [vocabulary(Pollutant.self)],
    "kind": [vocabulary(DesignationKind.self), vocabulary(IncidentKind.self), permitEvent, fineKinds],
    "outcome": [outcome], "meets_limits": [outcome], "role": [roles],
    "finding": [findings, { InspectionFinding(rawValue: $0)?.label }],
    "group": [{ DrawGroup($0)?.label }], "weather_class": [{ WeatherClass(rawValue: $0)?.label }],
    "level": [{ AlertLevel(rawValue: $0)?.label }],
    "grade_used": [vocabulary(PerformanceGrade.self)],
    // EIA approval service (RULES §11).
    "document_type": [vocabulary(DocumentType.self)], "route": [vocabulary(ApprovalRoute.self)],
    "approval_stage": [vocabulary(ApprovalStage.self)], "ledger": [vocabulary(MajorLedger.self)],
    "ledgers": [
      { text in
        text.isEmpty
          ? nil
          : text.split(separator: " ").map { MajorLedger(rawValue: String($0))?.label ?? String($0) }
            .joined(separator: "、")
      }
    ],
    "event": [vocabulary(ApprovalEventKind.self)], "green_channel": [verdictStatus],
    // A history row's `field` names an enterprise field.
    "field": [{ EnterpriseField(rawValue: $0)?.chineseHeader }],
  ]

  static let chinese: [String: String] = [
    "action": "操作", "actor": "操作人", "admitted_by": "纳入人", "admitted_on": "纳入日期", "after": "变更后",
    "amount": "金额", "applied_on": "申请日期", "approved_on": "批准日期", "approver": "批准人", "as_of": "评估日期",
    "assessed": "应缴", "assessing_body": "评估机构", "at": "时间", "audit_head": "审计链头", "audit_id": "审计编号",
    "basis": "依据", "before": "变更前", "by_stage": "按阶段", "capacity": "规模", "capacity_unit": "规模单位",
    "capped_on": "封顶日期", "categories": "符合类别", "category": "类别", "changed_on": "变更日期", "class": "类别",
    "clause": "依据条款", "clock": "期限类型", "closed_on": "销号日期", "closed_reason": "注销原因",
    "code_override": "代码例外理由", "concentration": "浓度", "consequences": "纳入后果", "counted": "计入",
    "created_at": "创建时间", "credit_code": "统一社会信用代码", "date": "日期", "days": "天数", "days_left": "剩余天数",
    "days_overdue": "逾期天数", "deadline": "期限", "debtor": "当事人", "decided_on": "决定日期",
    "decision_key": "文号规范键", "decision_number": "处罚决定书文号", "deferred_until": "延期至", "description": "说明",
    "designations": "认定", "detail": "详情", "disabled_at": "停用时间", "due": "到期日", "due_on": "到期日",
    "due_rule": "缴纳期限规则", "effective_from": "起始日期", "effective_on": "生效日期", "effective_to": "截止日期",
    "encoding": "编码", "enterprise": "企业", "enterprises": "企业", "entity_key": "对象", "entity_type": "对象类型",
    "error": "错误", "events": "事件", "facility": "设施", "fact": "事实", "field": "字段", "file": "文件",
    "filed_on": "申请日期", "filing_due": "申请期限", "finding": "发现", "fines": "罚款", "flag": "提示", "found_on": "发现日期",
    "from": "起", "grade": "绩效分级", "granted_by": "认定单位", "group": "分组", "hash": "哈希", "head": "链头",
    "history": "变更记录", "holder": "持证单位", "id": "编号", "in": "所在", "incidents": "事件记录", "industries": "行业",
    "industry": "行业", "industry_code": "行业代码", "inserted": "新增", "instalments": "分期", "intact": "完整",
    "issued_on": "核发日期", "item": "事项", "items": "事项", "jurisdiction": "适用地区", "key": "参数",
    "key_region": "重点区域", "key_regions": "重点区域", "kind": "类型", "label": "名称", "law_version": "适用法律版本",
    "legal_basis": "处罚依据", "limit": "限值", "list": "清单", "mandated": "强制改造", "measured_by": "监测单位",
    "measured_on": "监测日期", "measures": "帮扶措施", "meets_limits": "达标", "message": "信息", "mg_m3": "毫克/立方米",
    "name": "名称", "new_due": "新期限", "new_due_on": "新期限", "new_firms": "新企业", "new_installation": "新建",
    "new_value": "新值", "note": "备注", "number": "编号", "o2": "基准含氧量", "o2_percent": "含氧量(%)",
    "obligation": "应缴项目", "occurred_on": "发生日期", "old_value": "原值", "on": "日期", "original": "原始",
    "outcome": "结论", "outstanding": "未缴", "overdue": "逾期", "overdue_mandated": "逾期强制改造", "owed": "应缴合计",
    "override_reason": "例外理由", "paid": "已缴", "paid_on": "缴款日期", "permit_class": "排污许可管理类别",
    "permits": "排污许可证", "planned_completion": "计划完成", "planned_start": "计划开工", "pollutant": "污染物",
    "problem_type": "问题类型", "problems": "问题", "province": "省份", "province_name": "省份名称", "reading": "判读",
    "reason": "理由", "reasons": "理由", "received_on": "送达日期", "recorded_at": "记录时间", "reference": "文号",
    "region": "所在地", "region_code": "行政区划代码", "regions": "地区", "reinspected": "复查", "rejected": "拒绝",
    "renewal_applied": "延续申请日期", "renewal_due": "延续申请截止日", "required": "必填", "responsible_person": "责任人",
    "responsible_unit": "责任单位", "retrofits": "超低排放改造", "revoke_reason": "移出理由", "revoked_at": "撤销时间",
    "revoked_on": "移出日期", "role": "角色", "rows": "行数", "rows_checked": "已核行数", "rule": "规则",
    "serious_violation": "严重违法", "source": "问题来源", "source_type": "排放源类型", "stage": "阶段", "state": "状态",
    "status": "状态", "summary": "汇总", "supersede_reason": "替代理由", "superseded_by": "被替代为", "surcharge": "加处罚款",
    "threshold": "标准", "title": "标题", "to": "止", "token": "令牌", "total": "合计", "trace": "判定依据", "type": "类型",
    "unchanged": "未变", "unit": "单位", "unpaid": "未缴", "until": "至", "updated": "更新", "valid_from": "有效期起",
    "valid_to": "有效期至", "valid_until": "有效期至", "value": "数值", "verified": "已核验", "version": "版本",
    "warnings": "警告", "why": "原因", "memberships": "正面清单", "facts": "基本信息",
    "list_memberships": "正面清单", "ledger_items": "问题台账", "lapsed": "期满未续", "audit": "审计",
    "database": "数据库", "schema_version": "结构版本", "industry.section": "行业门类", "industry.division": "行业大类",
    "industry.group": "行业中类", "industry.class": "行业小类", "region.province": "省级区划", "region.prefecture": "地级区划",
    "region.county": "县级区划", "region.prefecture.abolished": "已撤销地级区划", "region.county.abolished": "已撤销县级区划",
    "region.history_only": "仅见于沿革的区划", "region_history.periods": "区划沿革时段", "region_set": "重点区域",
    "region_set_member": "重点区域成员",
    // Enforcement planning (RULES §9, §10).
    "staff_no": "执法证件编号", "certificate": "执法证号", "active": "在岗", "conflicts": "回避企业", "draw": "抽取编号",
    "ledger_item": "台账事项", "period": "抽查期间", "drawn_on": "抽取日期", "seed": "随机种子", "pool": "抽取范围",
    "picks": "抽中", "inspected": "已检查", "violations": "发现违法", "ratio": "抽取比例",
    "minimum": "最少抽取", "quota": "抽取数", "inspectors": "执法人员", "weather_class": "清单类别",
    "grade_used": "执行分级", "guarantee": "保障类", "exempt": "正面清单", "yellow": "黄色预警措施",
    "orange": "橙色预警措施", "red": "红色预警措施", "level": "预警级别", "alert": "预警编号", "measure": "减排措施",
    // EIA approval service (RULES §11).
    "project_no": "项目编号", "builder": "建设单位统一社会信用代码", "builder_name": "建设单位", "investment_wan": "总投资（万元）",
    "directory_items": "名录条目", "document_type": "文件类型", "sensitive": "环境敏感区", "urgent": "疫情防控急需", "route": "审批方式",
    "ledgers": "所在台账", "ledger": "台账", "green_channel": "绿色通道", "approval_stage": "所处阶段", "accepted_on": "受理日期",
    "statutory_limit": "法定时限（日）", "days_used": "已用天数", "statutory_due": "法定期限届满日", "promised_limit": "承诺时限（工作日）",
    "working_days_used": "已用工作日", "overdue_days": "超期天数", "overdue_working_days": "超期工作日", "check_due": "事后核查期限",
    "builder_registered": "建设单位已登记", "registrations": "排污登记", "listings": "台账记录", "event": "事项", "effective": "生效日期",
    "projects": "项目数", "approved": "已批复", "approved_in_time": "按时办结", "average_days": "平均用时（日）",
    "same_picks": "重放结果一致", "weather_measures": "重污染天气减排措施", "pool_differences": "抽取范围差异", "stored": "存档", "now": "现在",
  ]
}
