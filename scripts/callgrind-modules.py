#!/usr/bin/env python3
"""Instructions by module from two callgrind profiles of `renkei load --requests`.

Usage: callgrind-modules.py SMALL.out N_SMALL LARGE.out N_LARGE

Each profile counts everything its process ran: start-up, the requests, shutdown. The
difference of the two divided by the difference of their request counts is what one more
request costs, with the fixed costs gone. Self cost (instructions executed in a function's
own code) is summed per module: by symbol within the renkei binary, by shared object
outside it.
"""

import collections
import re
import sys

# The release binary links NIO, BoringSSL, protobuf, GRDB and renkei together; its functions
# are told apart by their symbols (valgrind 3.19 cannot read Swift 6's DWARF 5, so the script
# profiles a copy without debug information). A Swift symbol names its module first.
BY_SWIFT_MODULE = [
    ("NIOSSL", "TLS (NIOSSL, BoringSSL)"),
    ("NIO", "NIO"),
    ("_NIO", "NIO"),
    ("SwiftProtobuf", "protobuf"),
    ("GRDB", "SQLite (GRDB, libsqlite3)"),
    ("Crypto", "crypto (swift-crypto, certificates)"),
    ("_Crypto", "crypto (swift-crypto, certificates)"),
    ("X509", "crypto (swift-crypto, certificates)"),
    ("SwiftASN1", "crypto (swift-crypto, certificates)"),
    ("Hummingbird", "HTTP (hummingbird)"),
    ("Renkei", "renkei"),
    ("renkei", "renkei"),
    ("Swift", "Swift standard library (specialised into renkei)"),
]
BY_C_PREFIX = [
    ("CNIOBoringSSL", "TLS (NIOSSL, BoringSSL)"),
    ("_ZN4bssl13CNIOBoringSSL", "TLS (NIOSSL, BoringSSL)"),
    ("_ZN4bssl16CCryptoBoringSSL", "crypto (swift-crypto, certificates)"),
    ("CCryptoBoringSSL", "crypto (swift-crypto, certificates)"),
    ("sqlite3", "SQLite (GRDB, libsqlite3)"),
    ("swift_", "Swift runtime (libswiftCore, concurrency, dispatch)"),
    ("c_nio", "NIO"),
    ("CNIO", "NIO"),
]
BY_OBJECT = [
    ("libsqlite3", "SQLite (GRDB, libsqlite3)"),
    ("libswiftCore", "Swift runtime (libswiftCore, concurrency, dispatch)"),
    ("libswift_Concurrency", "Swift runtime (libswiftCore, concurrency, dispatch)"),
    ("libdispatch", "Swift runtime (libswiftCore, concurrency, dispatch)"),
    ("libBlocksRuntime", "Swift runtime (libswiftCore, concurrency, dispatch)"),
    ("libswiftSynchronization", "Swift runtime (libswiftCore, concurrency, dispatch)"),
    ("libFoundation", "Foundation"),
    ("lib_FoundationICU", "Foundation"),
    ("libc.so", "libc (malloc, memcpy, syscalls)"),
    ("libc-", "libc (malloc, memcpy, syscalls)"),
    ("libm.so", "libc (malloc, memcpy, syscalls)"),
    ("ld-linux", "dynamic loader"),
    ("libssl", "system OpenSSL (time-stamps)"),
    ("libcrypto", "system OpenSSL (time-stamps)"),
    ("vgpreload", "valgrind's own"),
]

NAMED = re.compile(r"^\((\d+)\)(?: (.*))?$")


MODULE = re.compile(r"^\$s(\d+)")


def swift_module(symbol):
    """The module a mangled Swift symbol belongs to; Swift for the standard library's."""
    match = MODULE.match(symbol)
    if match:
        length = int(match.group(1))
        start = match.end()
        return symbol[start : start + length]
    if symbol.startswith("$sS") or symbol.startswith("$ss"):
        return "Swift"
    return None


def module(obj, function):
    base = obj.rsplit("/", 1)[-1]
    if base == "renkei":
        name = swift_module(function)
        if name is not None:
            for prefix, group in BY_SWIFT_MODULE:
                if name.startswith(prefix):
                    return group
            return "other packages"
        for prefix, group in BY_C_PREFIX:
            if function.startswith(prefix):
                return group
        # BoringSSL's assembly and static functions carry no prefix: both copies (NIOSSL's
        # and swift-crypto's) have them. P-256 (ECDSA permits, checkpoints, TLS), X25519 and
        # ML-KEM (TLS 1.3 key exchange), SHA-2, AES-GCM.
        if re.match(r"^_?_?(ecp_nistz256|_ZL\d+fe_|_ZN5mlkem|sha256_|sha512_|aes_hw|aesni_|gcm_|ChaCha20|bn_|x25519|_ZL\d+x25519)", function):
            return "BoringSSL primitives (P-256, X25519, ML-KEM, SHA-2, AES)"
        return "renkei binary, other C code"
    for marker, group in BY_OBJECT:
        if marker in obj:
            return group
    return "other: " + base


def profile(path):
    """Self Ir per module, and the total."""
    names = {"ob": {}, "fl": {}, "fn": {}}
    obj, function = "", ""
    after_call = False
    costs = collections.Counter()
    ir_column = None
    positions = 1

    def resolve(kind, text):
        # Callgrind compresses names: "(7) /path" defines 7, "(7)" refers to it.
        table = names["fl" if kind in ("fl", "fi", "fe") else kind]
        match = NAMED.match(text)
        if not match:
            return text
        number, name = match.groups()
        if name is not None:
            table[number] = name
        return table.get(number, text)

    with open(path, encoding="utf-8", errors="replace") as lines:
        for line in lines:
            line = line.rstrip("\n")
            if not line:
                continue
            if line.startswith("events:"):
                ir_column = line.split()[1:].index("Ir")
                continue
            if line.startswith("positions:"):
                positions = len(line.split()) - 1
                continue
            head = line[:3]
            if head in ("ob=", "fl=", "fi=", "fe=", "fn="):
                value = resolve(head[:2], line[3:])
                if head == "ob=":
                    obj = value
                elif head == "fn=":
                    function = value
                continue
            if line.startswith("calls="):
                after_call = True
                continue
            if line.startswith(("cob=", "cfi=", "cfl=", "cfn=")):
                # Names defined where a call is made are used later by number.
                resolve(line[1:3], line[4:])
                continue
            if line.startswith(("jump=", "jcnd=")):
                continue
            first = line[0]
            if first.isdigit() or first in "+-*":
                if after_call:
                    # The inclusive cost of a call: counted where it was spent, not here.
                    after_call = False
                    continue
                fields = line.split()
                events = fields[positions:]
                index = ir_column or 0
                if index < len(events):
                    costs[module(obj, function)] += int(events[index])
    return costs


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    small, small_n, large, large_n = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    if large_n <= small_n:
        sys.exit("the second profile must have more requests than the first")
    before, after = profile(small), profile(large)
    extra = large_n - small_n
    per = {name: (after[name] - before.get(name, 0)) / extra for name in set(after) | set(before)}
    total = sum(per.values())
    print(f"instructions per inquiry  {total:,.0f}  ({extra} requests: {large_n} less {small_n}, self cost by module)")
    for name, value in sorted(per.items(), key=lambda item: -item[1]):
        if abs(value) < total * 0.001:
            continue
        print(f"  {value:>12,.0f}  {100 * value / total:5.1f} %  {name}")


if __name__ == "__main__":
    main()
