/// Bytes as lowercase hex, two digits each: hashes, fingerprints, signatures in text.
/// On the inquiry path (each append-only row's entry): contiguous bytes are read through one
/// buffer pointer and written straight into the string's storage. Inlinable so that a caller
/// in another module gets it specialised for its own collection; generic, it cost 14,000
/// instructions for a 32-byte digest (callgrind, issue 16).
@inlinable
public func hex(_ bytes: some Sequence<UInt8>) -> String {
    if let text = bytes.withContiguousStorageIfAvailable({ hex(buffer: UnsafeRawBufferPointer($0)) }) { return text }
    return Array(bytes).withUnsafeBytes { hex(buffer: $0) }
}

/// The bytes of `buffer` as lowercase hex.
public func hex(buffer: UnsafeRawBufferPointer) -> String {
    guard !buffer.isEmpty else { return "" }
    return String(unsafeUninitializedCapacity: buffer.count * 2) { text in
        let digits: StaticString = "0123456789abcdef"
        digits.withUTF8Buffer { digits in
            for (offset, byte) in buffer.enumerated() {
                text[offset * 2] = digits[Int(byte >> 4)]
                text[offset * 2 + 1] = digits[Int(byte & 0x0F)]
            }
        }
        return buffer.count * 2
    }
}

/// The bytes `hex` wrote, or nil when the text is not an even number of hex digits.
public func bytes(fromHex text: some StringProtocol) -> [UInt8]? {
    guard text.utf8.count % 2 == 0 else { return nil }
    var bytes = [UInt8]()
    bytes.reserveCapacity(text.utf8.count / 2)
    var high: UInt8?
    for character in text.utf8 {
        let value: UInt8
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): value = character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): value = character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): value = character - UInt8(ascii: "A") + 10
        default: return nil
        }
        if let first = high {
            bytes.append(first << 4 | value)
            high = nil
        } else {
            high = value
        }
    }
    return bytes
}
