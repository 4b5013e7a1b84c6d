import Foundation
public import RenkeiCore

extension QueueRequest: WireConvertible {
    public init(wire: Renkei_V1_QueueRequest) {
        self.init(tenant: wire.tenant)
        businessSystem = wire.businessSystem
        operatorToken = wire.operatorToken
    }

    public var wire: Renkei_V1_QueueRequest {
        var wire = Renkei_V1_QueueRequest()
        wire.tenant = tenant
        wire.businessSystem = businessSystem
        wire.operatorToken = operatorToken
        return wire
    }
}

extension QueueEntry: WireConvertible {
    public init(wire: Renkei_V1_QueueEntry) {
        self.init()
        receptionNumber = wire.receptionNumber
        tenant = wire.tenant
        inquirer = wire.inquirer
        question = InquiryQuestion(wire: wire.query)
        integratedAddressNumber = wire.integratedAddressNumber
        queuedAtMicros = wire.queuedAtMicros
        deadlineMicros = wire.deadlineMicros
        request = ProvisionRequest(wire: wire.request)
        permitID = Array(wire.permitID.prefix(64))
    }

    public var wire: Renkei_V1_QueueEntry {
        var wire = Renkei_V1_QueueEntry()
        wire.receptionNumber = receptionNumber
        wire.tenant = tenant
        wire.inquirer = inquirer
        wire.query = question.wire
        wire.integratedAddressNumber = integratedAddressNumber
        wire.queuedAtMicros = queuedAtMicros
        wire.deadlineMicros = deadlineMicros
        wire.request = request.wire
        wire.permitID = Data(permitID)
        return wire
    }
}

extension QueueList: WireConvertible {
    public init(wire: Renkei_V1_QueueList) { self.init(entries: wire.entries.map(QueueEntry.init(wire:))) }

    public var wire: Renkei_V1_QueueList {
        var wire = Renkei_V1_QueueList()
        wire.entries = entries.map(\.wire)
        return wire
    }
}

extension QueueResolution: WireConvertible {
    public init(wire: Renkei_V1_QueueResolution) {
        self.init()
        tenant = wire.tenant
        receptionNumber = wire.receptionNumber
        provide = wire.provide
        businessSystem = wire.businessSystem
        operatorToken = wire.operatorToken
        reason = wire.reason
    }

    public var wire: Renkei_V1_QueueResolution {
        var wire = Renkei_V1_QueueResolution()
        wire.tenant = tenant
        wire.receptionNumber = receptionNumber
        wire.provide = provide
        wire.businessSystem = businessSystem
        wire.operatorToken = operatorToken
        wire.reason = reason
        return wire
    }
}

extension Ping: WireConvertible {
    public init(wire: Renkei_V1_Ping) { self.init(text: wire.text) }

    public var wire: Renkei_V1_Ping {
        var wire = Renkei_V1_Ping()
        wire.text = text
        return wire
    }
}
