import RegistryCore

/// The imports of every kind but enterprises, written once for every storage: each reads its cells
/// through `ColumnMap`/`CellReader`, checks them with the same core rules as the single-record
/// commands, and reads and writes through the storage's transaction (`StorageTransaction`). One
/// transaction per file with its audit row: all or nothing, or the bad rows to the reject file.
public enum RecordImports {
  /// Imports `source` as `kind` (not `.enterprises`: each engine stages those its own way).
  public static func run(
    _ kind: ImportKind, on storage: any RegistryStorage, _ source: any RecordSource, rejects: (any RejectSink)?,
    options: ImportOptions
  ) throws -> ImportReport {
    let policy = try storage.policyBook()
    let make: (any StorageTransaction, Int64, ImportOptions, PolicyBook) -> SimpleRowHandler
    switch kind {
    case .enterprises: throw RegistryError.database("enterprises are imported by the storage's staged import")
    case .designations: make = designations
    case .incidents: make = incidents
    case .permits: make = permits
    case .fines: make = fines
    case .ledger: make = ledger
    case .retrofits: make = retrofits
    case .measurements: make = measurements
    case .projects: make = projects
    case .approvalEvents: make = approvalEvents
    }
    do {
      return try storage.write { tx in
        var report = ImportReport()
        report.encoding = source.encodingName
        let auditID = try tx.audit(
          action: kind.importAction, entityType: "import", entityKey: source.name, before: nil,
          after: .record(Fields([("status", .text("running"))])))
        report.auditID = Int(auditID)
        var handler = make(tx, auditID, options, policy)
        try ImportRows.read(source, handler: &handler, rejects: rejects, options: options, into: &report)
        try tx.completeAudit(id: auditID, after: .record(report.record))
        // The reject file is whole before the import commits; on any error it never appears.
        try rejects?.commit()
        return report
      }
    } catch {
      rejects?.abandon()
      throw error
    }
  }

  /// The registered firm a row names, when the importing account may write it; else a problem
  /// naming the code. A code whose only error is its check character names a firm only when that
  /// firm was registered by an ID-7 override.
  static func firm(_ tx: any StorageTransaction, _ code: CreditCode, reader: inout CellReader, options: ImportOptions)
    throws -> Enterprise?
  {
    var found = try tx.enterprise(code)
    if let reason = reader.pendingCodeProblem {
      reader.pendingCodeProblem = nil
      if found?.codeOverride == nil {
        found = nil
        reader.problem("credit_code", code.value, reason)
      }
    } else if found == nil {
      reader.problem(
        "credit_code", code.value, "no enterprise with this credit code is registered; import the enterprise first")
    }
    guard let found else { return nil }
    if let refusal = options.refusal(region: found.regionCode) {
      reader.problem("credit_code", code.value, refusal)
      return nil
    }
    return found
  }

  /// Imports designations: credit_code, kind, granted_by, valid_from, valid_until, reference.
  /// A row identical to a recorded designation (firm, kind, start) is left alone.
  static func designations(_ tx: any StorageTransaction, auditID: Int64, options: ImportOptions, policy: PolicyBook)
    -> SimpleRowHandler
  {
    SimpleRowHandler(columns: [
      ImportColumn(key: "credit_code", chinese: "统一社会信用代码", required: true),
      ImportColumn(key: "kind", chinese: "认定类别", required: true),
      ImportColumn(key: "granted_by", chinese: "认定单位", required: true),
      ImportColumn(key: "valid_from", chinese: "起始日期", required: true),
      ImportColumn(key: "valid_until", chinese: "截止日期"), ImportColumn(key: "reference", chinese: "文号"),
    ]) { cells, report in
      let code = cells.creditCode()
      let kind: DesignationKind? = cells.vocabulary("kind", required: true)
      let grantedBy = cells.text("granted_by", required: true)
      let from = cells.day("valid_from", required: true)
      let until = cells.day("valid_until")
      guard cells.problems.isEmpty, let code, let kind, let grantedBy, let from else { return }
      let designation = DesignationFact(kind: kind, grantedBy: grantedBy, validFrom: from, validUntil: until)
      if let problem = designation.periodProblem(field: "valid_until") {
        cells.problems.append(problem.description)
        return
      }
      guard try firm(tx, code, reader: &cells, options: options) != nil else { return }
      if try tx.hasDesignation(code, kind: kind, from: from) {
        report.unchanged += 1
        return
      }
      try tx.insertDesignation(code, designation, reference: cells.text("reference") ?? "", auditID: auditID)
      report.inserted += 1
    }
  }

