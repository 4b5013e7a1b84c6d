#!/usr/bin/env python3
"""Writes config/rules/ordinance-2024.yaml from the ordinance table as data.

    scripts/ordinance-rules-from-csv.py ORDINANCE_CSV > config/rules/ordinance-2024.yaml

The CSV has one row per (item, provider) of the table of 第二条 of 令和六年デジタル庁・総務省令第九号,
with the 2015 別表第二 item each item continues (columns ordinance_item, legacy_2015_item,
inquirer, affair_summary, provider, information). It was made by hand from the law text as
amended to 2025-04-01 (ledmonster/japanese-law doc/506/506M60004008009_20250401_507M60004008003.html).

Cells become the rule table's names the way config/rules/beppyo2-2015.yaml writes them:
a cell that lists bodies or information with 、/又は/若しくは becomes a list; a qualifier in
（…） is dropped from the name (the affair keeps the whole text); the bodies "…に規定する
他の法令による給付の支給を行うこととされている者" are the class 他法給付実施者 and their information
他法給付関係情報, as in the 2015 table. A fragment that does not end in 情報 is part of the
next one ("母子父子寡婦福祉法による給付金、障害児福祉手当…の支給に関する情報" is one cell).
"""

import csv
import re
import sys

# Inquirer and provider cells whose words are not a plain list of bodies: what they name.
BODIES = {
    "公営住宅法第二条第十六号に規定する事業主体である都道府県知事又は市町村長": ["都道府県知事", "市町村長"],
    "住宅地区改良法第二条第二項に規定する施行者である都道府県知事又は市町村長": ["都道府県知事", "市町村長"],
    "特定優良賃貸住宅の供給の促進に関する法律第十八条第二項に規定する賃貸住宅の建設及び管理を行う都道府県知事又は市町村長": ["都道府県知事", "市町村長"],
    "地域優良賃貸住宅制度要綱第二条第九号・第十六号に規定する地域優良賃貸住宅（公共供給型）等の供給を行う都道府県知事又は市町村長": ["都道府県知事", "市町村長"],
    "都道府県知事又は保健所を設置する市（特別区を含む。）の長": ["都道府県知事", "保健所を設置する市の長"],
    "平成八年法律第八十二号附則第三十二条第二項に規定する存続組合又は同法附則第四十八条第一項に規定する指定基金": ["存続組合", "指定基金"],
    "公的給付の支給等の迅速かつ確実な実施のための預貯金口座の登録等に関する法律第十条に規定する特定公的給付の支給を実施する行政機関の長等": ["特定公的給付の支給を実施する行政機関の長等"],
    "通訳案内士法第五十四条第三項の同意を得た市町村又は都道府県の長": ["通訳案内士法の同意を得た市町村又は都道府県の長"],
    "都道府県知事又は国家戦略特別区域法第十二条の五第十二項に規定する試験実施指定都市の長": ["都道府県知事", "試験実施指定都市の長"],
}
OTHER_LAW_PAYER = re.compile(r"(行うこととされている者|支給することとされている者)$")
OTHER_LAW_INFORMATION = re.compile(r"^同(条|項)に規定する")


def top_level_split(text, separators):
    """Splits at the separators that are not inside （…）."""
    parts, depth, current, i = [], 0, "", 0
    while i < len(text):
        ch = text[i]
        if ch == "（":
            depth += 1
        elif ch == "）":
            depth -= 1
        if depth == 0:
            hit = next((s for s in separators if text.startswith(s, i)), None)
            if hit:
                parts.append((current, hit))
                current, i = "", i + len(hit)
                continue
        current += ch
        i += 1
    parts.append((current, ""))
    return parts


def without_qualifier(name):
    return re.sub(r"（[^（）]*(（[^（）]*）[^（）]*)*）$", "", name).strip()


def bodies(cell):
    if cell in BODIES:
        return BODIES[cell]
    if OTHER_LAW_PAYER.search(cell):
        return ["他法給付実施者"]
    return [without_qualifier(part) for part, _ in top_level_split(cell, ["、", "又は", "若しくは"])]


def information(cell, provider_cell):
    if OTHER_LAW_INFORMATION.search(cell):
        return ["他法給付関係情報"]
    if OTHER_LAW_PAYER.search(provider_cell):
        return ["他法給付関係情報"]
    names, pending = [], ""
    for part, separator in top_level_split(cell, ["、", "又は"]):
        pending += part
        if without_qualifier(pending).endswith("情報") or not separator:
            names.append(without_qualifier(pending))
            pending = ""
        else:
            pending += separator
    return names


def affair(summary):
    return re.sub(r"（第[^（）]*条）$", "", summary)


def quoted(text):
    return "'" + text.replace("'", "''") + "'"


def main(path):
    rows = list(csv.DictReader(open(path, encoding="utf-8")))
    items = {}
    for row in rows:
        number = row["ordinance_item"]
        item = items.setdefault(
            number,
            {
                "inquirers": bodies(row["inquirer"]),
                "affair": affair(row["affair_summary"]),
                "continues": [c.rstrip("?").replace("の", "-") for c in row["legacy_2015_item"].split(";") if c],
                "uncertain": "?" in row["legacy_2015_item"],
                "provisions": [],
            },
        )
        item["provisions"].append((bodies(row["provider"]), information(row["information"], row["provider"])))

    out = sys.stdout
    out.write(open(sys.argv[0].replace("ordinance-rules-from-csv.py", "ordinance-rules-header.yaml"), encoding="utf-8").read())
    out.write("items:\n")
    for number in sorted(items, key=int):
        item = items[number]
        out.write(f"- item: '{number}'\n")
        if item["continues"]:
            note = "  # continuation uncertain" if item["uncertain"] else ""
            out.write(f"  continues: [{', '.join(quoted(c) for c in item['continues'])}]{note}\n")
        out.write(f"  inquirers: [{', '.join(item['inquirers'])}]\n")
        out.write(f"  affair: {quoted(item['affair'])}\n")
        out.write("  provisions:\n")
        for providers, info in item["provisions"]:
            out.write(f"  - providers: [{', '.join(quoted(p) for p in providers)}]\n")
            out.write(f"    information: [{', '.join(quoted(i) for i in info)}]\n")


if __name__ == "__main__":
    main(sys.argv[1])
