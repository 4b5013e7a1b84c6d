import Hummingbird
import HummingbirdCore
public import RenkeiConfig
public import RenkeiCore
import RenkeiNodes

/// The edge's parsers as functions of the bytes a caller sends, run exactly as the routes run
/// them, without a server: what the fuzz targets drive and the regression tests replay. Each
/// ends in a value or a `RenkeiError`, never a trap.
public enum EdgeInputs {
    /// POST /v1/xml: the 電文, its header, and the registration or inquiry it carries.
    public static func xmlMessage(_ bytes: [UInt8]) throws(RenkeiError) {
        var header = MessageHeader()
        _ = try XMLRequest.parse(bytes, header: &header)
    }

    /// POST /v1/batch: every row of a 一括照会 file, checked against the topology, and the
    /// result-file line of each refused row.
    public static func batchFile(_ bytes: [UInt8], as inquirer: Organization, topology: Topology) -> (rows: Int, refused: Int) {
        let lines = BatchLayout.rows(bytes)
        var refused = 0
        for line in lines {
            do {
                _ = try BatchRow(line: line, inquirer: inquirer, topology: topology)
            } catch {
                refused += 1
                _ = RowOutcome.failed(fields: BatchRoutes.fields(of: line), RenkeiError(.invalidRequest, error.sentence)).line(topology: topology)
            }
        }
        return (lines.count, refused)
    }

    /// The JSON bodies of the REST and admin APIs, decoded and (where the route does) converted.
    public static func jsonBody(_ bytes: [UInt8], topology: Topology) {
        if let inquiry = try? JSONBody.decode(InquiryBody.self, from: bytes) {
            _ = try? InquiryQuestion(
                item: inquiry.item, provider: inquiry.provider, information: inquiry.information, procedure: inquiry.procedure,
                fiscalYear: inquiry.fiscalYear,
                nondisclosure: inquiry.nondisclosure ?? false, testMode: inquiry.testMode ?? false, department: inquiry.departmentCode,
                user: inquiry.userId,
                topology: topology
            )
            _ = try? inquiry.person()
        }
        if let duplicates = try? JSONBody.decode(DuplicatesBody.self, from: bytes) { _ = try? duplicates.entries(topology: topology) }
        _ = try? JSONBody.decode(LinkCodeBody.self, from: bytes)
        if let fault = try? JSONBody.decode(FaultBody.self, from: bytes) { _ = try? fault.fault() }
        _ = try? JSONBody.decode(FlagBody.self, from: bytes)
    }

    /// A request target: its path and query as Hummingbird reads them, then GET /v1/records'
    /// query as the route reads it.
    public static func requestTarget(_ bytes: [UInt8], topology: Topology) {
        let uri = URI(String(decoding: bytes, as: UTF8.self))
        _ = uri.path
        _ = try? RecordSearchQuery.parse(uri.queryParameters, topology: topology)
    }
}
