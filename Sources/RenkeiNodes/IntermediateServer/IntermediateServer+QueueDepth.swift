public import RenkeiCore

extension IntermediateServer {
    /// How many inquiries wait for staff at each tenant, by 機関 id: for the console's topology page.
    public func queueDepths() async -> [String: Int] {
        var depths = [String: Int]()
        for tenant in tenants.values { depths[tenant.organization.id] = await tenant.queue().count }
        return depths
    }
}
