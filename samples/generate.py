#!/usr/bin/env python3
"""Writes the envreg sample data in samples/ (deterministic: the same files every run).

The firms are invented, but every code in them is real: credit codes carry computed GB 32100 check
characters (and GB 11714 organisation-code checks), regions are GB/T 2260 codes from the bundled
table, industries GB/T 4754-2017 classes. The set covers at least 12 provinces and every key region
of RULES §2, including the cities that moved between sets in 2023 (太原, 洛阳, 温州, 宣城, 韩城).

Run from the repository root:  python3 samples/generate.py
"""
import csv
import os
import random

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLES = os.path.join(ROOT, "samples")
DIVISIONS = os.path.join(ROOT, "Sources/RegistryCore/Embedded/gbt2260-divisions.csv")
INDUSTRIES = os.path.join(ROOT, "Sources/RegistryCore/Embedded/gbt4754-2017-industries.csv")

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def uscc_check(first17):
    total = sum(ALPHABET.index(c) * pow(3, i, 31) for i, c in enumerate(first17))
    return ALPHABET[(31 - total % 31) % 31]


def org_check(body8):
    weights = [3, 7, 9, 10, 5, 8, 4, 2]
    total = sum((int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(body8, weights))
    check = 11 - total % 11
    return "X" if check == 10 else "0" if check == 11 else str(check)


def make_code(rng, division):
    letters = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    while True:
        body = "MA" + "".join(rng.choice(letters) for _ in range(6))
        org = body + org_check(body)
        first17 = "91" + division + org
        if all(c in ALPHABET for c in first17):
            return first17 + uscc_check(first17)


divisions = {r["code"]: r for r in csv.DictReader(open(DIVISIONS, encoding="utf-8"))}
industries = {r["code"]: r for r in csv.DictReader(open(INDUSTRIES, encoding="utf-8"))}


def counties(prefecture):
    found = sorted(c for c, r in divisions.items() if r["parent_code"] == prefecture and r["level"] == "county")
    return found or [prefecture]


# (prefecture or county, short name used in firm names); key regions first.
PLACES = [
    ("110100", "北京"), ("120100", "天津"), ("130100", "石家庄"), ("130200", "唐山"), ("130600", "保定"),
    ("140100", "太原"), ("140700", "晋中"), ("370100", "济南"), ("370800", "济宁"), ("410100", "郑州"),
    ("410300", "洛阳"), ("411200", "三门峡"),
    ("310100", "上海"), ("320500", "苏州"), ("320200", "无锡"), ("330100", "杭州"), ("330300", "温州"),
    ("340100", "合肥"), ("341800", "宣城"),
    ("610100", "西安"), ("610400", "咸阳"), ("610403", "杨凌"), ("610581", "韩城"),
    ("420100", "武汉"), ("420500", "宜昌"), ("440100", "广州"), ("440300", "深圳"), ("510100", "成都"),
    ("350100", "福州"), ("500100", "重庆"), ("430100", "长沙"), ("210100", "沈阳"), ("450100", "南宁"),
    ("530100", "昆明"),
]
YANGTZE_PROVINCES = {"31", "32", "34", "42", "43", "50", "51"}

# industry code, name word, process, fuel, key unit, permit class, facility type, weight
PROFILES = [
    ("2614", "化工", "chemical-synthesis", "gas", True, "key", "none", 14),
    ("2651", "新材料", "chemical-synthesis", "gas", True, "key", "none", 6),
    ("2221", "纸业", "other", "coal", True, "key", "none", 6),
    ("3973", "微电子", "other", "electric", False, "simplified", "none", 10),
    ("3985", "电子材料", "other", "electric", False, "simplified", "none", 6),
    ("3562", "半导体装备", "other", "electric", False, "registration", "none", 3),
    ("2761", "生物制药", "fermentation", "gas", True, "key", "none", 5),
    ("2762", "生物科技", "other", "electric", False, "simplified", "none", 5),
    ("2720", "药业", "chemical-synthesis", "gas", True, "key", "none", 4),
    ("2770", "医疗用品", "other", "electric", False, "registration", "none", 5),
    ("0313", "牧业", "other", "none", False, "simplified", "none", 8),
    ("0321", "禽业", "other", "none", False, "registration", "none", 4),
    ("0111", "农业", "other", "none", False, "registration", "none", 4),
    ("1311", "粮油", "other", "gas", False, "registration", "none", 5),
    ("1411", "食品", "other", "gas", False, "registration", "none", 5),
    ("4411", "热电", "other", "coal", True, "key", "none", 8),
    ("4412", "能源", "other", "gas", True, "key", "none", 4),
    ("4415", "风电", "other", "none", False, "registration", "none", 4),
    ("4416", "光伏电力", "other", "none", False, "registration", "none", 4),
    ("4414", "核电", "other", "none", True, "key", "none", 1),
    ("4511", "燃气", "other", "gas", False, "simplified", "none", 4),
    ("3120", "钢铁", "other", "coal", True, "key", "none", 10),
    ("3011", "水泥", "other", "coal", True, "key", "none", 6),
    ("3071", "陶瓷", "other", "gas", True, "key", "none", 4),
    ("3360", "表面处理", "other", "electric", True, "key", "none", 4),
    ("7724", "环保科技", "other", "other", True, "key", "hazardous-waste", 3),
    ("4620", "水务", "other", "electric", True, "key", "sewage-treatment", 4),
    ("7820", "环境能源", "other", "other", True, "key", "msw-incineration", 2),
    ("3670", "汽车部件", "other", "gas", False, "simplified", "none", 6),
    ("1713", "印染", "other", "coal", True, "key", "none", 3),
]
BRANDS = ["恒达", "华兴", "金桥", "鑫源", "宏图", "瑞丰", "东方", "天成", "新能", "中科", "博远", "永盛", "汇通",
          "正泰", "联创", "安泰", "嘉禾", "明阳", "卓越", "润丰", "国泰", "长兴", "德力", "海川", "远航", "蓝天",
          "青山", "绿源", "同创", "启明", "宝丰", "凯达", "盛世", "合力", "信达", "泰和"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
         "秀兰", "霞", "平", "刚", "桂英", "建华", "志强", "海燕", "国庆", "红梅", "卫东", "晓东"]
STREETS = ["工业大道", "经济开发区纬二路", "高新区科技路", "化工园区环园路", "临港大道", "新城路", "滨江路", "产业园一路"]

HEADER = ["credit_code", "name", "region_code", "industry_code", "process", "fuel", "address", "legal_rep", "contact",
          "key_discharge_unit", "permit_class", "online_monitoring", "grade", "credit_rating", "facility_type",
          "near_yangtze", "registered_on"]
CHINESE_HEADER = ["统一社会信用代码", "企业名称", "行政区划代码", "行业代码", "生产工艺", "燃料类型", "生产经营场所地址",
                  "法定代表人", "联系方式", "重点排污单位", "排污许可管理类别", "在线监测", "绩效分级", "环境信用评价",
                  "设施类型", "长江干支流1公里内", "登记日期"]

# Hand-made firms the README and the demo refer to (the first two are RULES §1's worked examples).
FIXED = [
    dict(credit_code="91350100M000100Y43", name="福州闽江电子材料有限公司", region_code="350102", industry_code="3985",
         process="other", fuel="electric", address="福州市鼓楼区软件大道89号", legal_rep="林志远", contact="0591-87650001",
         key_discharge_unit="no", permit_class="simplified", online_monitoring="networked", grade="A",
         credit_rating="green", facility_type="none", near_yangtze="no", registered_on="2019-05-20"),
    dict(credit_code="91130200699229617X", name="唐山冀东钢铁有限公司", region_code="130203", industry_code="3120",
         process="other", fuel="coal", address="唐山市路北区钢城路1号", legal_rep="赵国强", contact="0315-2880001",
         key_discharge_unit="yes", permit_class="key", online_monitoring="networked", grade="B",
         credit_rating="blue", facility_type="none", near_yangtze="no", registered_on="2018-03-12"),
    # Demo roles: a member that lapses (penalty in 2026), an ineligible riverside chemical plant, a supplier.
    dict(credit_code=None, name="苏州芯源微电子有限公司", region_code="320505", industry_code="3973",
         process="other", fuel="electric", address="苏州市虎丘区科技城锦峰路8号", legal_rep="周明轩", contact="0512-66000001",
         key_discharge_unit="no", permit_class="simplified", online_monitoring="networked", grade="unrated",
         credit_rating="green", facility_type="none", near_yangtze="no", registered_on="2019-09-01"),
    dict(credit_code=None, name="宜昌长江化工有限公司", region_code="420503", industry_code="2614",
         process="chemical-synthesis", fuel="gas", address="宜昌市伍家岗区沿江大道66号", legal_rep="刘建华", contact="0717-6000001",
         key_discharge_unit="yes", permit_class="key", online_monitoring="networked", grade="C",
         credit_rating="yellow", facility_type="none", near_yangtze="yes", registered_on="2018-06-15"),
    dict(credit_code=None, name="北京康健医疗用品有限公司", region_code="110115", industry_code="2770",
         process="other", fuel="electric", address="北京市大兴区生物医药基地天华大街9号", legal_rep="马丽", contact="010-69200001",
         key_discharge_unit="no", permit_class="registration", online_monitoring="installed", grade="unrated",
         credit_rating="blue", facility_type="none", near_yangtze="no", registered_on="2020-02-01"),
]


def enterprises(rng, count):
    rows = [dict(r) for r in FIXED]
    for row in rows:
        if row["credit_code"] is None:
            row["credit_code"] = make_code(rng, row["region_code"])
    weights = [p[7] for p in PROFILES]
    used_names = {r["name"] for r in rows}
    for index in range(count - len(rows)):
        place, short = PLACES[index % len(PLACES)]
        county = rng.choice(counties(place)) if divisions[place]["level"] != "county" else place
        code, word, process, fuel, key_unit, permit_class, facility, _ = rng.choices(PROFILES, weights)[0]
        assert code in industries, code
        if code == "4411":
            fuel = rng.choice(["coal", "coal", "gas"])
        if code == "2761":
            process = rng.choice(["fermentation", "other"])
        while True:
            name = f"{short}{rng.choice(BRANDS)}{word}有限公司"
            if name not in used_names:
                used_names.add(name)
                break
        province = county[:2]
        near = "yes" if province in YANGTZE_PROVINCES and code in ("2614", "2651", "2221") and rng.random() < 0.5 else "no"
        monitoring = "networked" if key_unit and rng.random() < 0.85 else rng.choice(["none", "installed", "networked"])
        grade = rng.choice(["A", "B", "B", "C", "C", "D", "unrated"]) if code in ("3120", "3011", "3071", "2614", "4411") else "unrated"
        rating = rng.choices(["green", "blue", "yellow", "red", "unrated"], [3, 5, 1, 0.5, 2])[0]
        registered = f"{rng.choice([2018, 2019, 2020, 2021])}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        rows.append(dict(
            credit_code=make_code(rng, county if county[4:] != "00" else place),
            name=name, region_code=county, industry_code=code, process=process, fuel=fuel,
            address=f"{divisions[county]['name']}{rng.choice(STREETS)}{rng.randint(1, 300)}号",
            legal_rep=rng.choice(SURNAMES) + rng.choice(GIVEN), contact=f"1{rng.randint(3, 9)}{rng.randint(0, 999999999):09d}",
            key_discharge_unit="yes" if key_unit else "no", permit_class=permit_class, online_monitoring=monitoring,
            grade=grade, credit_rating=rating, facility_type=facility, near_yangtze=near, registered_on=registered))
    return rows


