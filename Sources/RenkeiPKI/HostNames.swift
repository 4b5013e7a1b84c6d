import SwiftASN1
public import X509

#if canImport(Glibc)
import Glibc
#endif

/// The host names and addresses a holder's certificate carries (subjectAltName), so that a
/// client checks it reached the host it meant, not only the holder's name: nodes on other hosts
/// or in containers are reached by address or by service name.
public enum HostNames {
    /// What every certificate carries, for loopback use, and the holder's name where it is a
    /// DNS name (ms-municipal is, tomakomai/kokuho is not): a container's service name.
    static func alternativeNames(for subject: CertificateSubject) -> [GeneralName] {
        var hosts = ["localhost", "127.0.0.1", "::1"]
        if isDNSName(subject.name) { hosts.append(subject.name) }
        for host in subject.hosts where !hosts.contains(host) && !isWildcard(host) { hosts.append(host) }
        return hosts.map(generalName)
    }

    /// Whether `certificate` names `host`: an IP address as an iPAddress entry, a name as a
    /// dNSName entry (without regard to case).
    public static func certificate(_ certificate: Certificate, names host: String) -> Bool {
        let wanted = generalName(host)
        return names(of: certificate).contains { name in
            switch (name, wanted) {
            case (.dnsName(let have), .dnsName(let want)): have.lowercased() == want.lowercased()
            case (.ipAddress(let have), .ipAddress(let want)): have.bytes == want.bytes
            default: false
            }
        }
    }

    /// The certificate's names as people read them, for a refusal.
    public static func describe(_ certificate: Certificate) -> String {
        names(of: certificate).map { name in
            switch name {
            case .dnsName(let text): text
            case .ipAddress(let bytes): address(bytes.bytes)
            default: "\(name)"
            }
        }.joined(separator: ", ")
    }

    static func names(of certificate: Certificate) -> [GeneralName] {
        guard let names = try? certificate.extensions.subjectAlternativeNames else { return [] }
        return Array(names)
    }

    static func generalName(_ host: String) -> GeneralName {
        if let bytes = addressBytes(host) { return .ipAddress(ASN1OctetString(contentBytes: ArraySlice(bytes))) }
        return .dnsName(host)
    }

    /// 0.0.0.0 and :: mean "every interface": no client reaches a node by them.
    static func isWildcard(_ host: String) -> Bool { host == "0.0.0.0" || host == "::" }

    static func isDNSName(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 253
            && text.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
                (1...63).contains(label.count) && label.first != "-" && label.last != "-"
                    && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
            }
    }

    static func addressBytes(_ host: String) -> [UInt8]? {
        var four = in_addr()
        if inet_pton(AF_INET, host, &four) == 1 { return withUnsafeBytes(of: &four) { Array($0) } }
        var six = in6_addr()
        if inet_pton(AF_INET6, host, &six) == 1 { return withUnsafeBytes(of: &six) { Array($0) } }
        return nil
    }

    static func address(_ bytes: ArraySlice<UInt8>) -> String {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        var six = in6_addr()
        withUnsafeMutableBytes(of: &six) { $0.copyBytes(from: bytes) }
        guard inet_ntop(AF_INET6, &six, &text, socklen_t(text.count)) != nil else { return "\(Array(bytes))" }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
