/// The national default parameters of RULES §3-7, with their effective dates and references.
/// Values marked (local) in the rule book are defaults that a province overrides with
/// `envreg policy set`. Nothing in the rules reads these directly: they go through `PolicyBook`.
enum NationalDefaults {
  private static func d(_ text: String) -> Day { Day(text) ?? Day(ordinal: 0) }

  static let guidance13 = "环综合〔2020〕13号"
  static let guidance27 = "环厅〔2020〕27号 二(二)"
  /// The 27号 extension categories exist from the guidance's date.
  static let from27 = d("2020-06-03")
  static let from13 = d("2020-03-03")

  /// EX-C7 / EIA-C3: 01 种植业, 03 畜牧业, clean energy, nuclear.
  static let foodAndEnergy = [
    "01", "03", "4413", "4414", "4415", "4416", "4417", "4419", "3825", "4520", "2530", "4027", "4120",
  ]
  /// EX-C8 / EIA-C4: integrated circuits and related classes.
  static let chips = ["3973", "3972", "3976", "3985", "3562"]
  /// EX-C8 / EIA-C4: biomedicine, admitted only when the process is neither fermentation nor chemical synthesis.
  static let biomedicine = ["2761", "2762", "2720", "2770"]

  /// Keys with no national value that a province may set (their kind of value, for `policy set`).
  static let localOnly: [String: ParameterValue] = [
    "ul.ceramics-kiln.PM": .limit(milligrams: 0, oxygen: 18), "ul.ceramics-kiln.SO2": .limit(milligrams: 0, oxygen: 18),
    "ul.ceramics-kiln.NOx": .limit(milligrams: 0, oxygen: 18),
    // §11 EA-6, EA-7: the green channel's and 告知承诺制's promised limits and categories are local.
    "ea.promised_working_days.report": .integer(0), "ea.promised_working_days.form": .integer(0),
    "ea.commitment.industries": .codes([]), "ea.commitment.decision_working_days": .integer(0),
    "ea.commitment.check_days": .integer(0),
  ]

