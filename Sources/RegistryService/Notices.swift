import RegistryCore

/// The documents a bureau publishes or serves, built from the same reads as their listings:
/// the permit expiry reminder (`permit expiring --notice`), the positive-list directory
/// (`lists members --notice`) and the demand notices for unpaid fines (`fine overdue --notice`).
extension Registry {
  /// 排污许可证有效期届满提醒公告 with its 附件 list (PM-2): the permits expiring within the window.
  public func permitExpiryNotice(
    asOf: Day, within: Int, regionPrefix: String?, permitClass: PermitClass?, issuer: String
  ) throws -> Notice {
    var rows: [[Value]] = []
    var holders: Set<String> = []
    try expiryNotice(asOf: asOf, within: within, overdue: false, regionPrefix: regionPrefix, permitClass: permitClass) {
      held, standing in
      holders.insert(held.holder.value)
      var remark: [String] = []
      if let applied = standing.renewalApplied { remark.append("已于\(applied)申请延续") }
      if let until = standing.deferredUntil { remark.append("已准予延期至\(until)") }
      if standing.renewalApplied == nil && standing.deferredUntil == nil && standing.renewalDue < asOf {
        remark.append("已过延续申请期限")
      }
      rows.append([
        .int(rows.count + 1), .text(held.holderName), .text(held.holder.value),
        .text(Divisions.bundled.fullName(of: held.regionCode)), .text(held.permit.number.value),
        .text(held.permit.permitClass.label), .day(held.permit.validTo), .day(standing.renewalDue),
        .int(standing.daysToExpiry), .text(remark.joined(separator: "；")),
      ])
    }
    let place = Registry.placeName(regionPrefix)
    let until = asOf.adding(days: within)
    let letter = Notice.Letter(
      title: "关于排污许可证有效期即将届满的提醒公告",
      paragraphs: [
        """
        根据《排污许可管理条例》第十四条规定，排污许可证有效期届满，排污单位需要继续排放污染物的，应当于排污许可证有效期\
        届满60日前向审批部门提出申请。
        """,
        """
        经核查，截至\(asOf.chinese)，\(place)共有\(holders.count)家排污单位的\(rows.count)份排污许可证将于\(until.chinese)前届满\
        （名单见附件）。请相关排污单位对照附件所列延续申请截止日，及时通过全国排污许可证管理信息平台提出延续申请。\
        排污许可证有效期届满未申请延续或者延续申请未经批准排放污染物的，将依照《排污许可管理条例》第三十三条处理。
        """,
        "特此公告。",
        "附件：排污许可证有效期届满提醒名单",
      ])
    return Notice(
      title: "排污许可证有效期届满提醒公告", letters: [letter], issuer: issuer, issuedOn: asOf,
      tableTitle: "附件：排污许可证有效期届满提醒名单（截至\(asOf)，\(within)日内届满）",
      headers: ["序号", "单位名称", "统一社会信用代码", "所在地", "许可证编号", "管理类别", "有效期至", "延续申请截止日", "剩余天数", "备注"],
      rows: rows)
  }