  /// Imports incidents: credit_code, kind, occurred_on, reference, note. Identical rows are left alone.
  static func incidents(_ tx: any StorageTransaction, auditID: Int64, options: ImportOptions, policy: PolicyBook)
    -> SimpleRowHandler
  {
    SimpleRowHandler(columns: [
      ImportColumn(key: "credit_code", chinese: "统一社会信用代码", required: true),
      ImportColumn(key: "kind", chinese: "类型", required: true),
      ImportColumn(key: "occurred_on", chinese: "发生日期", required: true),
      ImportColumn(key: "reference", chinese: "文号"),
      ImportColumn(key: "note", chinese: "备注"),
    ]) { cells, report in
      let code = cells.creditCode()
      let kind: IncidentKind? = cells.vocabulary("kind", required: true)
      let on = cells.day("occurred_on", required: true)
      guard cells.problems.isEmpty, let code, let kind, let on,
        try firm(tx, code, reader: &cells, options: options) != nil
      else { return }
      let reference = cells.text("reference") ?? ""
      if try tx.hasIncident(code, kind: kind, on: on, reference: reference) {
        report.unchanged += 1
        return
      }
      try tx.insertIncident(
        code, IncidentFact(kind: kind, occurredOn: on, reference: reference), note: cells.text("note") ?? "",
        auditID: auditID)
      report.inserted += 1
    }
  }

  /// Imports fines: decision_number, credit_code, amount_yuan, decided_on, received_on, legal_basis,
  /// and optionally paid_yuan with paid_on (one payment). A decision already recorded is left alone.
  static func fines(_ tx: any StorageTransaction, auditID: Int64, options: ImportOptions, policy: PolicyBook)
    -> SimpleRowHandler
  {
    SimpleRowHandler(columns: [
      ImportColumn(key: "decision_number", chinese: "处罚决定书文号", required: true),
      ImportColumn(key: "credit_code", chinese: "统一社会信用代码", required: true),
      ImportColumn(key: "amount_yuan", chinese: "罚款金额", required: true),
      ImportColumn(key: "decided_on", chinese: "决定日期", required: true),
      ImportColumn(key: "received_on", chinese: "送达日期", required: true),
      ImportColumn(key: "legal_basis", chinese: "处罚依据"),
      ImportColumn(key: "paid_yuan", chinese: "已缴金额"), ImportColumn(key: "paid_on", chinese: "缴款日期"),
    ]) { cells, report in
      let code = cells.creditCode()
      let decision = cells.text("decision_number", required: true)
      let amount = cells.money("amount_yuan", required: true)
      let decided = cells.day("decided_on", required: true), received = cells.day("received_on", required: true)
      let paid = cells.money("paid_yuan"), paidOn = cells.day("paid_on")
      if (paid == nil) != (paidOn == nil) {
        cells.problem("paid_on", paidOn?.description ?? "", "paid_yuan and paid_on go together")
      }
      if let paid, let amount, let problem = FineRules.initialPaymentProblem(paid: paid, amount: amount) {
        cells.problem("paid_yuan", paid.yuan, problem)
      }
      guard cells.problems.isEmpty, let code, let decision, let amount, let decided, let received else { return }
      let fine = Fine(
        decisionNumber: decision, amount: amount, decidedOn: decided, receivedOn: received,
        legalBasis: cells.text("legal_basis") ?? "")
      // The same checks as 'fine add' (ID-8, FN-1).
      let number: DecisionNumber
      do { number = try FineRules.checkNew(fine) } catch RegistryError.invalid(let problems) {
        cells.problems += problems.map(\.description)
        return
      }
      guard try firm(tx, code, reader: &cells, options: options) != nil else { return }
      if let existing = try tx.recordedDecision(key: number.key) {
        // The same row again is idempotent; another spelling of a recorded decision is refused.
        if existing == number.printed {
          report.unchanged += 1
        } else {
          cells.problem("decision_number", decision, FineRules.duplicateDecision(existing, key: number.key))
        }
        return
      }
      try tx.insertFine(
        Fine(
          decisionNumber: number.printed, amount: amount, decidedOn: decided, receivedOn: received,
          legalBasis: cells.text("legal_basis") ?? ""), debtor: code, auditID: auditID)
      if let paid, let paidOn {
        try tx.insertPayment(
          decision: number.printed, FinePayment(on: paidOn, amount: paid, reference: "import"), auditID: auditID)
      }
      report.inserted += 1
    }
  }