  static let all: [PolicyParameter] =
    [
      // §3 inspection-exemption list: categories (how each is established) and when each exists.
      .init(
        key: "ex.c1.designations", from: from13, value: .codes(["epidemic-supplier"]), reference: "EX-C1; \(guidance13)"
      ),
      .init(
        key: "ex.c2.industries", from: from13, value: .codes(["031", "032", "13", "14", "44", "45"]),
        reference: "EX-C2; \(guidance13)"),
      .init(
        key: "ex.c2.excluded_fuels", from: from13, value: .codes(["coal"]),
        reference: "EX-C2 (44 excluding coal-fired); \(guidance13)"),
      .init(
        key: "ex.c3.designations", from: from13, value: .codes(["low-pollution-high-employment"]),
        reference: "EX-C3; \(guidance13)"),
      .init(
        key: "ex.c4.designations", from: from13, value: .codes(["major-project"]), reference: "EX-C4; \(guidance13)"),
      .init(key: "ex.c5.designations", from: from13, value: .codes(["key-sector"]), reference: "EX-C5; \(guidance13)"),
      .init(key: "ex.c6.monitoring", from: from13, value: .codes(["networked"]), reference: "EX-C6; \(guidance13)"),
      .init(key: "ex.c7.industries", from: from27, value: .codes(foodAndEnergy), reference: "EX-C7; \(guidance27)"),
      .init(key: "ex.c8.industries", from: from27, value: .codes(chips), reference: "EX-C8; \(guidance27)"),
      .init(
        key: "ex.c8.biomedicine", from: from27, value: .codes(biomedicine),
        reference: "EX-C8 (发酵、化学合成工艺除外); \(guidance27)"),
      .init(
        key: "ex.c8.designations", from: from27, value: .codes(["key-component", "special-material"]),
        reference: "EX-C8; \(guidance27)"),
      // §3 conditions, exclusions, membership.
      .init(key: "ex.k1.years", from: from13, value: .integer(1), reference: "EX-K1 (local); 13号 practice (Chongqing)"),
      .init(key: "ex.k2.years", from: from13, value: .integer(2), reference: "EX-K2 (local); 鄂环发〔2020〕19号"),
      .init(
        key: "ex.k5.ratings", from: from13, value: .codes(["yellow", "red"]), reference: "EX-K5; local credit schemes"),
      .init(
        key: "ex.x1.facility_types", from: from13,
        value: .codes(["msw-incineration", "hazardous-waste", "medical-waste", "sewage-treatment", "park-wastewater"]),
        reference: "EX-X1; 鄂环发〔2020〕19号"),
      .init(key: "ex.x1.industries", from: from13, value: .codes(["7724", "4620"]), reference: "EX-X1; 鄂环发〔2020〕19号"),
      .init(key: "ex.x2.industries", from: from13, value: .codes(["26", "22"]), reference: "EX-X2; 鄂环发〔2020〕19号"),
      .init(key: "ex.x3.years", from: from13, value: .integer(3), reference: "EX-X3; 鄂环发〔2020〕19号"),
      .init(key: "ex.membership.years", from: from13, value: .integer(3), reference: "RULES §3 membership (local)"),
      .init(key: "ex.reentry_bar.years", from: from13, value: .integer(3), reference: "RULES §3 membership (local)"),
      // §4 EIA green channel.
      .init(
        key: "eia.c1.designations", from: d("2020-02-10"),
        value: .codes(["epidemic-eia-project", "epidemic-supplier"]), reference: "EIA-C1; MEE emergency EIA service"),
      .init(
        key: "eia.c2.designations", from: from13, value: .codes(["major-project"]), reference: "EIA-C2; \(guidance13)"),
      .init(key: "eia.c3.industries", from: from27, value: .codes(foodAndEnergy), reference: "EIA-C3; \(guidance27)"),
      .init(key: "eia.c4.industries", from: from27, value: .codes(chips), reference: "EIA-C4; \(guidance27)"),
      .init(
        key: "eia.c4.biomedicine", from: from27, value: .codes(biomedicine),
        reference: "EIA-C4 (process rule as EX-C8); \(guidance27)"),
      .init(
        key: "eia.c4.designations", from: from27, value: .codes(["key-component", "special-material"]),
        reference: "EIA-C4; \(guidance27)"),
      .init(
        key: "eia.x1.designations", from: from13, value: .codes(["sensitive-area"]),
        reference: "EIA-X1; 告知承诺 exclusions"),
      .init(
        key: "eia.x1.electroplating", from: from13, value: .codes(["3360"]),
        reference: "EIA-X1 (3360 with plating process); 告知承诺 exclusions"),
      .init(key: "eia.membership.years", from: from13, value: .integer(3), reference: "RULES §4 green channel (local)"),
      .init(key: "eia.reentry_bar.years", from: from13, value: .integer(3), reference: "RULES §3 membership (local)"),
      // §5 permits.
      .init(
        key: "pm.renewal_lead.days", from: d("2000-01-01"), to: d("2021-02-28"), value: .integer(30),
        reference: "PM-2; 行政许可法 art. 50"),
      .init(
        key: "pm.renewal_lead.days", from: d("2021-03-01"), value: .integer(60), reference: "PM-2; 排污许可管理条例 art. 14"),
      .init(
        key: "pm.epidemic_window.start", from: d("2020-06-03"), value: .day(d("2020-01-20")),
        reference: "PM-3; \(guidance27)"),
      .init(
        key: "pm.epidemic_window.end", from: d("2020-06-03"), value: .day(d("2023-01-07")),
        reference: "PM-3; \(guidance27)"),
      .init(
        key: "rg.renewal_window.days", from: d("2000-01-01"), value: .integer(20),
        reference: "RG-1; 环办环评函〔2020〕9号 (排污登记: 有效期届满前20日内延续)"),
      .init(
        key: "pm.change_filing.days", from: d("2021-03-01"), value: .integer(30), reference: "PM-6; 排污许可管理条例 art. 14"),
      // §6 fines.
      .init(
        key: "fn.due.days", from: d("2000-01-01"), value: .integer(15),
        reference: "FN-1; 行政处罚法 (2021) art. 67, (2017) art. 46"),
      .init(
        key: "fn.max_deferral.months", from: d("2000-01-01"), value: .integer(6),
        reference: "FN-2 (local); 行政处罚法 (2021) art. 66"),
      .init(
        key: "fn.pending_application_suspends", from: d("2000-01-01"), value: .integer(0),
        reference: "FN-2a (local switch, 0 off, 1 on); 行政处罚法 art. 66 ¶2"),
      .init(
        key: "fn.surcharge.rate", from: d("2000-01-01"), value: .basisPoints(300),
        reference: "FN-3; 行政处罚法 (2021) art. 72, (2017) art. 51"),
    ] + ultraLow + draw + weather + approvals

  /// §11 the approval clock (EA-3, EA-4): the statutory limits (calendar days, UNCONFIRMED) and the
  /// working days a 补正 notice may take.
  static let approvals: [PolicyParameter] = [
    .init(
      key: "ea.statutory_days.report", from: d("2003-09-01"), value: .integer(60),
      reference: "EA-4; 环境影响评价法 art. 22"),
    .init(
      key: "ea.statutory_days.form", from: d("2003-09-01"), value: .integer(30),
      reference: "EA-4; 环境影响评价法 art. 22"),
    .init(
      key: "ea.correction.working_days", from: d("2004-07-01"), value: .integer(5),
      reference: "EA-3; 行政许可法 art. 32(4)"),
  ]