def by_kind(firms, industry, nth):
    """The nth generated firm in an industry (hand-made firms excluded), for sample facts."""
    found = [f for f in firms[len(FIXED):] if f["industry_code"] == industry]
    return found[nth]


def write(path, header, rows, encoding="utf-8", keys=HEADER):
    with open(path, "w", encoding=encoding, newline="") as f:
        out = csv.writer(f, lineterminator="\r\n")
        out.writerow(header)
        for row in rows:
            out.writerow([row[k] for k in keys])


AS_OF = "2026-11-29"  # the demo's date; the samples put deadlines around it


def day(text, offset=0):
    import datetime
    return (datetime.date.fromisoformat(text) + datetime.timedelta(days=offset)).isoformat()


def permits(rng, firms):
    """One current permit per firm under permit management; a spread of expiries around AS_OF."""
    rows = []
    for index, firm in enumerate(firms):
        if firm["permit_class"] == "none":
            continue
        cls = firm["permit_class"]
        # Expiry offsets (days from AS_OF): most far ahead, some inside 90 days, a few lapsed.
        bucket = index % 24
        if firm["credit_code"] in SPECIAL_PERMITS:
            offset, applied = SPECIAL_PERMITS[firm["credit_code"]]
        elif bucket == 0:
            offset, applied = rng.randint(1, 59), None            # renewal overdue (due 60 days before)
        elif bucket == 1:
            offset, applied = rng.randint(20, 85), rng.randint(65, 120)  # applied in time
        elif bucket in (2, 3):
            offset, applied = rng.randint(61, 90), None           # expiring, not yet due
        elif bucket == 4 and index % 48 == 4:
            offset, applied = -rng.randint(5, 40), None           # lapsed: art. 33
        else:
            offset, applied = rng.randint(120, 1500), None
        valid_to = day(AS_OF, offset)
        valid_from = day(valid_to, -5 * 365 + 1)
        row = dict(number=firm["credit_code"] + "001P", credit_code=firm["credit_code"], **{"class": cls},
                   issued_on=day(valid_from, -10), valid_from=valid_from, valid_to=valid_to,
                   renewal_applied_on=day(valid_to, -applied) if applied else "", deferred_until="", deferral_granted_on="", deferral_basis="",
                   deferral_approver="", supersedes="")
        rows.append(row)
    # Two epidemic-era permits deferred under PM-3 and later renewed: the history imports too.
    for firm in [f for f in firms if f["permit_class"] == "key"][3:5]:
        old = dict(number=firm["credit_code"] + "001A", credit_code=firm["credit_code"], **{"class": "key"},
                   issued_on="2017-12-20", valid_from="2018-01-01", valid_to="2022-12-31", renewal_applied_on="2022-10-15",
                   deferred_until="2023-06-30", deferral_granted_on="2022-11-20", deferral_basis="环厅〔2020〕27号 二(二)", deferral_approver="市生态环境局 审批科", supersedes="")
        rows.insert(0, old)
        for row in rows:
            if row["number"] == firm["credit_code"] + "001P":
                row["supersedes"] = old["number"]
    return rows


