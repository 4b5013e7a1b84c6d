import COpenSSL
public import Foundation
public import RenkeiCore

/// The time-stamping authority's signing half: turns a TimeStampReq into a granted
/// TimeStampResp (RFC 3161 §2.4.2) with OpenSSL's TS_RESP_CTX, at the time and serial the
/// authority gives, signed with its stamping key under its time-stamping certificate.
///
/// Holds PEM text, not OpenSSL objects, so it is a plain value that can cross actors; a context
/// is made per stamp, which costs far less than the signature (stamps come at most one per
/// node per checkpoint interval).
public struct TimeStampSigner: Sendable {
    /// The policy under which renkei stamps: an OID from a UUID (X.667, arc 2.25), since the
    /// simulator has no registered arc of its own.
    public static let policy = "2.25.160816685085444465428878471886508725419"

    let certificatePEM: String
    let keyPEM: String

    public init(certificatePEM: String, keyPEM: String) {
        self.certificatePEM = certificatePEM
        self.keyPEM = keyPEM
    }

    /// A TimeStampResp for `request`, or TIME_STAMP_INVALID when OpenSSL rejects the request
    /// (its status text in the sentence).
    public func respond(to request: [UInt8], serial: UInt64, at time: Date) throws(RenkeiError) -> [UInt8] {
        _ = try TimeStampRequest.imprint(of: request)
        let certificate = try OpenSSL.certificate(pem: certificatePEM)
        defer { X509_free(certificate) }
        let key = try OpenSSL.privateKey(pem: keyPEM)
        defer { EVP_PKEY_free(key) }
        guard let context = TS_RESP_CTX_new() else { throw OpenSSL.failure(.internalError, "cannot make a time-stamp context") }
        defer { TS_RESP_CTX_free(context) }
        guard let policy = OBJ_txt2obj(Self.policy, 1) else { throw OpenSSL.failure(.internalError, "the stamp policy OID does not parse") }
        defer { ASN1_OBJECT_free(policy) }
        // The callbacks read the time and serial through a pointer: they cannot capture.
        var given = Given(seconds: Int(time.timeIntervalSince1970.rounded(.down)), micros: 0, serial: serial)
        given.micros = Int((time.timeIntervalSince1970 - Double(given.seconds)) * 1_000_000)
        guard TS_RESP_CTX_set_signer_cert(context, certificate) == 1,
            TS_RESP_CTX_set_signer_key(context, key) == 1,
            TS_RESP_CTX_set_signer_digest(context, EVP_sha256()) == 1,
            TS_RESP_CTX_set_def_policy(context, policy) == 1,
            TS_RESP_CTX_add_md(context, EVP_sha256()) == 1,
            TS_RESP_CTX_set_clock_precision_digits(context, 6) == 1
        else { throw OpenSSL.failure(.internalError, "cannot set up the time-stamp context") }
        let requestBIO = try OpenSSL.bio(request)
        defer { BIO_free(requestBIO) }
        let response = withUnsafeMutablePointer(to: &given) { pointer -> OpaquePointer? in
            TS_RESP_CTX_set_time_cb(
                context,
                { _, data, seconds, micros in
                    guard let data, let seconds, let micros else { return 0 }
                    let given = data.assumingMemoryBound(to: Given.self).pointee
                    seconds.pointee = given.seconds
                    micros.pointee = given.micros
                    return 1
                }, pointer)
            TS_RESP_CTX_set_serial_cb(
                context,
                { _, data in
                    guard let data, let number = ASN1_INTEGER_new() else { return nil }
                    ASN1_INTEGER_set_uint64(number, data.assumingMemoryBound(to: Given.self).pointee.serial)
                    return number
                }, pointer)
            return TS_RESP_create_response(context, requestBIO)
        }
        guard let response else { throw OpenSSL.failure(.internalError, "OpenSSL made no time-stamp response") }
        defer { TS_RESP_free(response) }
        let status = TimeStampResponse.status(of: response)
        guard status.granted else { throw RenkeiError(.timeStampInvalid, "the time-stamp request was rejected: \(status.text)") }
        guard let der = OpenSSL.der(response, { i2d_TS_RESP($0, $1) }) else {
            throw OpenSSL.failure(.internalError, "the time-stamp response does not encode")
        }
        return der
    }

    private struct Given {
        var seconds: Int
        var micros: Int
        var serial: UInt64
    }
}
