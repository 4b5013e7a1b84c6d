import Hummingbird
import RenkeiCore

extension Request {
    /// The staff token of `Authorization: Bearer …`, or "" when the header is absent. A header
    /// that is there but is not a Bearer token of the shape renkei issues is refused, not ignored.
    func bearerToken() throws(RenkeiError) -> String {
        guard let header = headers[.authorization] else { return "" }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer", parts[1].utf8.count <= 128, parts[1].hasPrefix("rk_") else {
            throw RenkeiError(.tokenInvalid, "Authorization must be \"Bearer rk_…\", a token from POST /v1/sessions or renkei staff token")
        }
        return String(parts[1])
    }
}
