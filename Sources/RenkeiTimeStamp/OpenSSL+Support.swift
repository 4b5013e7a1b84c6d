import COpenSSL
import Foundation
import RenkeiCore

/// Small bridges to libcrypto: memory BIOs, PEM and DER in and out, and its error queue as a
/// sentence. Every object made here is freed by the caller that made it (`defer`).
enum OpenSSL {
    /// libcrypto's pending errors, oldest first, as one line; the queue is left empty.
    static func errors() -> String {
        var reasons = [String]()
        while true {
            let code = ERR_get_error()
            guard code != 0 else { break }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            reasons.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return reasons.isEmpty ? "no reason given" : reasons.joined(separator: "; ")
    }

    static func failure(_ code: ErrorCode, _ what: String) -> RenkeiError {
        RenkeiError(code, "\(what) (OpenSSL: \(errors()))")
    }

    /// A read-only BIO over a copy of `bytes`.
    static func bio(_ bytes: [UInt8]) throws(RenkeiError) -> OpaquePointer {
        guard let bio = BIO_new(BIO_s_mem()) else { throw failure(.internalError, "cannot make a memory BIO") }
        if !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { BIO_write(bio, $0.baseAddress, Int32($0.count)) }
            guard written == bytes.count else {
                BIO_free(bio)
                throw failure(.internalError, "cannot fill a memory BIO")
            }
        }
        return bio
    }

    static func certificate(pem: String) throws(RenkeiError) -> OpaquePointer {
        let bio = try bio(Array(pem.utf8))
        defer { BIO_free(bio) }
        guard let certificate = PEM_read_bio_X509(bio, nil, nil, nil) else {
            throw failure(.certificateProblem, "a certificate does not read as PEM")
        }
        return certificate
    }

    static func privateKey(pem: String) throws(RenkeiError) -> OpaquePointer {
        let bio = try bio(Array(pem.utf8))
        defer { BIO_free(bio) }
        guard let key = PEM_read_bio_PrivateKey(bio, nil, nil, nil) else {
            throw failure(.keyMissing, "the time-stamping key does not read as PEM")
        }
        return key
    }

    /// DER bytes of any OpenSSL object with an `i2d_…` function.
    static func der<T>(_ object: T, _ encode: (T, UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>?) -> Int32) -> [UInt8]? {
        let length = encode(object, nil)
        guard length > 0 else { return nil }
        var bytes = [UInt8](repeating: 0, count: Int(length))
        let written = bytes.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var cursor: UnsafeMutablePointer<UInt8>? = buffer.baseAddress
            return encode(object, &cursor)
        }
        return written == length ? bytes : nil
    }

    /// An OpenSSL object from DER with a `d2i_…` function; nil when the bytes are not one.
    static func parse<T>(_ bytes: [UInt8], _ decode: (UnsafeMutablePointer<UnsafePointer<UInt8>?>?, Int) -> T?) -> T? {
        guard !bytes.isEmpty else { return nil }
        return bytes.withUnsafeBufferPointer { buffer in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            return decode(&cursor, buffer.count)
        }
    }
}
