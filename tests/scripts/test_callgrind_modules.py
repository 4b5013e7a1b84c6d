"""scripts/callgrind-modules.py on small callgrind profiles written here: compressed names,
call costs left out of self cost, modules by Swift symbol and by shared object, and the
difference of two runs over the difference of their requests."""

import importlib.util
import pathlib
import subprocess
import sys

SCRIPT = pathlib.Path(__file__).resolve().parents[2] / "scripts" / "callgrind-modules.py"
spec = importlib.util.spec_from_file_location("callgrind_modules", SCRIPT)
modules = importlib.util.module_from_spec(spec)
spec.loader.exec_module(modules)


def profile(tmp_path, name, nio, sqlite, retain):
    text = f"""version: 1
creator: test
positions: line
events: Ir
ob=(1) /work/main/.build/callgrind/renkei
fl=(1) ???
fn=(1) $s7NIOCore10ByteBufferV5writeyyF
0 {nio}
cob=(2) /usr/lib/x86_64-linux-gnu/libsqlite3.so.0.8.6
cfi=(1)
cfn=(2) sqlite3VdbeExec
calls=1 0
0 999999
fn=(3) $s11RenkeiStore06SQLiteB0C5writeyyF
0 7
ob=(2)
fn=(2)
0 {sqlite}
ob=(3) /opt/swift/usr/lib/swift/linux/libswiftCore.so
fn=(4) swift_retain
0 {retain}
"""
    path = tmp_path / name
    path.write_text(text)
    return path


def test_self_cost_by_module_leaves_out_what_calls_cost(tmp_path):
    costs = modules.profile(profile(tmp_path, "a.out", nio=100, sqlite=50, retain=30))
    assert costs == {
        "NIO": 100,
        "SQLite (GRDB, libsqlite3)": 50,
        "renkei": 7,
        "Swift runtime (libswiftCore, concurrency, dispatch)": 30,
    }


def test_swift_symbols_name_their_module():
    assert modules.swift_module("$s11RenkeiStore06SQLiteB0C5writeyyF") == "RenkeiStore"
    assert modules.swift_module("$sSa6appendyyxnF") == "Swift"
    assert modules.swift_module("CNIOBoringSSL_SSL_read") is None
    renkei = "/x/.build/callgrind/renkei"
    assert modules.module(renkei, "CNIOBoringSSL_SSL_read") == "TLS (NIOSSL, BoringSSL)"
    assert modules.module(renkei, "__ecp_nistz256_mul_montq").startswith("BoringSSL primitives")
    assert modules.module("/usr/lib/libc.so.6", "malloc") == "libc (malloc, memcpy, syscalls)"


def test_per_inquiry_is_the_difference_over_the_extra_requests(tmp_path):
    small = profile(tmp_path, "small.out", nio=1_000, sqlite=500, retain=0)
    large = profile(tmp_path, "large.out", nio=3_000, sqlite=1_500, retain=600)
    out = subprocess.run(
        [sys.executable, str(SCRIPT), str(small), "100", str(large), "300"], check=True, capture_output=True, text=True
    ).stdout
    # (3,000 - 1,000 + 1,500 - 500 + 600) / 200 requests = 18 per inquiry.
    assert out.splitlines()[0].startswith("instructions per inquiry  18  (200 requests: 300 less 100")
    rows = [line.split() for line in out.splitlines()[1:]]
    assert [row[:3] for row in rows] == [["10", "55.6", "%"], ["5", "27.8", "%"], ["3", "16.7", "%"]]
    assert rows[0][3] == "NIO" and rows[2][3] == "Swift"