  /// 正面清单企业名录 for public notice (一公开): the current members of a list on a date.
  public func directoryNotice(list: PositiveList, asOf: Day, regionPrefix: String?, issuer: String) throws -> Notice {
    let members = try members(of: list, on: asOf, regionPrefix: regionPrefix)
    let rows: [[Value]] = members.enumerated().map { index, member in
      [
        .int(index + 1), .text(member.name), .text(member.creditCode),
        .text(Divisions.bundled.fullName(of: member.regionCode)), .text(member.category), .day(member.admittedOn),
        .day(member.validUntil),
      ]
    }
    let place = Registry.placeName(regionPrefix)
    let scope =
      list == .inspectionExemption
      // 27号 二(二), as `consequences(of:)` states it.
      ? "对列入名录、免除现场执法检查的企业，以非现场方式开展监管，可不采取或少采取重污染天气应急减排措施，不纳入各类环保专项行动、专项检查范围。"
      : "列入名录企业的建设项目纳入环评审批服务绿色通道，按承诺时限办理环评审批。"
    let letter = Notice.Letter(
      title: "关于公开\(list.label)企业名录的公告",
      paragraphs: [
        """
        根据《关于在疫情防控常态化前提下积极服务落实“六保”任务坚决打赢打好污染防治攻坚战的意见》（环厅〔2020〕27号）\
        关于提升“两个正面清单”效能的要求，现将截至\(asOf.chinese)\(place)\(list.label)企业名录（共\(rows.count)家）予以公开\
        （名录见附件）。
        """,
        scope,
        "列入名录的企业发生环境违法行为、突发环境事件或者不再符合纳入条件的，将依规移出名录。欢迎社会各界监督。",
        "特此公告。",
        "附件：\(list.label)企业名录",
      ])
    return Notice(
      title: "\(list.label)企业名录", letters: [letter], issuer: issuer, issuedOn: asOf,
      tableTitle: "附件：\(list.label)企业名录（截至\(asOf)，\(place)）",
      headers: ["序号", "企业名称", "统一社会信用代码", "所在地", "类别", "纳入日期", "有效期至"], rows: rows)
  }

  /// 催告书 (行政强制法 art. 35) for each fine with an amount overdue on `asOf` (FN-1, FN-3, FN-4):
  /// what was decided, what is unpaid, the surcharge so far, the time to pay and the rights to be
  /// heard; the table is the register of the notices served.
  public func demandNotices(asOf: Day, regionPrefix: String?, issuer: String) throws -> Notice {
    var order: [String] = []
    var found: [String: (owed: OwedFine, statement: FineStatement, obligations: [Obligation])] = [:]
    try forEachOverdueFine(asOf: asOf, regionPrefix: regionPrefix) { owed, statement, obligation in
      let key = owed.fine.decisionNumber
      if found[key] == nil {
        order.append(key)
        found[key] = (owed, statement, [])
      }
      found[key]?.obligations.append(obligation)
    }
    var letters: [Notice.Letter] = []
    var rows: [[Value]] = []
    for key in order {
      guard let (owed, statement, obligations) = found[key] else { continue }
      let fine = owed.fine
      let money = { (fen: Fen) in Render.plain(.money(fen)) + "元" }
      let unpaid = obligations.map {
        "\(Registry.obligationName($0.label))\(money($0.outstanding))（应于\($0.due.chinese)前缴纳，已逾期\($0.daysOverdue)日）"
      }
      let surchargeLaw =
        fine.lawVersion == .v2021
        ? "《中华人民共和国行政处罚法》第七十二条第一款第（一）项" : "《中华人民共和国行政处罚法》（2017年修正）第五十一条第（一）项"
      letters.append(
        Notice.Letter(
          title: "行政处罚决定履行催告书", addressee: "\(owed.debtorName)（统一社会信用代码：\(owed.debtor.value)）",
          paragraphs: [
            """
            本机关于\(fine.decidedOn.chinese)作出\(fine.decisionNumber)《行政处罚决定书》，对你单位处以罚款\(money(fine.amount))，\
            该决定书已于\(fine.receivedOn.chinese)送达。截至\(asOf.chinese)，你单位尚未缴清：\(unpaid.joined(separator: "；"))。
            """,
            """
            依照\(surchargeLaw)，到期不缴纳罚款的，每日按罚款数额的百分之三加处罚款，加处罚款的数额不得超出罚款的数额。\
            截至\(asOf.chinese)，已加处罚款\(money(statement.surchargeOutstanding))，\
            尚欠罚款\(money(statement.principalOutstanding))，\
            合计\(money(statement.totalOwed))。
            """,
            """
            根据《中华人民共和国行政强制法》第三十五条，现催告你单位自收到本催告书之日起十日内，按《行政处罚决定书》载明的\
            方式将上述罚款及加处罚款缴入指定账户。
            """,
            """
            你单位依法享有陈述权和申辩权，可在收到本催告书后向本机关提出陈述、申辩。本催告书送达十日后你单位仍未履行且无\
            正当理由的，本机关将依照《中华人民共和国行政强制法》第五十三条、第五十四条申请人民法院强制执行。
            """,
          ]))
      rows.append([
        .int(rows.count + 1), .text(owed.debtorName), .text(owed.debtor.value), .text(fine.decisionNumber),
        .money(fine.amount), .money(statement.principalOutstanding), .money(statement.surchargeOutstanding),
        .money(statement.totalOwed), .day(obligations.map(\.due).min() ?? statement.originalDue),
        .int(obligations.map(\.daysOverdue).max() ?? 0),
      ])
    }
    return Notice(
      title: "行政处罚决定履行催告书", letters: letters, issuer: issuer, issuedOn: asOf,
      tableTitle: "催告书送达登记表（截至\(asOf)，\(Registry.placeName(regionPrefix))）",
      headers: ["序号", "当事人", "统一社会信用代码", "处罚决定书文号", "罚款金额", "未缴罚款", "加处罚款", "合计应缴", "缴纳期限", "逾期天数"],
      rows: rows)
  }

