public import Crypto
import Foundation
public import RenkeiCore

/// Makes and converts 符号 the way domain.md §4.2 describes the network system's core:
/// an internal IDコード per 住民票コード, and per 機関 a 符号 that is that IDコード and the
/// 機関コード encrypted under the network system's secret.
///
/// Encryption is deterministic (the nonce is a MAC of the plaintext, as in SIV), so the same
/// person always gets the same 符号 at the same 機関, and 符号変換 needs no table: the
/// network system opens the inquirer's 符号 and seals the IDコード for the provider.
/// Public so that the micro-benchmarks (Benchmarks/) can measure 符号変換.
public struct LinkCodeCipher: Sendable {
    private let encryptionKey: SymmetricKey
    private let macKey: SymmetricKey

    public init(secret: SymmetricKey) {
        let material = HKDF<SHA256>.deriveKey(inputKeyMaterial: secret, info: Data("renkei/link-code/v1".utf8), outputByteCount: 64)
        let bytes = material.withUnsafeBytes { Array($0) }
        encryptionKey = SymmetricKey(data: bytes[0..<32])
        macKey = SymmetricKey(data: bytes[32..<64])
    }

    /// The internal IDコード of a resident: 16 bytes no one outside the network system sees.
    public func identityCode(for residentCode: ResidentCode) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: Data("id:\(residentCode.rawValue)".utf8), using: macKey).prefix(16))
    }

    public func linkCode(identity: [UInt8], organization: OrganizationCode) -> LinkCode {
        precondition(identity.count == 16, "an IDコード is 16 bytes")
        let plaintext = identity + Array(organization.rawValue.utf8)
        let nonceBytes = Array(HMAC<SHA256>.authenticationCode(for: plaintext, using: macKey).prefix(12))
        // Safe: a 12-byte nonce is always valid for AES-GCM, and sealing cannot fail with a valid key.
        let nonce = try! AES.GCM.Nonce(data: nonceBytes)  // swiftlint:disable:this force_try
        let sealed = try! AES.GCM.seal(plaintext, using: encryptionKey, nonce: nonce)  // swiftlint:disable:this force_try
        let token = nonceBytes + Array(sealed.ciphertext) + Array(sealed.tag)
        // Safe: base64url of 60 bytes is 80 characters from the 符号 alphabet.
        return try! LinkCode(Self.base64url(token))  // swiftlint:disable:this force_try
    }

    /// The IDコード and 機関 a 符号 was made for; fails closed on anything it did not make.
    public func open(_ linkCode: LinkCode) throws(RenkeiError) -> (identity: [UInt8], organization: OrganizationCode) {
        guard let token = Self.decodeBase64url(linkCode.rawValue), token.count == 12 + 32 + 16,
            let nonce = try? AES.GCM.Nonce(data: token[0..<12]),
            let box = try? AES.GCM.SealedBox(nonce: nonce, ciphertext: token[12..<44], tag: token[44..<60]),
            let plaintext = try? AES.GCM.open(box, using: encryptionKey),
            let organization = try? OrganizationCode(String(decoding: plaintext.suffix(16), as: UTF8.self))
        else {
            throw RenkeiError(.invalidIdentifier, "符号 \(linkCode) was not issued by this network system")
        }
        return (Array(plaintext.prefix(16)), organization)
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, character) in alphabet.enumerated() { table[Int(character)] = UInt8(index) }
        return table
    }()

    /// base64url without padding (RFC 4648 §5). Written out because every inquiry makes and
    /// opens 符号, and the Foundation route (encode, then replace characters) was a measurable
    /// share of the network system's time.
    static func base64url(_ bytes: [UInt8]) -> String {
        var output = [UInt8]()
        output.reserveCapacity((bytes.count * 4 + 2) / 3)
        var index = 0
        while index + 2 < bytes.count {
            let value = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            output += [alphabet[Int(value >> 18 & 63)], alphabet[Int(value >> 12 & 63)], alphabet[Int(value >> 6 & 63)], alphabet[Int(value & 63)]]
            index += 3
        }
        let remaining = bytes.count - index
        if remaining == 1 {
            let value = UInt32(bytes[index]) << 16
            output += [alphabet[Int(value >> 18 & 63)], alphabet[Int(value >> 12 & 63)]]
        } else if remaining == 2 {
            let value = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8
            output += [alphabet[Int(value >> 18 & 63)], alphabet[Int(value >> 12 & 63)], alphabet[Int(value >> 6 & 63)]]
        }
        return String(decoding: output, as: UTF8.self)
    }

    static func decodeBase64url(_ text: String) -> [UInt8]? {
        let input = Array(text.utf8)
        guard input.count % 4 != 1 else { return nil }
        var output = [UInt8]()
        output.reserveCapacity(input.count * 3 / 4)
        var buffer: UInt32 = 0
        var bits = 0
        for character in input {
            let value = values[Int(character)]
            guard value != 0xFF else { return nil }
            buffer = buffer << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(buffer >> UInt32(bits) & 0xFF))
            }
        }
        return output
    }
}