SPECIAL_PERMITS = {}


STAGES = ["under_construction_on", "completed_on", "stable_operation_on", "assessed_on", "verified_on"]
LIMITS = {  # (limit mg/m3, reference O2) per source and pollutant, as the bundled parameters hold them
    "steel-sintering": {"PM": (10, 16), "SO2": (35, 16), "NOx": (50, 16)},
    "steel-other": {"PM": (10, None), "SO2": (50, None), "NOx": (200, None)},
    "coal-boiler": {"PM": (10, 6), "SO2": (35, 6), "NOx": (50, 6)},
    "gas-boiler": {"NOx": (50, 3.5)},
    "cement-kiln": {"PM": (10, 10), "SO2": (35, 10), "NOx": (50, 10)},
    "ceramics-kiln": {"PM": (30, 18), "SO2": (50, 18), "NOx": (180, 18)},
}


def retrofits(rng, firms, fixed_tangshan):
    """Projects in every stage: steel, coal and gas boilers, cement and ceramics kilns."""
    rows, measures = [], []
    plans = []
    for f in firms:
        code = f["industry_code"]
        if code == "3120":
            plans.append((f, "1号烧结机", "steel-sintering", rng.choice([2.4, 3.6, 4.8]) * 1_000_000, "t/a"))
            plans.append((f, "轧钢加热炉", "steel-other", rng.choice([1.2, 2.0]) * 1_000_000, "t/a"))
        elif code == "4411" and f["fuel"] == "coal":
            plans.append((f, "1号燃煤锅炉", "coal-boiler", rng.choice([64, 65, 75, 130, 220]), "t/h"))
        elif code == "4412":
            plans.append((f, "燃气锅炉", "gas-boiler", rng.choice([10, 20, 35]), "t/h"))
        elif code == "3011":
            plans.append((f, "2号熟料生产线", "cement-kiln", rng.choice([1.5, 2.5]) * 1_000_000, "t/a"))
        elif code == "3071":
            plans.append((f, "辊道窑", "ceramics-kiln", 30_000_000, "t/a"))
    for index, (f, facility, source, capacity, unit) in enumerate(plans):
        start = day("2019-03-01", (index * 37) % 400)
        reached = 5 if f is fixed_tangshan and facility == "1号烧结机" else (index * 7) % 6  # 0 planned ... 5 verified
        if f is fixed_tangshan and facility == "轧钢加热炉":
            reached = 3
        row = dict(credit_code=f["credit_code"], facility=facility, source_type=source, capacity=f"{capacity:.0f}", capacity_unit=unit,
                   planned_start=start, planned_completion=day(start, 540), new_installation="", assessing_body="省环境监测中心")
        when = start
        for stage_index, column in enumerate(STAGES):
            when = day(when, [60, 300, 20, 45, 40][stage_index])
            row[column] = when if stage_index < reached else ""
        rows.append(row)
        if reached >= 4:  # assessed: measurements from the assessment
            for pollutant, (limit, o2) in LIMITS[source].items():
                # Stacks are measured at their own O2; the check converts to the limit's reference O2.
                measured_o2 = round(o2 + 1.5, 1) if o2 is not None else 12.0
                share = 1.12 if (index % 9 == 4 and pollutant == "NOx") else rng.uniform(0.55, 0.98)
                at_measured = limit * share * ((21 - measured_o2) / (21 - o2) if o2 is not None else 1)
                measures.append(dict(credit_code=f["credit_code"], facility=facility, pollutant=pollutant,
                                     concentration=f"{at_measured:.1f}", o2_percent=f"{measured_o2}",
                                     measured_on=row["assessed_on"], measured_by="省环境监测中心"))
    return rows, measures