  /// An obligation's name in a served letter: the fine, or its numbered instalment.
  /// The 一公开 notice of a draw (RD-3): how it was drawn (pool, quotas, seed) and whom it drew,
  /// with their inspectors, so the public can check it and replay it.
  public func drawNotice(_ draw: StoredDraw, issuer: String) throws -> Notice {
    let s = draw.snapshot
    let rows: [[Value]] = try draw.picks.enumerated().map { index, pick in
      let firm = try CreditCode(stored: pick.code).flatMap { try storage.enterprise($0) }
      let names = pick.inspectors.map { staff in s.roster.first { $0.staffNo == staff }?.name ?? staff }
      return [
        .int(index + 1), .text(firm?.name ?? ""), .text(pick.code),
        .text(firm.map { Divisions.bundled.fullName(of: $0.regionCode) } ?? ""), .text(pick.group.label),
        .text(names.joined(separator: "、")),
      ]
    }
    let quotas = s.quotas.filter { $0.pool > 0 }.map {
      "\($0.group.label)\($0.pool)家，抽取比例\(ParameterValue.basisPoints($0.ratioBasisPoints))，抽取\($0.quota)家"
    }
    let letter = Notice.Letter(
      title: "\(Registry.placeName(s.jurisdiction))\(s.period.year)年第\(["一", "二", "三", "四"][s.period.quarter - 1])季度"
        + "“双随机、一公开”抽查结果公示",
      paragraphs: [
        """
        按照“双随机、一公开”监管要求，本机关于\(s.drawnOn.chinese)从\(Registry.placeName(s.jurisdiction))\
        \(s.pool.count)家检查对象中随机抽取检查对象，并为每家随机匹配\(s.inspectorsPerFirm)名执法人员。\
        纳入监督执法正面清单的企业以非现场方式监管，不纳入抽取范围；守法记录良好的企业按减半比例抽取\
        （环厅〔2020〕27号 五(四)）。
        """,
        "各类别抽取情况：" + (quotas.isEmpty ? "无" : quotas.joined(separator: "；")) + "。",
        """
        本次抽取使用随机种子\(s.seed)（抽取编号\(draw.id)），抽取方法及检查对象名单已存档，任何人均可据此复核。\
        抽取结果公示如下（名单见附件）。
        """,
        "特此公告。",
      ])
    return Notice(
      title: "双随机抽查结果公示", letters: [letter], issuer: issuer, issuedOn: s.drawnOn,
      tableTitle: "附件：\(s.period)抽查对象及执法人员名单（抽取编号\(draw.id)）",
      headers: ["序号", "单位名称", "统一社会信用代码", "所在地", "类别", "执法人员"], rows: rows)
  }