  /// Imports ledger items (an epidemic-impact survey, one row per problem): credit_code, source
  /// (default 疫情影响调查), problem_type, description, found_on, class, measures, responsible_unit,
  /// responsible_person, due_on. The same problem for the same firm found the same day is left alone.
  static func ledger(_ tx: any StorageTransaction, auditID: Int64, options: ImportOptions, policy: PolicyBook)
    -> SimpleRowHandler
  {
    SimpleRowHandler(columns: [
      ImportColumn(key: "credit_code", chinese: "统一社会信用代码", required: true),
      ImportColumn(key: "source", chinese: "问题来源"),
      ImportColumn(key: "problem_type", chinese: "问题类型", required: true),
      ImportColumn(key: "description", chinese: "问题描述", required: true),
      ImportColumn(key: "found_on", chinese: "发现日期", required: true),
      ImportColumn(key: "class", chinese: "问题分类", required: true),
      ImportColumn(key: "measures", chinese: "帮扶措施"),
      ImportColumn(key: "responsible_unit", chinese: "责任单位", required: true),
      ImportColumn(key: "responsible_person", chinese: "责任人", required: true),
      ImportColumn(key: "due_on", chinese: "整改时限", required: true),
    ]) { cells, report in
      let code = cells.creditCode()
      let source: LedgerSource? = cells.text("source") == nil ? .epidemicSurvey : cells.vocabulary("source")
      let type = cells.text("problem_type", required: true), description = cells.text("description", required: true)
      let found = cells.day("found_on", required: true), due = cells.day("due_on", required: true)
      let itemClass: LedgerClass? = cells.vocabulary("class", required: true)
      let unit = cells.text("responsible_unit", required: true),
        person = cells.text("responsible_person", required: true)
      guard cells.problems.isEmpty, let code, let source, let type, let description, let found, let due,
        let itemClass, let unit, let person,
        try firm(tx, code, reader: &cells, options: options) != nil
      else { return }
      let item = LedgerItem(
        id: 0, source: source, problemType: type, description: description, foundOn: found, itemClass: itemClass,
        measures: cells.text("measures") ?? "",
        responsibleUnit: unit, responsiblePerson: person, dueOn: due)
      let problems = LedgerRules.recordProblems(item)
      guard problems.isEmpty else { cells.problems += problems.map(\.description); return }
      if try tx.hasLedgerItem(code, foundOn: found, description: description) {
        report.unchanged += 1
        return
      }
      _ = try tx.insertLedgerItem(item, firm: code, auditID: auditID)
      report.inserted += 1
    }
  }

