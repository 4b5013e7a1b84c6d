#!/usr/bin/env python3
"""The counts the architecture review measures (issue 10), so they can be taken again.

    scripts/code-metrics.py            # the summary
    scripts/code-metrics.py --list     # and where each count comes from

Counts Sources/ only; the generated protobuf code is left out of every count.
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
SOURCES = ROOT / "Sources"
GENERATED = SOURCES / "RenkeiWire" / "Generated"

# Building an inquiry by hand: its question or the request that starts it, as the wire message (before issue 10)
# or as the domain value; the message definitions and their +Wire conversions are not counted.
INQUIRY_BUILDERS = re.compile(r"\b(Renkei_V1_)?(InquiryQuery|InquiryQuestion|AddresseeInquiryRequest|TenantInquiryRequest)\(\)")
# A decision about who the caller may be, written where a request is handled (outside AccessPolicy).
PERMISSION_CHECKS = re.compile(
    r"(peer|identity|caller)\.role\s*[=!]=|\.require\(\.|requireActing\(|requireHost\(|requireOwnSystem\(|requireOwnOrOperator\(|isAddressSystem\(of|allowed\.contains\("
)
# A handler asking the one AccessPolicy.
POLICY_CONSULTS = re.compile(r"\bpolicy\.(require|businessSystem|requireInquiry)\(")
FUNCTION = re.compile(r"^\s*(?:@\w+\s+)*(?:(?:public|package|private|fileprivate|internal|nonisolated|static|override|mutating|final|@inlinable)\s+)*(?:func|init)\b")


def swift_files():
    for path in sorted(SOURCES.rglob("*.swift")):
        if GENERATED in path.parents:
            continue
        yield path


def code_lines(path):
    """Lines with comments and string contents blanked, so braces and names in them do not count."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = re.sub(r'"(?:[^"\\]|\\.)*"', '""', line)
        line = line.split("//", 1)[0]
        out.append(line)
    return out


def long_functions(path, limit=60):
    lines = code_lines(path)
    found = []
    for start, line in enumerate(lines):
        if not FUNCTION.match(line):
            continue
        depth, opened, end = 0, False, None
        for index in range(start, len(lines)):
            for char in lines[index]:
                if char == "{":
                    depth += 1
                    opened = True
                elif char == "}":
                    depth -= 1
            if opened and depth <= 0:
                end = index
                break
            if not opened and index > start and lines[index].strip() == "":
                break  # a protocol requirement: no body
        if end is not None and end - start + 1 > limit:
            found.append((start + 1, end - start + 1, line.strip()[:90]))
    return found


def main():
    listing = "--list" in sys.argv
    wire_uses, builders, checks, consults, functions, files = [], [], [], [], [], []
    for path in swift_files():
        relative = path.relative_to(ROOT)
        text = path.read_text(encoding="utf-8")
        module = relative.parts[1]
        if module != "RenkeiWire":
            count = text.count("Renkei_V1_")
            if count:
                wire_uses.append((count, str(relative)))
        for number, line in enumerate(code_lines(path), 1):
            if INQUIRY_BUILDERS.search(line) and module != "RenkeiWire" and "Linkage" not in relative.parts:
                builders.append(f"{relative}:{number}")
            if PERMISSION_CHECKS.search(line) and "AccessPolicy" not in path.name:
                checks.append(f"{relative}:{number}")
            if POLICY_CONSULTS.search(line):
                consults.append(f"{relative}:{number}")
        for start, length, signature in long_functions(path):
            functions.append(f"{relative}:{start} ({length} lines) {signature}")
        length = len(text.splitlines())
        if length > 250:
            files.append(f"{relative} ({length} lines)")

    outside = [entry for entry in wire_uses if not entry[1].endswith("+Wire.swift")]
    print(f"Renkei_V1_ uses outside RenkeiWire: {sum(c for c, _ in wire_uses)} "
          f"({sum(c for c, _ in outside)} outside +Wire.swift files, in {len(outside)} files)")
    print(f"places that build an inquiry:        {len(builders)}")
    print(f"permission-check sites:              {len(checks)} (outside AccessPolicy; {len(consults)} requests ask the policy)")
    print(f"functions over 60 lines:             {len(functions)}")
    print(f"files over 250 lines:                {len(files)}")
    if listing:
        for title, entries in [
            ("Renkei_V1_ outside RenkeiWire", [f"{c:4} {p}" for c, p in sorted(wire_uses, reverse=True)]),
            ("inquiry builders", builders), ("permission checks", checks), ("long functions", functions), ("long files", files),
        ]:
            print(f"\n## {title}")
            for entry in entries:
                print(f"  {entry}")


if __name__ == "__main__":
    main()
