/// Bytes as lowercase hex, two digits each: hashes, fingerprints, signatures in text.
public func hex(_ bytes: some Sequence<UInt8>) -> String {
    bytes.map { byte in
        let text = String(byte, radix: 16)
        return byte < 16 ? "0" + text : text
    }.joined()
}
