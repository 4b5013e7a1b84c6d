import Foundation
import RenkeiCore

#if canImport(Glibc)
import Glibc
#endif

/// Ports the kernel hands out as free, for node processes that must know each other's
/// addresses before any of them listens. Another program could take one in between; a node
/// that then cannot listen fails to start and says so.
enum FreePorts {
    static func take(_ count: Int, host: String = "127.0.0.1") throws(RenkeiError) -> [Endpoint] {
        var held = [Int32]()
        defer { for descriptor in held { close(descriptor) } }
        var endpoints = [Endpoint]()
        for _ in 0..<count {
            // Held open until all are taken, so the kernel does not hand out the same one twice.
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard descriptor >= 0 else { throw RenkeiError(.unavailable, "cannot open a socket: \(String(cString: strerror(errno)))") }
            held.append(descriptor)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = 0
            inet_pton(AF_INET, host, &address.sin_addr)
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let named = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
            }
            guard bound == 0, named == 0 else {
                throw RenkeiError(.unavailable, "cannot find a free port on \(host): \(String(cString: strerror(errno)))")
            }
            endpoints.append(Endpoint(host: host, port: Int(UInt16(bigEndian: address.sin_port))))
        }
        return endpoints
    }
}
