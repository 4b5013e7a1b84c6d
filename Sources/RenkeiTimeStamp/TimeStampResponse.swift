import COpenSSL
public import Foundation
public import RenkeiCore

/// What a verified time-stamp says: when, under which serial, over which imprint.
public struct TimeStampInfo: Sendable, Hashable {
    /// Microseconds since 1970, as the token's genTime gives them.
    public let at: Int64
    public let serial: UInt64
    public let imprint: [UInt8]
    public let policy: String
}

/// Reading and checking TimeStampResp (RFC 3161 §2.4.2) with OpenSSL's TS_VERIFY_CTX, the way
/// `openssl ts -verify -data FILE -in RESPONSE -CAfile ca.crt` does.
public enum TimeStampResponse {
    /// Largest response read: a token with its certificate is under 2 KB.
    public static let maximumBytes = 16_384

    /// Verifies `response` over `data` (the bytes whose SHA-256 was stamped) against the CA:
    /// granted status, the signature, the signer's certificate chain to `authorityPEM` and its
    /// time-stamping usage, the imprint, and (when given) the nonce. Returns what it says.
    public static func verify(
        _ response: [UInt8], data: [UInt8], authorityPEM: String, nonce: UInt64? = nil
    ) throws(RenkeiError)
        -> TimeStampInfo
    {
        guard response.count <= maximumBytes else {
            throw RenkeiError(.timeStampInvalid, "the time-stamp response is \(response.count) bytes; at most \(maximumBytes) are read")
        }
        guard let parsed = OpenSSL.parse(response, { d2i_TS_RESP(nil, $0, $1) }) else {
            throw RenkeiError(.timeStampInvalid, "the time-stamp response is not DER-encoded RFC 3161 (\(OpenSSL.errors()))")
        }
        defer { TS_RESP_free(parsed) }
        let status = status(of: parsed)
        guard status.granted else { throw RenkeiError(.timeStampInvalid, "the time-stamp response is not granted: \(status.text)") }
        guard let context = TS_VERIFY_CTX_new(), let store = X509_STORE_new() else {
            throw OpenSSL.failure(.internalError, "cannot make a time-stamp verification context")
        }
        defer { TS_VERIFY_CTX_free(context) }  // frees the store and the data BIO it was given
        let authority = try OpenSSL.certificate(pem: authorityPEM)
        defer { X509_free(authority) }
        guard X509_STORE_add_cert(store, authority) == 1 else {
            X509_STORE_free(store)
            throw OpenSSL.failure(.internalError, "cannot trust the CA for time-stamps")
        }
        TS_VERIFY_CTX_set_store(context, store)
        let dataBIO = try OpenSSL.bio(data)
        TS_VERIFY_CTX_set_data(context, dataBIO)
        TS_VERIFY_CTX_set_flags(context, Int32(TS_VFY_VERSION | TS_VFY_SIGNATURE | TS_VFY_DATA))
        guard TS_RESP_verify_response(context, parsed) == 1 else {
            throw OpenSSL.failure(.timeStampInvalid, "the time-stamp does not verify over this checkpoint against the development CA")
        }
        guard let info = TS_RESP_get_tst_info(parsed) else { throw RenkeiError(.timeStampInvalid, "the time-stamp has no TSTInfo") }
        let read = try Self.read(info)
        if let nonce, read.nonce != nonce {
            throw RenkeiError(.timeStampInvalid, "the time-stamp answers another request (its nonce is not this request's)")
        }
        return read.info
    }

    /// What a response says, unverified (for showing a stamp, and for the fuzz target); nil when
    /// the bytes are not a granted response that reads.
    public static func inspect(_ response: [UInt8]) -> TimeStampInfo? {
        guard response.count <= maximumBytes, let parsed = OpenSSL.parse(response, { d2i_TS_RESP(nil, $0, $1) }) else {
            _ = OpenSSL.errors()
            return nil
        }
        defer { TS_RESP_free(parsed) }
        guard status(of: parsed).granted, let info = TS_RESP_get_tst_info(parsed) else { return nil }
        return try? read(info).info
    }