PROBLEM_TYPES = ["治污设施", "排污许可", "超低排放改造", "VOCs治理", "固废危废", "在线监控", "环评手续", "资金困难"]
PROBLEMS = {
    "治污设施": "废气收集效率低，末端治理设施运行不稳定",
    "排污许可": "排污许可证载明事项与实际排放口不一致",
    "超低排放改造": "超低排放改造进度滞后于计划",
    "VOCs治理": "无组织排放收集不到位，活性炭未按期更换",
    "固废危废": "危险废物贮存场所标识不规范、台账不全",
    "在线监控": "在线监测数据传输不稳定，存在缺失时段",
    "环评手续": "扩建项目环评手续未办结",
    "资金困难": "受疫情影响，治污设施升级改造资金不足",
}
MEASURES = ["送政策", "送技术", "送方案", "结对帮扶", "送政策、送技术", "送方案、结对帮扶"]
SOURCES = ["疫情影响调查", "帮扶", "执法检查", "在线监控预警", "信访举报", "企业自报", "督察"]


def ledger(rng, firms):
    """Problems found at firms across provinces, as a survey and inspections would record them."""
    rows = []
    short_by_prefecture = {place[:4]: short for place, short in PLACES}
    for n, f in enumerate(firms[::6][:40]):
        kind = PROBLEM_TYPES[n % len(PROBLEM_TYPES)]
        found = day("2026-02-01", (n * 53) % 270)
        city = short_by_prefecture.get(f["region_code"][:4], divisions[f["region_code"][:2] + "0000"]["name"])
        rows.append(dict(credit_code=f["credit_code"], source=SOURCES[n % len(SOURCES)], problem_type=kind, description=PROBLEMS[kind],
                         found_on=found, **{"class": "立行立改" if n % 3 == 0 else "跟踪督办"}, measures=MEASURES[n % len(MEASURES)],
                         responsible_unit=f"{city}市生态环境局", responsible_person=rng.choice(SURNAMES) + rng.choice(GIVEN),
                         due_on=day(found, 30 if n % 3 == 0 else 90 + (n % 4) * 30)))
    return rows