  /// Imports permits: number, credit_code, class, issued_on, valid_from, valid_to (blank: derived,
  /// PM-1), and optionally renewal_applied_on, deferred_until with deferral_basis and
  /// deferral_approver. A permit already recorded with the same dates is left alone.
  static func permits(_ tx: any StorageTransaction, auditID: Int64, options: ImportOptions, policy: PolicyBook)
    -> SimpleRowHandler
  {
    SimpleRowHandler(columns: [
      ImportColumn(key: "number", chinese: "许可证编号", required: true),
      ImportColumn(key: "credit_code", chinese: "统一社会信用代码", required: true),
      ImportColumn(key: "class", chinese: "管理类别", required: true),
      ImportColumn(key: "issued_on", chinese: "发证日期", required: true),
      ImportColumn(key: "valid_from", chinese: "有效期起", required: true),
      ImportColumn(key: "valid_to", chinese: "有效期至"),
      ImportColumn(key: "renewal_applied_on", chinese: "延续申请日期"), ImportColumn(key: "deferred_until", chinese: "延期至"),
      ImportColumn(key: "deferral_granted_on", chinese: "延期批准日期"),
      ImportColumn(key: "deferral_basis", chinese: "延期依据"), ImportColumn(key: "deferral_approver", chinese: "延期批准人"),
      ImportColumn(key: "supersedes", chinese: "延续自"),
    ]) { cells, report in
      let code = cells.creditCode()
      let rawNumber = cells.text("number", required: true)
      let permitClass: PermitClass? = cells.vocabulary("class", required: true)
      let issued = cells.day("issued_on", required: true), from = cells.day("valid_from", required: true)
      let to = cells.day("valid_to"), applied = cells.day("renewal_applied_on"),
        deferred = cells.day("deferred_until")
      let granted = cells.day("deferral_granted_on")
      guard cells.problems.isEmpty, let code, let rawNumber, let permitClass, let issued, let from else { return }
      let number: PermitNumber
      do { number = try PermitRules.number(rawNumber, holder: code) } catch RegistryError.invalid(
        let problems)
      {
        problems.forEach { cells.problems.append($0.description) }
        return
      }
      if permitClass == .none {
        cells.problem("class", "none", "a permit is key, simplified or registration"); return
      }
      let validTo =
        to
        ?? PermitRules.derivedValidTo(
          validFrom: from, issuedOn: issued, isRenewal: cells.text("supersedes") != nil, permitClass: permitClass)
      if let problem = PermitRules.termProblem(validFrom: from, validTo: validTo) {
        cells.problems.append(problem.description); return
      }
      guard let region = try firm(tx, code, reader: &cells, options: options)?.regionCode else { return }
      if try tx.hasPermit(number) {
        let existing = try tx.permit(number.value).permit
        if existing.validFrom == from && existing.validTo == validTo {
          report.unchanged += 1
        } else {
          cells.problem(
            "number", number.value, "is already recorded with other dates; a renewal is a new permit number")
        }
        return
      }
      var probe = Permit(
        number: number, permitClass: permitClass, issuedOn: issued, validFrom: from, validTo: validTo)
      if let deferred {
        let basis = cells.text("deferral_basis") ?? "", approver = cells.text("deferral_approver") ?? ""
        // The grant date is a fact of the record: never invented (PM-3).
        guard let granted else {
          cells.problem("deferral_granted_on", "", "a deferral needs the date it was granted (deferral_granted_on)");
          return
        }
        if granted < issued {
          cells.problem("deferral_granted_on", granted.description, "is before the permit was issued (\(issued))");
          return
        }
        // The same PM-3 check as 'permit defer' (PermitRules.checkEvent).
        let event = PermitEvent(
          kind: .deferralGranted, on: granted, until: deferred, basis: basis, approver: approver)
        do {
          try PermitRules.checkEvent(event, on: probe, region: region, evaluatedOn: options.asOf, policy: policy)
        } catch RegistryError.invalid(let problems) {
          problems.forEach { cells.problems.append($0.description) }
          return
        } catch RegistryError.refused(let reason) {
          cells.problem("deferred_until", deferred.description, reason)
          return
        }
        probe.events.append(event)
      }
      // The permit this one renews: same holder, not yet superseded, listed earlier in the file or
      // recorded before (checked before anything of the row is written).
      var renewed: String?
      if let old = cells.text("supersedes") {
        guard let held = try? tx.permit(old.uppercased()), held.holder == code, held.permit.supersededBy == nil else {
          cells.problem("supersedes", old, "is not an earlier, not yet renewed permit of the same holder")
          return
        }
        renewed = held.permit.number.value
      }
      try tx.insertPermit(
        number, holder: code, permitClass: permitClass, issuedOn: issued, validFrom: from, validTo: validTo,
        auditID: auditID)
      if let applied {
        try tx.appendPermitEvent(
          permit: number.value, PermitEvent(kind: .renewalApplied, on: applied), auditID: auditID)
      }
      if let renewed { try tx.markSuperseded(renewed, by: number, on: issued, auditID: auditID) }
      for event in probe.events { try tx.appendPermitEvent(permit: number.value, event, auditID: auditID) }
      report.inserted += 1
    }
  }