  /// §10 the heavy-pollution-weather list (HW-2, HW-4, HW-5, HW-8). All (local): the rule book
  /// gives principles, not national figures. Key industries: GB/T 4754 prefixes standing for the
  /// 39 industries of 340号 (their exact names UNCONFIRMED); reductions per grade and level: A and
  /// 引领性 自主减排, B fewer than C, D most (停产 at red); general firms 多排多减.
  static let doc340 = "环办大气函〔2020〕340号"
  static let weatherFrom = d("2020-07-01")
  static let weather: [PolicyParameter] =
    [
      .init(
        key: "hw.key_industries", from: weatherFrom,
        value: .codes([
          "31", "252", "3012", "339", "3216", "3091", "3211", "3212", "326", "3011", "3031", "307", "308", "304",
          "3033", "251", "2614", "27", "263", "264", "231", "202", "2925", "291", "195", "21", "361", "351", "1713",
          "28",
        ]),
        reference: "HW-2 (local; the 39 industries of 340号, names UNCONFIRMED); \(doc340)"),
      .init(
        key: "hw.member_measure", from: from27, value: .codes(["lighter"]),
        reference: "HW-8 (local: none, lighter or asGraded); 环厅〔2020〕27号 二(二)"),
    ]
    + zip(AlertLevel.allCases, [1000, 2000, 3000]).map { level, basisPoints in
      PolicyParameter(
        key: "hw.region_check.\(level.rawValue)", from: weatherFrom, value: .basisPoints(basisPoints),
        reference: "HW-6; national requirement (Tianjin plan)")
    }
    + [
      ("A", [0, 0, 0]), ("leading", [0, 0, 0]), ("B", [1000, 2000, 3000]), ("C", [2000, 3000, 5000]),
      ("D", [3000, 5000, 10_000]), ("general", [1000, 2000, 3000]),
    ].flatMap { grade, ratios in
      zip(AlertLevel.allCases, ratios).map { level, basisPoints in
        PolicyParameter(
          key: "hw.reduction.\(grade).\(level.rawValue)", from: weatherFrom, value: .basisPoints(basisPoints),
          reference: grade == "general" ? "HW-5 (local); 环办大气函〔2019〕648号" : "HW-4 (local); \(doc340)")
      }
    }

  /// §9 the 双随机 draw (RD-2, RD-4): ratios per quarter and stratum, a minimum per group, the
  /// clean-record window of 27号 五(四) (from its date: no halving before), inspectors per firm.
  static let guidance58 = "国办发〔2015〕58号"
  static let draw: [PolicyParameter] = [
    .init(
      key: "rd.ratio.key", from: d("2015-08-05"), value: .basisPoints(2500),
      reference: "RD-2 (local, per quarter); \(guidance58)"),
    .init(
      key: "rd.ratio.simplified", from: d("2015-08-05"), value: .basisPoints(1000),
      reference: "RD-2 (local, per quarter); \(guidance58)"),
    .init(
      key: "rd.ratio.general", from: d("2015-08-05"), value: .basisPoints(500),
      reference: "RD-2 (local, per quarter); \(guidance58)"),
    .init(key: "rd.minimum", from: d("2015-08-05"), value: .integer(1), reference: "RD-2 (local); \(guidance58)"),
    .init(
      key: "rd.clean_record.years", from: from27, value: .integer(2),
      reference: "RD-2; 环厅〔2020〕27号 五(四)"),
    .init(key: "rd.inspectors_per_firm", from: d("2015-08-05"), value: .integer(2), reference: "RD-4; \(guidance58)"),
  ]

