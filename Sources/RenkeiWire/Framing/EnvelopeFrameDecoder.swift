import NIOCore
import RenkeiCore

/// A frame announced larger than the limit. Raised before the frame is buffered, so an
/// oversized or hostile length costs no memory.
struct FrameTooLargeError: Error {
    let length: Int
    let limit: Int
}

/// Reads 4-byte big-endian length-prefixed frames and decodes each as an `Envelope`.
///
/// swift-nio-extras' `LengthFieldBasedFrameDecoder` has no upper bound on the frame
/// length, so it would buffer whatever a peer announces; this one refuses a frame over
/// `maximumFrameLength` from its header alone.
struct EnvelopeFrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = Renkei_V1_Envelope

    let maximumFrameLength: Int

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let envelope = try Self.nextEnvelope(&buffer, maximumFrameLength: maximumFrameLength) else { return .needMoreData }
        context.fireChannelRead(wrapInboundOut(envelope))
        return .continue
    }

    /// The envelope at the front of `buffer`, consumed; nil while its frame is incomplete.
    static func nextEnvelope(_ buffer: inout ByteBuffer, maximumFrameLength: Int) throws -> Renkei_V1_Envelope? {
        guard let length = buffer.getInteger(at: buffer.readerIndex, as: UInt32.self) else { return nil }
        let frameLength = Int(length)
        guard frameLength <= maximumFrameLength else { throw FrameTooLargeError(length: frameLength, limit: maximumFrameLength) }
        guard buffer.readableBytes >= 4 + frameLength, let frame = buffer.getSlice(at: buffer.readerIndex + 4, length: frameLength) else {
            return nil
        }
        buffer.moveReaderIndex(forwardBy: 4 + frameLength)
        return try Renkei_V1_Envelope(serializedBytes: Array(frame.readableBytesView))
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }
}

/// Writes an `Envelope` as one length-prefixed frame.
struct EnvelopeFrameEncoder: MessageToByteEncoder {
    typealias OutboundIn = Renkei_V1_Envelope

    func encode(data: Renkei_V1_Envelope, out: inout ByteBuffer) throws {
        let bytes: [UInt8] = try data.serializedBytes()
        out.reserveCapacity(minimumWritableBytes: 4 + bytes.count)
        out.writeInteger(UInt32(bytes.count))
        out.writeBytes(bytes)
    }
}
