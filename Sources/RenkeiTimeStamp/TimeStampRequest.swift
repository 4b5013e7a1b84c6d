import COpenSSL
public import RenkeiCore

/// An RFC 3161 TimeStampReq for a SHA-256 message imprint, with a nonce, asking the authority
/// to include its certificate in the token (so that a verifier needs only the CA).
public enum TimeStampRequest {
    public static func make(imprint: [UInt8], nonce: UInt64) throws(RenkeiError) -> [UInt8] {
        guard imprint.count == 32 else { throw RenkeiError(.timeStampInvalid, "a SHA-256 imprint is 32 bytes, not \(imprint.count)") }
        guard let request = TS_REQ_new(), let message = TS_MSG_IMPRINT_new(), let algorithm = X509_ALGOR_new(),
            let number = ASN1_INTEGER_new()
        else { throw OpenSSL.failure(.internalError, "cannot make a time-stamp request") }
        defer {
            TS_REQ_free(request)
            TS_MSG_IMPRINT_free(message)
            X509_ALGOR_free(algorithm)
            ASN1_INTEGER_free(number)
        }
        var digest = imprint
        // The setters copy what they are given.
        guard X509_ALGOR_set0(algorithm, OBJ_nid2obj(NID_sha256), V_ASN1_NULL, nil) == 1,
            TS_MSG_IMPRINT_set_algo(message, algorithm) == 1,
            TS_MSG_IMPRINT_set_msg(message, &digest, Int32(digest.count)) == 1,
            TS_REQ_set_version(request, 1) == 1,
            TS_REQ_set_msg_imprint(request, message) == 1,
            ASN1_INTEGER_set_uint64(number, nonce) == 1,
            TS_REQ_set_nonce(request, number) == 1,
            TS_REQ_set_cert_req(request, 1) == 1,
            let der = OpenSSL.der(request, { i2d_TS_REQ($0, $1) })
        else { throw OpenSSL.failure(.internalError, "cannot make a time-stamp request") }
        return der
    }

    /// The SHA-256 imprint a DER request carries, or TIME_STAMP_INVALID when the bytes are not
    /// a version 1 request for SHA-256 (a parser strangers reach: the authority's input).
    public static func imprint(of der: [UInt8], maximumBytes: Int = 4_096) throws(RenkeiError) -> [UInt8] {
        guard der.count <= maximumBytes else {
            throw RenkeiError(.timeStampInvalid, "the time-stamp request is \(der.count) bytes; at most \(maximumBytes) are read")
        }
        guard let request = OpenSSL.parse(der, { d2i_TS_REQ(nil, $0, $1) }) else {
            throw RenkeiError(.timeStampInvalid, "the time-stamp request is not DER-encoded RFC 3161 (\(OpenSSL.errors()))")
        }
        defer { TS_REQ_free(request) }
        guard TS_REQ_get_version(request) == 1, let message = TS_REQ_get_msg_imprint(request), let algorithm = TS_MSG_IMPRINT_get_algo(message)
        else { throw RenkeiError(.timeStampInvalid, "the time-stamp request is not version 1 or has no message imprint") }
        var object: OpaquePointer?
        X509_ALGOR_get0(&object, nil, nil, algorithm)
        guard let object, OBJ_obj2nid(object) == NID_sha256, let digest = TS_MSG_IMPRINT_get_msg(message),
            ASN1_STRING_length(digest) == 32, let bytes = ASN1_STRING_get0_data(digest)
        else { throw RenkeiError(.timeStampInvalid, "the time-stamp request's imprint is not a SHA-256 digest") }
        return Array(UnsafeBufferPointer(start: bytes, count: 32))
    }
}
