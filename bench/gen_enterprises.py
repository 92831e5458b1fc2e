#!/usr/bin/env python3
"""Synthetic but valid enterprises for benchmarks: python3 bench/gen_enterprises.py N > firms.csv

Every row passes envreg's validation: credit codes carry computed check characters (GB 32100) and
unique organisation codes, regions are real GB/T 2260 counties, industries real GB/T 4754 classes.
Deterministic for a given N.
"""
import csv
import os
import random
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [pow(3, i, 31) for i in range(17)]


def org_check(body8):
    weights = [3, 7, 9, 10, 5, 8, 4, 2]
    check = 11 - sum(int(c) * w for c, w in zip(body8, weights)) % 11
    return "X" if check == 10 else "0" if check == 11 else str(check)


def main():
    count = int(sys.argv[1])
    rng = random.Random(count)
    with open(os.path.join(ROOT, "Sources/RegistryCore/Embedded/gbt2260-divisions.csv"), encoding="utf-8") as f:
        counties = [r["code"] for r in csv.DictReader(f) if r["level"] == "county"]
    with open(os.path.join(ROOT, "Sources/RegistryCore/Embedded/gbt4754-2017-industries.csv"), encoding="utf-8") as f:
        classes = [r["code"] for r in csv.DictReader(f) if r["level"] == "class"]
    words = ["化工", "钢铁", "纸业", "电子", "制药", "食品", "热电", "水泥", "陶瓷", "环保", "纺织", "机械"]
    brands = ["恒达", "华兴", "金桥", "鑫源", "宏图", "瑞丰", "东方", "天成", "新能", "中科", "博远", "永盛"]
    classes_ = ["key", "simplified", "registration", "none"]
    out = sys.stdout
    out.write("credit_code,name,region_code,industry_code,process,fuel,address,legal_rep,contact,key_discharge_unit,"
              "permit_class,online_monitoring,grade,credit_rating,facility_type,near_yangtze,registered_on\n")
    for n in range(count):
        region = counties[n % len(counties)]
        org = f"{n:08d}"
        org += org_check(org)
        body = "91" + region + org
        total = sum(ALPHABET.index(c) * w for c, w in zip(body, WEIGHTS))
        code = body + ALPHABET[(31 - total % 31) % 31]
        out.write(",".join([
            code, f"{rng.choice(brands)}{rng.choice(words)}{n}有限公司", region, rng.choice(classes),
            "other", rng.choice(["coal", "gas", "electric", "none"]), f"工业园{n % 997}号", "张三", "13800000000",
            rng.choice(["yes", "no"]), rng.choice(classes_), rng.choice(["none", "installed", "networked"]),
            rng.choice(["A", "B", "C", "D", "unrated"]), rng.choice(["green", "blue", "yellow", "red", "unrated"]),
            "none", "no", f"20{rng.randint(10, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        ]) + "\n")


if __name__ == "__main__":
    main()