def main():
    rng = random.Random(20200603)
    firms = enterprises(rng, 240)
    write(os.path.join(SAMPLES, "enterprises.csv"), HEADER, firms)
    by_name = {f["name"]: f for f in firms}
    chip, river, medical = by_name["苏州芯源微电子有限公司"], by_name["宜昌长江化工有限公司"], by_name["北京康健医疗用品有限公司"]
    fuzhou, tangshan = firms[0], firms[1]
    SPECIAL_PERMITS.update({fuzhou["credit_code"]: (700, None), chip["credit_code"]: (900, None),
                            tangshan["credit_code"]: (45, None), river["credit_code"]: (75, 70)})
    permit_rows = permits(rng, firms)
    permit_header = ["number", "credit_code", "class", "issued_on", "valid_from", "valid_to", "renewal_applied_on",
                     "deferred_until", "deferral_granted_on", "deferral_basis", "deferral_approver", "supersedes"]
    write(os.path.join(SAMPLES, "permits.csv"), permit_header, permit_rows, keys=permit_header)

    designations = [
        (medical, "epidemic-supplier", "北京市新冠肺炎疫情防控工作领导小组", "2020-02-15", "", "京防控〔2020〕21号"),
        (by_kind(firms, "2770", 1), "epidemic-supplier", "省疫情防控指挥部", "2020-02-20", "2020-12-31", "疫指〔2020〕8号"),
        (by_kind(firms, "3670", 0), "key-component", "省工业和信息化厅", "2020-07-01", "", "工信〔2020〕45号"),
        (by_kind(firms, "3670", 1), "key-component", "省工业和信息化厅", "2020-07-01", "", "工信〔2020〕45号"),
        (by_kind(firms, "2651", 0), "special-material", "省工业和信息化厅", "2020-08-10", "", "工信〔2020〕52号"),
        (by_kind(firms, "4412", 0), "major-project", "省发展和改革委员会", "2020-04-01", "", "发改投资〔2020〕112号"),
        (by_kind(firms, "1411", 0), "low-pollution-high-employment", "市生态环境局", "2020-03-20", "", "市环〔2020〕17号"),
        (by_kind(firms, "3360", 0), "sensitive-area", "市生态环境局", "2019-01-01", "", "生态保护红线"),
    ]
    write(os.path.join(SAMPLES, "designations.csv"), ["credit_code", "kind", "granted_by", "valid_from", "valid_until", "reference"],
          [dict(credit_code=f["credit_code"], kind=k, granted_by=g, valid_from=a, valid_until=b, reference=r) for f, k, g, a, b, r in designations],
          keys=["credit_code", "kind", "granted_by", "valid_from", "valid_until", "reference"])

    incidents = [
        (river, "emergency", "2025-09-10", "宜环应急〔2025〕4号", "储罐泄漏，启动Ⅲ级响应"),
        (by_kind(firms, "2221", 0), "crime", "2024-05-20", "刑案〔2024〕33号", "非法排放有毒物质"),
        (by_kind(firms, "1713", 0), "serious-violation", "2025-12-01", "环罚〔2025〕201号", "篡改监测数据"),
    ]
    write(os.path.join(SAMPLES, "incidents.csv"), ["credit_code", "kind", "occurred_on", "reference", "note"],
          [dict(credit_code=f["credit_code"], kind=k, occurred_on=o, reference=r, note=n) for f, k, o, r, n in incidents],
          keys=["credit_code", "kind", "occurred_on", "reference", "note"])

    fines = [
        # RULES §6's worked example, never paid: the surcharge is capped at the fine.
        (tangshan, "冀唐环罚〔2021〕12号", "100000.00", "2021-07-30", "2021-08-02", "大气污染防治法 第九十九条", "", ""),
        # The demo member's penalty: it no longer qualifies after this.
        (chip, "苏环罚〔2026〕35号", "50000.00", "2026-03-15", "2026-03-18", "水污染防治法 第八十三条", "50000.00", "2026-03-30"),
        # Unpaid and overdue on the demo date (received 2026-11-02, due 2026-11-17).
        (river, "宜环罚〔2026〕88号", "200000.00", "2026-10-28", "2026-11-02", "水污染防治法 第八十三条", "", ""),
        # Due soon, not yet overdue.
        (by_kind(firms, "3011", 0), "环罚〔2026〕140号", "80000.00", "2026-11-20", "2026-11-23", "大气污染防治法 第一百零八条", "", ""),
        (by_kind(firms, "1713", 0), "环罚〔2025〕201号", "300000.00", "2025-12-01", "2025-12-05", "环境保护法 第六十三条", "300000.00", "2025-12-18"),
        (by_kind(firms, "3120", 1), "环罚〔2026〕77号", "120000.00", "2026-06-10", "2026-06-12", "大气污染防治法 第九十九条", "120000.00", "2026-06-20"),
    ]
    retrofit_rows, measure_rows = retrofits(rng, firms, tangshan)
    retrofit_header = ["credit_code", "facility", "source_type", "capacity", "capacity_unit", "planned_start", "planned_completion",
                       "new_installation", "assessing_body"] + STAGES
    write(os.path.join(SAMPLES, "retrofits.csv"), retrofit_header, retrofit_rows, keys=retrofit_header)
    measure_header = ["credit_code", "facility", "pollutant", "concentration", "o2_percent", "measured_on", "measured_by"]
    write(os.path.join(SAMPLES, "measurements.csv"), measure_header, measure_rows, keys=measure_header)

    ledger_header = ["credit_code", "source", "problem_type", "description", "found_on", "class", "measures", "responsible_unit", "responsible_person", "due_on"]
    write(os.path.join(SAMPLES, "ledger.csv"), ledger_header, ledger(rng, firms), keys=ledger_header)

    fine_header = ["decision_number", "credit_code", "amount_yuan", "decided_on", "received_on", "legal_basis", "paid_yuan", "paid_on"]
    write(os.path.join(SAMPLES, "fines.csv"), fine_header,
          [dict(zip(fine_header, [d, f["credit_code"], a, dd, r, b, p, po])) for f, d, a, dd, r, b, p, po in fines], keys=fine_header)
    # The same first 30 firms as Chinese Excel saves them: Chinese headers, GB18030.
    write(os.path.join(SAMPLES, "enterprises-gb18030.csv"), CHINESE_HEADER, firms[:30], encoding="gb18030")

    good = dict(firms[5])
    good["credit_code"] = make_code(rng, "420102")
    good["name"] = "武汉正常样例有限公司"
    wrong_check = dict(firms[6], credit_code=firms[6]["credit_code"][:17] + ("3" if firms[6]["credit_code"][17] != "3" else "4"), name="校验位错误有限公司")
    unknown_industry = dict(firms[7], credit_code=make_code(rng, "420102"), industry_code="2699", name="行业代码错误有限公司")
    bad_date = dict(firms[8], credit_code=make_code(rng, "420102"), registered_on="2021-02-30", name="日期错误有限公司")
    sql_code = dict(firms[9], credit_code="1'; DROP TABLE enterprise; --", name="注入测试有限公司")
    bad_class = dict(firms[10], credit_code=make_code(rng, "420102"), permit_class="重点监管", name="类别错误有限公司")
    bad_region = dict(firms[11], credit_code=make_code(rng, "420102"), region_code="999999", name="区划错误有限公司")
    bad_rows = [good, wrong_check, unknown_industry, bad_date, sql_code, bad_class, bad_region]
    path = os.path.join(SAMPLES, "enterprises-bad.csv")
    write(path, HEADER, bad_rows)
    with open(path, "a", encoding="utf-8", newline="") as f:
        # A broken CSV row: a stray quote inside an unquoted field, and too few fields.
        f.write('91420102MA4K00001X,武汉"半引号"有限公司,420102\r\n')


if __name__ == "__main__":
    main()
