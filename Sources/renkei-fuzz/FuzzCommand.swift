import Foundation
import RenkeiFuzzTargets

// renkei-fuzz TARGET [libFuzzer options] [corpus directories]
//
// Built with `-sanitize=fuzzer -DFUZZING` (scripts/fuzz.sh), it runs libFuzzer on one target.
// Built plainly (swift build), it replays files: `renkei-fuzz TARGET FILE…` runs each file
// through the target once and reports which ran — how a crashing input is checked by hand.

#if FUZZING
/// The target this process fuzzes, chosen once from argv before libFuzzer starts.
nonisolated(unsafe) var selectedTarget = FuzzTarget.xml

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    selectedTarget.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

// libFuzzer's own entry (compiler-rt, FuzzerDriver.cpp). Its three pointer arguments are passed
// in the same registers by the C and Swift calling conventions on the platforms we fuzz on
// (x86-64 and arm64 Linux), which is what @_silgen_name relies on.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

/// SwiftPM links an executable's `main` to `<module>_main`; here that is the fuzzing driver.
@_cdecl("renkei_fuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    guard argc >= 2, let argv, let name = argv[1].map({ String(cString: $0) }), let target = FuzzTarget(rawValue: name) else {
        FileHandle.standardError.write(
            Data(
                "usage: renkei-fuzz TARGET [libFuzzer options] [corpus …]; TARGET is one of \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))\n"
                    .utf8))
        return 64
    }
    selectedTarget = target
    // libFuzzer reads its options from argv[1...]: drop the target name, keep the program name.
    argv[1] = argv[0]
    var count = argc - 1
    var arguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv + 1
    return runFuzzerDriver(&count, &arguments, fuzzOneInput)
}
#else
@main
struct FuzzReplay {
    static func main() {
        let arguments = CommandLine.arguments.dropFirst()
        guard let name = arguments.first, let target = FuzzTarget(rawValue: name) else {
            FileHandle.standardError.write(
                Data("usage: renkei-fuzz TARGET FILE…  (TARGET: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")))\n".utf8))
            exit(64)
        }
        for path in arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else {
                FileHandle.standardError.write(Data("cannot read \(path)\n".utf8))
                exit(1)
            }
            target.run(Array(data))
            print("ran \(path) (\(data.count) bytes): no crash")
        }
    }
}
#endif