  /// Imports retrofits: credit_code, facility, source_type, capacity, capacity_unit, planned_start,
  /// planned_completion [, new_installation, assessing_body], and the stage dates reached
  /// (under_construction_on, completed_on, stable_operation_on, assessed_on, verified_on), checked
  /// as `advance` checks them. A project already recorded for the facility is left alone.
  static func retrofits(_ tx: any StorageTransaction, auditID: Int64, options: ImportOptions, policy: PolicyBook)
    -> SimpleRowHandler
  {
    let stageColumns: [(RetrofitStage, String, String)] = [
      (.underConstruction, "under_construction_on", "开工日期"), (.completed, "completed_on", "完工日期"),
      (.stableOperation, "stable_operation_on", "稳定运行日期"),
      (.assessed, "assessed_on", "评估日期"), (.verified, "verified_on", "核实日期"),
    ]
    return SimpleRowHandler(
      columns: [
        ImportColumn(key: "credit_code", chinese: "统一社会信用代码", required: true),
        ImportColumn(key: "facility", chinese: "设施名称", required: true),
        ImportColumn(key: "source_type", chinese: "源类型", required: true),
        ImportColumn(key: "capacity", chinese: "规模", required: true),
        ImportColumn(key: "capacity_unit", chinese: "规模单位", required: true),
        ImportColumn(key: "planned_start", chinese: "计划开工", required: true),
        ImportColumn(key: "planned_completion", chinese: "计划完成", required: true),
        ImportColumn(key: "new_installation", chinese: "新建"),
        ImportColumn(key: "assessing_body", chinese: "评估机构"),
      ] + stageColumns.map { ImportColumn(key: $0.1, chinese: $0.2) }
    ) { cells, report in
      let code = cells.creditCode()
      let facility = cells.text("facility", required: true)
      let source: SourceType? = cells.vocabulary("source_type", required: true)
      let capacity = cells.number("capacity", required: true)
      let unit = cells.text("capacity_unit", required: true)
      let start = cells.day("planned_start", required: true),
        completion = cells.day("planned_completion", required: true)
      let isNew = ["yes", "是", "1", "true"].contains(cells.text("new_installation")?.lowercased() ?? "")
      var moves: [(RetrofitStage, Day)] = []
      for (stage, key, _) in stageColumns { if let day = cells.day(key) { moves.append((stage, day)) } }
      guard cells.problems.isEmpty, let code, let facility, let source, let capacity, let unit, let start,
        let completion,
        try firm(tx, code, reader: &cells, options: options) != nil
      else { return }
      var retrofit = Retrofit(
        id: 0, facility: facility, sourceType: source, capacity: capacity, capacityUnit: unit, newInstallation: isNew,
        plannedStart: start, plannedCompletion: completion, assessingBody: cells.text("assessing_body") ?? "")
      if let problem = RetrofitRules.recordProblem(retrofit) { cells.problems.append(problem.description); return }
      if try tx.hasRetrofit(owner: code, facility: facility) {
        report.unchanged += 1
        return
      }
      for (stage, day) in moves {
        if let refusal = RetrofitRules.advanceRefusal(retrofit, to: stage, on: day) {
          cells.problem(stageColumns.first { $0.0 == stage }?.1 ?? stage.rawValue, day.description, refusal)
          return
        }
        retrofit.stages.append(StageEntry(stage: stage, on: day))
      }
      let id = try tx.insertRetrofit(retrofit, owner: code, auditID: auditID)
      for entry in retrofit.stages {
        try tx.insertStage(retrofitID: id, entry.stage, on: entry.on, note: "import", auditID: auditID)
      }
      report.inserted += 1
    }
  }

