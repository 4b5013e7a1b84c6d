#!/usr/bin/env python3
"""Writes a synthetic 一括照会 .DAT file: 苫小牧市 国保 (0101213100000000) asking 札幌市
(0101100200000000) for 地方税関係情報 (TM00000000000002) under 別表第二 item 42, for the
宛名番号 1000001 onwards. Each row is the 18 fixed-width columns of domain.md §6.3."""
import argparse

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("--rows", type=int, default=10000, help="rows to write (at most 10,000 per file)")
parser.add_argument("--people", type=int, default=600, help="how many 宛名番号 to cycle through")
args = parser.parse_args()

rows = []
for i in range(args.rows):
    address = str(1000001 + i % args.people).zfill(15)
    requested = "20261126%06d%03d" % (100000 + i // 1000, i % 1000)
    fields = ["01", address, " " * 15, requested, "3595115400".ljust(20), "user01".ljust(20), "0101213100000000", "0",
              "JM01000000121000", "JT90420000000001", " " * 16, " " * 16, "0101100200000000".ljust(16), "TM00000000000002",
              "0", "0", " " * 8, " " * 8]
    rows.append(",".join(fields))
print("\r\n".join(rows), end="\r\n")
