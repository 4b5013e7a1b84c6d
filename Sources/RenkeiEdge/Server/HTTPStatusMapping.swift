public import Hummingbird
public import RenkeiCore

/// The HTTP status that goes with each renkei error code, the same on every interface: the
/// one in the error catalogue.
public enum HTTPStatusMapping {
    public static func status(for code: ErrorCode) -> HTTPResponse.Status {
        HTTPResponse.Status(code: ErrorCatalogue.renkei.httpStatus(code))
    }
}