  /// Imports measurements: credit_code, facility, pollutant, concentration, o2_percent, measured_on, measured_by.
  static func measurements(_ tx: any StorageTransaction, auditID: Int64, options: ImportOptions, policy: PolicyBook)
    -> SimpleRowHandler
  {
    SimpleRowHandler(columns: [
      ImportColumn(key: "credit_code", chinese: "统一社会信用代码", required: true),
      ImportColumn(key: "facility", chinese: "设施名称", required: true),
      ImportColumn(key: "pollutant", chinese: "污染物", required: true),
      ImportColumn(key: "concentration", chinese: "浓度", required: true),
      ImportColumn(key: "o2_percent", chinese: "含氧量", required: true),
      ImportColumn(key: "measured_on", chinese: "监测日期", required: true),
      ImportColumn(key: "measured_by", chinese: "监测机构", required: true),
    ]) { cells, report in
      let code = cells.creditCode()
      let facility = cells.text("facility", required: true)
      let pollutant: Pollutant? = cells.vocabulary("pollutant", required: true)
      let concentration = cells.number("concentration", required: true),
        oxygen = cells.number("o2_percent", required: true)
      let on = cells.day("measured_on", required: true), by = cells.text("measured_by", required: true)
      if let oxygen, oxygen >= 21 { cells.problem("o2_percent", String(oxygen), "must be under 21") }
      guard cells.problems.isEmpty, let code, let facility, let pollutant, let concentration, let oxygen, let on,
        let by,
        try firm(tx, code, reader: &cells, options: options) != nil
      else { return }
      guard let id = try tx.retrofitID(owner: code, facility: facility) else {
        cells.problem(
          "facility", facility, "no retrofit of \(code.value) for this facility; import the retrofit first")
        return
      }
      if try tx.hasMeasurement(retrofitID: id, pollutant: pollutant, on: on, by: by) {
        report.unchanged += 1
        return
      }
      try tx.insertMeasurement(
        retrofitID: id,
        Measurement(
          pollutant: pollutant, concentration: concentration, oxygen: oxygen, measuredOn: on, measuredBy: by),
        auditID: auditID)
      report.inserted += 1
    }
  }
}

extension RecordImports {
  /// Imports projects (EA-1, EA-2): one new project a row, validated as `project add` validates
  /// it, with its ledger entry when the row names one. A number already registered is refused (a
  /// project changes by `project update`, a new version).
  static func projects(_ tx: any StorageTransaction, auditID: Int64, options: ImportOptions, policy: PolicyBook)
    -> SimpleRowHandler
  {
    SimpleRowHandler(columns: [
      ImportColumn(key: "project_no", chinese: "项目编号", required: true),
      ImportColumn(key: "name", chinese: "项目名称", required: true),
      ImportColumn(key: "builder", chinese: "建设单位统一社会信用代码", required: true),
      ImportColumn(key: "builder_name", chinese: "建设单位"), ImportColumn(key: "region", chinese: "所在地", required: true),
      ImportColumn(key: "industry", chinese: "行业", required: true),
      ImportColumn(key: "investment", chinese: "总投资（万元）"), ImportColumn(key: "items", chinese: "名录条目"),
      ImportColumn(key: "sensitive", chinese: "环境敏感区"), ImportColumn(key: "urgent", chinese: "疫情防控急需"),
      ImportColumn(key: "process", chinese: "生产工艺"), ImportColumn(key: "route", chinese: "审批方式"),
      ImportColumn(key: "contact", chinese: "联系人"), ImportColumn(key: "effective", chinese: "登记日期"),
      ImportColumn(key: "ledger", chinese: "所在台账"), ImportColumn(key: "ledger_reference", chinese: "列入依据"),
      ImportColumn(key: "ledger_from", chinese: "列入日期"),
    ]) { cells, report in
      var input = ProjectInput()
      input.number = cells.text("project_no", required: true)
      input.name = cells.text("name", required: true)
      input.builderCode = cells.text("builder", required: true)
      input.builderName = cells.text("builder_name")
      input.region = cells.text("region", required: true)
      input.industry = cells.text("industry", required: true)
      input.investment = cells.text("investment")
      input.items = cells.text("items").map {
        $0.split(whereSeparator: { $0 == " " || $0 == ";" || $0 == "；" || $0 == "、" }).map(String.init)
      }
      input.sensitive = cells.text("sensitive")
      input.urgent = cells.text("urgent")
      input.process = cells.text("process")
      input.route = cells.text("route")
      input.contact = cells.text("contact")
      input.effective = cells.text("effective")
      let ledger: MajorLedger? = cells.vocabulary("ledger")
      let reference = cells.text("ledger_reference"), from = cells.day("ledger_from")
      if ledger != nil, reference?.isEmpty ?? true {
        cells.problem("ledger_reference", "", "is required with a ledger")
      }
      guard cells.problems.isEmpty else { return }
      let project: Project
      switch input.resolve(onto: nil, asOf: options.asOf, builderNameOnFile: { (try? tx.enterprise($0))?.map(\.name) })
      {
      case .success(let resolved): project = resolved
      case .failure(.invalid(let problems)):
        cells.problems += problems.map(\.description)
        return
      case .failure(let error):
        cells.problems.append(error.description)
        return
      }
      if let refusal = options.refusal(region: project.regionCode) {
        cells.problem("region", project.regionCode, refusal)
        return
      }
      let listing = ledger.flatMap { ledger in
        reference.map { ProjectListing(ledger: ledger, reference: $0, from: from ?? project.effective) }
      }
      guard try ProjectRows.insertNew(project, listing: listing, auditID: auditID, in: tx) else {
        cells.problem(
          "project_no", project.number,
          "is already registered; change it with 'envreg project update \(project.number)'")
        return
      }
      report.inserted += 1
    }
  }
}