  /// 重污染天气应急减排清单 as a city files it (HW output (a)): counts and measures by grade and by
  /// industry, then one row per firm with its measure at each level.
  public func weatherPlanNotice(regionPrefix: String, on day: Day, issuer: String) throws -> Notice {
    var rows: [[Value]] = []
    var byGrade: [String: (count: Int, measures: String)] = [:]
    var byIndustry: [String: (count: Int, mandatory: Int)] = [:]
    var guarantee = 0, exempt = 0
    try weatherPlan(regionPrefix: regionPrefix, on: day) { row in
      let line = row.line
      let grade = line.weatherClass == .key ? (line.grade?.label ?? "") : "一般企业"
      let measures = AlertLevel.allCases.map { line.measures[$0]?.text ?? "" }
      if byGrade[grade] == nil { byGrade[grade] = (0, measures.joined(separator: "／")) }
      byGrade[grade]?.count += 1
      let division = String(row.firm.industryCode.prefix(2))
      let name = Industries.bundled.lookup(division)?.name ?? division
      byIndustry["\(division) \(name)", default: (0, 0)].count += 1
      if line.measures[.orange]?.isMandatory == true {
        byIndustry["\(division) \(name)", default: (0, 0)].mandatory += 1
      }
      if line.guarantee { guarantee += 1 }
      if line.exempt { exempt += 1 }
      rows.append(
        [
          .int(rows.count + 1), .text(row.firm.name), .text(row.firm.creditCode.value),
          .text(Divisions.bundled.fullName(of: row.firm.regionCode)),
          .text("\(row.firm.industryCode) \(Industries.bundled.lookup(row.firm.industryCode)?.name ?? "")"),
          .text(line.weatherClass.label), .text(line.grade?.label ?? ""), .text(line.guarantee ? "是" : "否"),
          .text(line.exempt ? "是" : "否"),
        ] + measures.map(Value.text))
    }
    let place = Registry.placeName(regionPrefix)
    let grades = byGrade.sorted { $0.key < $1.key }.map { "\($0.key)\($0.value.count)家（黄／橙／红：\($0.value.measures)）" }
    let industries = byIndustry.sorted {
      $0.value.count > $1.value.count || ($0.value.count == $1.value.count && $0.key < $1.key)
    }
    .prefix(10).map { "\($0.key)\($0.value.count)家（橙色预警须减排\($0.value.mandatory)家）" }
    let letter = Notice.Letter(
      title: "\(place)\(day.year)年重污染天气应急减排清单",
      paragraphs: [
        """
        根据《关于加强重污染天气应对夯实应急减排措施的指导意见》（环办大气函〔2019〕648号）和《重污染天气重点行业\
        应急减排措施制定技术指南（2020年修订版）》（环办大气函〔2020〕340号），按照“应纳尽纳”原则，截至\(day.chinese)，\
        \(place)纳入应急减排清单的企业共\(rows.count)家，其中保障类企业\(guarantee)家，监督执法正面清单企业\(exempt)家\
        （按环厅〔2020〕27号 二(二) 可不采取或少采取减排措施）。
        """,
        "按绩效分级：" + (grades.isEmpty ? "无" : grades.joined(separator: "；")) + "。",
        "按行业（前10位）：" + (industries.isEmpty ? "无" : industries.joined(separator: "；")) + "。",
        "各企业在黄色、橙色、红色预警期间的减排措施见附件。",
      ])
    return Notice(
      title: "重污染天气应急减排清单", letters: [letter], issuer: issuer, issuedOn: day,
      tableTitle: "附件：\(place)\(day.year)年重污染天气应急减排清单",
      headers: ["序号", "企业名称", "统一社会信用代码", "所在地", "行业", "清单类别", "绩效分级", "保障类", "正面清单", "黄色预警", "橙色预警", "红色预警"],
      rows: rows)
  }