  // §7 ultra-low limits (mg/m³ at the reference O₂ where one is set) and obligations.
  static let steel35 = "环大气〔2019〕35号"
  static let plan22 = "国发〔2018〕22号"
  static let ultraLow: [PolicyParameter] = [
    // UL-1: sintering head and pelletising at 16% reference O₂ (the research notes mark 16% UNCONFIRMED).
    .init(
      key: "ul.steel-sintering.PM", from: d("2019-04-28"), value: .limit(milligrams: 10, oxygen: 16),
      reference: "UL-1; \(steel35)"),
    .init(
      key: "ul.steel-sintering.SO2", from: d("2019-04-28"), value: .limit(milligrams: 35, oxygen: 16),
      reference: "UL-1; \(steel35)"),
    .init(
      key: "ul.steel-sintering.NOx", from: d("2019-04-28"), value: .limit(milligrams: 50, oxygen: 16),
      reference: "UL-1; \(steel35)"),
    .init(
      key: "ul.steel-pelletising.PM", from: d("2019-04-28"), value: .limit(milligrams: 10, oxygen: 16),
      reference: "UL-1; \(steel35)"),
    .init(
      key: "ul.steel-pelletising.SO2", from: d("2019-04-28"), value: .limit(milligrams: 35, oxygen: 16),
      reference: "UL-1; \(steel35)"),
    .init(
      key: "ul.steel-pelletising.NOx", from: d("2019-04-28"), value: .limit(milligrams: 50, oxygen: 16),
      reference: "UL-1; \(steel35)"),
    // UL-2: other organised steel sources (no reference O₂: compared as measured).
    .init(
      key: "ul.steel-other.PM", from: d("2019-04-28"), value: .limit(milligrams: 10, oxygen: nil),
      reference: "UL-2; \(steel35)"),
    .init(
      key: "ul.steel-other.SO2", from: d("2019-04-28"), value: .limit(milligrams: 50, oxygen: nil),
      reference: "UL-2; \(steel35)"),
    .init(
      key: "ul.steel-other.NOx", from: d("2019-04-28"), value: .limit(milligrams: 200, oxygen: nil),
      reference: "UL-2; \(steel35)"),
    // UL-3: coal-fired boilers at the coal-power ultra-low level, 6% O₂.
    .init(
      key: "ul.coal-boiler.PM", from: d("2018-07-03"), value: .limit(milligrams: 10, oxygen: 6),
      reference: "UL-3; \(plan22)"),
    .init(
      key: "ul.coal-boiler.SO2", from: d("2018-07-03"), value: .limit(milligrams: 35, oxygen: 6),
      reference: "UL-3; \(plan22)"),
    .init(
      key: "ul.coal-boiler.NOx", from: d("2018-07-03"), value: .limit(milligrams: 50, oxygen: 6),
      reference: "UL-3; \(plan22)"),
    // UL-4: gas boilers, low-NOx, 3.5% O₂ (GB 13271); Beijing DB11/139-2015: new 30, in use 80.
    .init(
      key: "ul.gas-boiler.new.NOx", from: d("2018-07-03"), value: .limit(milligrams: 50, oxygen: 3.5),
      reference: "UL-4; \(plan22)"),
    .init(
      key: "ul.gas-boiler.in-use.NOx", from: d("2018-07-03"), value: .limit(milligrams: 50, oxygen: 3.5),
      reference: "UL-4; \(plan22)"),
    .init(
      key: "ul.gas-boiler.new.NOx", jurisdiction: .region("11"), from: d("2017-04-01"),
      value: .limit(milligrams: 30, oxygen: 3.5), reference: "UL-4; DB11/139-2015"),
    .init(
      key: "ul.gas-boiler.in-use.NOx", jurisdiction: .region("11"), from: d("2017-04-01"),
      value: .limit(milligrams: 80, oxygen: 3.5), reference: "UL-4; DB11/139-2015"),
    // UL-5: cement kilns from 2024-01-01, 10% O₂.
    .init(
      key: "ul.cement-kiln.PM", from: d("2024-01-01"), value: .limit(milligrams: 10, oxygen: 10),
      reference: "UL-5; cement ultra-low opinion (2024)"),
    .init(
      key: "ul.cement-kiln.SO2", from: d("2024-01-01"), value: .limit(milligrams: 35, oxygen: 10),
      reference: "UL-5; cement ultra-low opinion (2024)"),
    .init(
      key: "ul.cement-kiln.NOx", from: d("2024-01-01"), value: .limit(milligrams: 50, oxygen: 10),
      reference: "UL-5; cement ultra-low opinion (2024)"),
    // UL-6: ceramics: no national limit; a province loads one with `policy set ul.ceramics-kiln.NOx ...`.
    // Obligations UL-O1..O3.
    .init(
      key: "ul.o1.min_capacity_th", from: d("2018-07-03"), value: .integer(65), reference: "UL-O1; 27号 三(一); \(plan22)"),
    .init(
      key: "ul.o1.deadline", from: d("2018-07-03"), value: .day(d("2020-12-31")),
      reference: "UL-O1; 27号 三(一); \(plan22)"),
    .init(
      key: "ul.o2.deadline", from: d("2018-07-03"), value: .day(d("2020-12-31")),
      reference: "UL-O2; 27号 三(一); \(plan22)"),
    .init(key: "ul.o3.deadline", from: d("2019-04-28"), value: .day(d("2025-12-31")), reference: "UL-O3; \(steel35)"),
    .init(
      key: "ul.o3.target_2020", from: d("2019-04-28"), value: .basisPoints(6000),
      reference: "UL-O3 (60% of capacity by 2020-12-31); \(steel35)"),
  ]
}