extension RecordImports {
  /// Imports approval events (EA-3..EA-7): project_no, event, on [, to, reference, note], each
  /// checked against the events recorded before it (the file's earlier rows too) as
  /// `project event` checks it. A row identical to a recorded event is left alone.
  static func approvalEvents(_ tx: any StorageTransaction, auditID: Int64, options: ImportOptions, policy: PolicyBook)
    -> SimpleRowHandler
  {
    SimpleRowHandler(columns: [
      ImportColumn(key: "project_no", chinese: "项目编号", required: true),
      ImportColumn(key: "event", chinese: "事项", required: true), ImportColumn(key: "on", chinese: "日期", required: true),
      ImportColumn(key: "to", chinese: "截止日期"), ImportColumn(key: "reference", chinese: "文号"),
      ImportColumn(key: "note", chinese: "备注"),
    ]) { cells, report in
      let number = cells.text("project_no", required: true)
      let kind: ApprovalEventKind? = cells.vocabulary("event", required: true)
      let on = cells.day("on", required: true), to = cells.day("to")
      guard cells.problems.isEmpty, let number, let kind, let on else { return }
      let event = ApprovalEvent(
        kind: kind, on: on, to: to, reference: cells.text("reference") ?? "", note: cells.text("note") ?? "")
      guard let project = try ProjectRows.load(regionPrefix: nil, number: number, tx.texts)[number]?.last else {
        cells.problem("project_no", number, "no project with this number is registered; import the project first")
        return
      }
      if let refusal = options.refusal(region: project.regionCode) {
        cells.problem("project_no", number, refusal)
        return
      }
      if project.events.contains(event) {
        report.unchanged += 1
        return
      }
      if let problem = ApprovalEvents.refusal(event, project: project, type: project.documentType, today: options.asOf)
      {
        cells.problems.append(problem.description)
        return
      }
      _ = try tx.texts(ProjectRows.insertEventSQL, ProjectRows.eventArguments(number, event, auditID: auditID))
      report.inserted += 1
    }
  }
}

extension ImportKind {
  /// The audit action of an import of this kind.
  var importAction: String {
    switch self {
    case .enterprises: "enterprise.import"
    case .designations: "designation.import"
    case .incidents: "incident.import"
    case .permits: "permit.import"
    case .fines: "fine.import"
    case .ledger: "ledger.import"
    case .retrofits: "retrofit.import"
    case .measurements: "measurement.import"
    case .projects: "project.import"
    case .approvalEvents: "project.event-import"
    }
  }
}