    static func status(of response: OpaquePointer) -> (granted: Bool, text: String) {
        guard let info = TS_RESP_get_status_info(response), let status = TS_STATUS_INFO_get0_status(info) else { return (false, "no status") }
        let value = ASN1_INTEGER_get(status)
        // 0 granted, 1 grantedWithMods (RFC 3161 §2.4.2).
        guard value > 1 else { return (true, "granted") }
        var texts = [String]()
        if let stack = TS_STATUS_INFO_get0_text(info) {
            for index in 0..<OPENSSL_sk_num(stack) {
                if let string = OPENSSL_sk_value(stack, index) {
                    let asn1 = string.assumingMemoryBound(to: ASN1_STRING.self)
                    if let bytes = ASN1_STRING_get0_data(asn1) {
                        texts.append(String(decoding: UnsafeBufferPointer(start: bytes, count: Int(ASN1_STRING_length(asn1))), as: UTF8.self))
                    }
                }
            }
        }
        return (false, "status \(value)\(texts.isEmpty ? "" : ": " + texts.joined(separator: "; "))")
    }

    private static func read(_ info: OpaquePointer) throws(RenkeiError) -> (info: TimeStampInfo, nonce: UInt64?) {
        var serial: UInt64 = 0
        guard let serialNumber = TS_TST_INFO_get_serial(info), ASN1_INTEGER_get_uint64(&serial, serialNumber) == 1 else {
            throw RenkeiError(.timeStampInvalid, "the time-stamp's serial is not a 64-bit number")
        }
        guard let time = TS_TST_INFO_get_time(info), let text = ASN1_STRING_get0_data(time) else {
            throw RenkeiError(.timeStampInvalid, "the time-stamp has no time")
        }
        let generalized = String(decoding: UnsafeBufferPointer(start: text, count: Int(ASN1_STRING_length(time))), as: UTF8.self)
        guard let micros = Self.micros(generalized) else {
            throw RenkeiError(.timeStampInvalid, "the time-stamp's time \(generalized) does not read")
        }
        var imprint = [UInt8]()
        if let message = TS_TST_INFO_get_msg_imprint(info), let digest = TS_MSG_IMPRINT_get_msg(message), let bytes = ASN1_STRING_get0_data(digest) {
            imprint = Array(UnsafeBufferPointer(start: bytes, count: Int(ASN1_STRING_length(digest))))
        }
        var policy = ""
        if let object = TS_TST_INFO_get_policy_id(info) {
            var buffer = [CChar](repeating: 0, count: 128)
            let length = OBJ_obj2txt(&buffer, Int32(buffer.count), object, 1)
            if length > 0 { policy = String(decoding: buffer.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self) }
        }
        var nonce: UInt64?
        if let number = TS_TST_INFO_get_nonce(info) {
            var value: UInt64 = 0
            if ASN1_INTEGER_get_uint64(&value, number) == 1 { nonce = value }
        }
        return (TimeStampInfo(at: micros, serial: serial, imprint: imprint, policy: policy), nonce)
    }

    /// YYYYMMDDHHMMSS[.ffffff]Z as microseconds since 1970.
    static func micros(_ text: String) -> Int64? {
        let characters = Array(text.utf8)
        guard characters.count >= 15, characters.last == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int? { Int(String(decoding: characters[range], as: UTF8.self)) }
        guard let year = number(0..<4), let month = number(4..<6), let day = number(6..<8), let hour = number(8..<10),
            let minute = number(10..<12), let second = number(12..<14)
        else { return nil }
        var fraction: Int64 = 0
        if characters.count > 15, characters[14] == UInt8(ascii: ".") {
            let digits = characters[15..<(characters.count - 1)]
            guard !digits.isEmpty, digits.count <= 6, let value = Int64(String(decoding: digits, as: UTF8.self)) else { return nil }
            fraction = value * Int64([1, 100_000, 10_000, 1_000, 100, 10, 1][digits.count])
        }
        guard let days = try? CivilDate(year: year, month: month, day: day).daysSinceEpoch else { return nil }
        return (Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second)) * 1_000_000 + fraction
    }
}
