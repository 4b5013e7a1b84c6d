import Foundation
public import RenkeiCore

#if canImport(Glibc)
import Glibc
#endif

/// Free ports for node processes that must know each other's addresses before any of them
/// listens. They are taken below the kernel's ephemeral range (32768 up), which it hands to
/// every `bind(port 0)` and outgoing connection, so nothing else running takes one in the
/// seconds before its node binds it; a node that still cannot listen fails to start and says so.
/// Tests that stop a server and listen again on its port take it here for the same reason.
///
/// Each port taken is also reserved for this process in a file of the machine's temporary
/// folder (`renkei-ports-UID/PORT`, holding the pid), so that two renkei processes choosing at
/// once (several `renkei up --ephemeral-ports`, tests in parallel) never choose the same one;
/// a reservation whose process has ended is taken over.
public enum FreePorts {
    public static let range = 20_000..<32_768

    static var reservations: URL {
        URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("renkei-ports-\(getuid())")
    }

    public static func take(_ count: Int, host: String = "127.0.0.1") throws(RenkeiError) -> [Endpoint] {
        var held = [Int32]()
        defer { for descriptor in held { close(descriptor) } }
        var endpoints = [Endpoint]()
        var tries = 0
        try? FileManager.default.createDirectory(at: reservations, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        while endpoints.count < count {
            tries += 1
            guard tries <= count * 100 else {
                release(endpoints)
                throw RenkeiError(.unavailable, "cannot find \(count) free ports on \(host) from \(range.lowerBound) to \(range.upperBound - 1)")
            }
            let port = Int.random(in: range)
            guard reserve(port) else { continue }
            // Held open until all are taken, so the same one is not chosen twice.
            // Close-on-exec: a child started meanwhile must not hold the port.
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard descriptor >= 0 else {
                unreserve(port)
                release(endpoints)
                throw RenkeiError(.unavailable, "cannot open a socket: \(String(cString: strerror(errno)))")
            }
            held.append(descriptor)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = UInt16(port).bigEndian
            inet_pton(AF_INET, host, &address.sin_addr)
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            if bound == 0 { endpoints.append(Endpoint(host: host, port: port)) } else { unreserve(port) }
        }
        return endpoints
    }

    /// Gives the reservations of `endpoints` back (the ports themselves are whoever's binds them).
    public static func release(_ endpoints: [Endpoint]) {
        for endpoint in endpoints { unreserve(endpoint.port) }
    }

    /// Reserves `port` for this process unless a living process holds it.
    private static func reserve(_ port: Int) -> Bool {
        let file = reservations.appendingPathComponent("\(port)").path
        for _ in 0..<2 {
            let descriptor = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            if descriptor >= 0 {
                let pid = "\(getpid())\n"
                _ = pid.withCString { write(descriptor, $0, strlen($0)) }
                close(descriptor)
                return true
            }
            // Held: by a process that still runs (or this one), or left by one that ended.
            guard let text = try? String(contentsOfFile: file, encoding: .utf8),
                let holder = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), holder != getpid(), kill(holder, 0) != 0, errno == ESRCH
            else { return false }
            unlink(file)
        }
        return false
    }

    private static func unreserve(_ port: Int) {
        unlink(reservations.appendingPathComponent("\(port)").path)
    }
}
