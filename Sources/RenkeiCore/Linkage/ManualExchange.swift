/// An exchange the network system permitted whose provider queued it for staff (自動応答不可):
/// the only exchange a manual answer from that provider may complete. Kept until its answer
/// has been relayed, and after that as delivered, so that a repeated delivery (a retry after a
/// crash) is relayed again without being recorded twice.
public struct ManualExchange: Sendable, Hashable, Codable {
    public var reception: String
    public var inquirer: String
    public var provider: String
    public var permitID: [UInt8]
    public var providerLinkCode: String
    public var delivered = false

    public init(reception: String, inquirer: String, provider: String, permitID: [UInt8], providerLinkCode: String) {
        self.reception = reception
        self.inquirer = inquirer
        self.provider = provider
        self.permitID = permitID
        self.providerLinkCode = providerLinkCode
    }
}
