import GRPCCore

/// Messages as the bytes they are: the chain relays opaque payloads, as renkei's own baseline
/// does, so neither side pays for a message format the other does not use.
struct RawBytesCoding: MessageSerializer, MessageDeserializer {
    typealias Message = [UInt8]

    func serialize<Bytes: GRPCContiguousBytes>(_ message: [UInt8]) throws -> Bytes { Bytes(message) }

    func deserialize<Bytes: GRPCContiguousBytes>(_ serializedMessageBytes: Bytes) throws -> [UInt8] {
        serializedMessageBytes.withUnsafeBytes { Array($0) }
    }
}
