import Foundation
import RenkeiCore

#if canImport(Glibc)
import Glibc
#endif

/// Free ports for node processes that must know each other's addresses before any of them
/// listens. They are taken below the kernel's ephemeral range (32768 up), which it hands to
/// every `bind(port 0)` and outgoing connection, so nothing else running takes one in the
/// seconds before its node binds it; a node that still cannot listen fails to start and says so.
enum FreePorts {
    static let range = 20_000..<32_768

    static func take(_ count: Int, host: String = "127.0.0.1") throws(RenkeiError) -> [Endpoint] {
        var held = [Int32]()
        defer { for descriptor in held { close(descriptor) } }
        var endpoints = [Endpoint]()
        var tries = 0
        while endpoints.count < count {
            tries += 1
            guard tries <= count * 100 else {
                throw RenkeiError(.unavailable, "cannot find \(count) free ports on \(host) from \(range.lowerBound) to \(range.upperBound - 1)")
            }
            // Held open until all are taken, so the same one is not chosen twice.
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard descriptor >= 0 else { throw RenkeiError(.unavailable, "cannot open a socket: \(String(cString: strerror(errno)))") }
            held.append(descriptor)
            let port = Int.random(in: range)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = UInt16(port).bigEndian
            inet_pton(AF_INET, host, &address.sin_addr)
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            if bound == 0 { endpoints.append(Endpoint(host: host, port: port)) }
        }
        return endpoints
    }
}
