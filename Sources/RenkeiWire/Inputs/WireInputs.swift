import Foundation
import NIOCore
import SwiftProtobuf

/// The wire's parsers as a function of the bytes a peer sends: frames as the connection
/// reads them, then each request body as its method's message. What the fuzz target drives
/// and the regression tests replay; it ends in envelopes or errors, never a trap.
public enum WireInputs {
    /// How many envelopes the bytes held before the first error or the end.
    @discardableResult
    public static func frames(_ bytes: [UInt8], maximumFrameBytes: Int = 1 << 20) -> Int {
        var buffer = ByteBuffer(bytes: bytes)
        var count = 0
        while let envelope = try? EnvelopeFrameDecoder.nextEnvelope(&buffer, maximumFrameLength: maximumFrameBytes) {
            count += 1
            _ = try? requestDecoders[envelope.method]?(envelope.body)
        }
        return count
    }

    /// Each method's request decoder, as the router runs it.
    static let requestDecoders: [String: @Sendable (Data) throws -> Void] = {
        var decoders: [String: @Sendable (Data) throws -> Void] = [:]
        func add<Request, Response>(_ method: RPCMethod<Request, Response>) {
            decoders[method.name] = { body in _ = try RPCRouter.decodeRequest(method, body) }
        }
        add(Methods.addresseeInquire)
        add(Methods.addresseeResult)
        add(Methods.addresseeRegisterDuplicates)
        add(Methods.addresseeDuplicates)
        add(Methods.addresseeAcquire)
        add(Methods.addresseeRecords)
        add(Methods.addresseeRegister)
        add(Methods.tenantInquire)
        add(Methods.provide)
        add(Methods.beginAcquisition)
        add(Methods.notifyLinkCodes)
        add(Methods.registerAddressees)
        add(Methods.registerDuplicates)
        add(Methods.duplicates)
        add(Methods.result)
        add(Methods.deliver)
        add(Methods.flags)
        add(Methods.queue)
        add(Methods.resolve)
        add(Methods.records)
        add(Methods.networkInquire)
        add(Methods.processingNumbers)
        add(Methods.networkDeliver)
        add(Methods.issueLinkCodes)
        add(Methods.acquire)
        add(Methods.registerResidents)
        add(Methods.ping)
        add(Methods.addresseeQueue)
        add(Methods.addresseeResolve)
        add(Methods.addresseeSignIn)
        add(Methods.signIn)
        add(Methods.staff)
        add(Methods.stamp)
        add(Methods.latestWitnessed)
        return decoders
    }()
}