  /// One of the three ledgers as a bureau keeps it (重大项目环评审批服务台账, EA-2 and the report of
  /// §11): a cover with the summary, and a row per project with both clocks.
  public func projectLedgerNotice(ledger: MajorLedger?, regionPrefix: String?, asOf: Day, issuer: String) throws
    -> Notice
  {
    let book = try projects(regionPrefix: regionPrefix, ledger: ledger, asOf: asOf)
    let place = Registry.placeName(regionPrefix)
    let name = "\(ledger?.label ?? "建设项目")环评审批服务台账"
    func day(_ d: Day?) -> Value { d.map { .text($0.description) } ?? .text("") }
    func count(_ n: Int?) -> Value { n.map { .int($0) } ?? .text("") }
    let rows: [[Value]] = book.rows.enumerated().map { index, view in
      let p = view.project, s = view.status
      let state: String
      switch s.isOverdue {
      case .some(true): state = "超期"
      case .some(false): state = s.decision == nil ? "办理中" : "按时办结"
      case .none: state = "无法判定"
      }
      return [
        .int(index + 1), .text(p.name), .text(p.builderName), .text(Divisions.bundled.fullName(of: p.regionCode)),
        .text("\(p.industryCode) \(Industries.bundled.lookup(p.industryCode)?.name ?? "")"),
        p.investmentFen.map { .text(ProjectInput.wan($0)) } ?? .text(""), .text(s.type?.label ?? "未知"),
        .text(p.route.label), .text(s.stage.label), day(s.accepted), count(s.statutory?.limit),
        count(s.statutory?.used),
        count(s.promised?.limit), count(s.promised?.used), count(s.statutory?.overdue), count(s.promised?.overdue),
        .text(state),
      ]
    }
    let average = book.averageDays.map { Render.formatDecimal($0, places: 1) } ?? "—"
    let letter = Notice.Letter(
      title: "\(place)\(name)",
      paragraphs: [
        """
        按照《关于在疫情防控常态化前提下积极服务落实“六保”任务坚决打赢打好污染防治攻坚战的意见》（环厅〔2020〕27号）\
        二(一)“动态更新国家、地方和利用外资层面重大项目环评审批服务‘三本台账’，提前介入，开辟绿色通道，提高审批效率”的要求，\
        截至\(asOf.chinese)，\(place)\(name)共列\(book.rows.count)个项目。
        """,
        """
        其中已批复\(book.approved.count)个（在法定和承诺时限内办结\(book.approvedInTime)个），超期\(book.overdue)个；\
        已批复项目平均用时\(average)日（法定时限计，不含技术评估、专家评审和听证时间）。
        """,
        "法定时限：报告书60日、报告表30日（环境影响评价法第二十二条），自受理次日起算；承诺时限以工作日计，按本地规定。",
      ])
    return Notice(
      title: name, letters: [letter], issuer: issuer, issuedOn: asOf, tableTitle: "附件：\(place)\(name)",
      headers: [
        "序号", "项目名称", "建设单位", "所在地", "行业", "总投资（万元）", "文件类型", "审批方式", "所处阶段", "受理日期", "法定时限（日）",
        "已用天数", "承诺时限（工作日）", "已用工作日", "超期天数", "超期工作日", "状态",
      ],
      rows: rows)
  }

  static func obligationName(_ label: String) -> String {
    if label.hasPrefix("instalment ") { return "第\(label.dropFirst("instalment ".count))期分期罚款" }
    return "罚款"
  }

  /// A region prefix as its place name (`42` 湖北省), or 本辖区 for the whole registry.
  static func placeName(_ prefix: String?) -> String {
    guard let prefix, !prefix.isEmpty else { return "本辖区" }
    return Divisions.bundled.fullName(of: prefix + String(repeating: "0", count: max(0, 6 - prefix.count)))
  }
}
