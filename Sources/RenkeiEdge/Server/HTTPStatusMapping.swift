public import Hummingbird
public import RenkeiCore

/// The HTTP status that goes with each renkei error code, the same on every interface.
public enum HTTPStatusMapping {
    public static func status(for code: ErrorCode) -> HTTPResponse.Status {
        switch code {
        case .invalidRequest, .invalidIdentifier, .malformedMessage, .procedureMismatch, .duplicateRecord:
            .badRequest
        case .unauthenticated, .certificateExpired:
            .unauthorized
        case .peerNotAuthorized, .systemNotAuthorized, .ruleNotPermitted, .itemDeleted:
            .forbidden
        case .unknownPerson, .unknownOrganization, .unknownInformationCode, .unknownItem, .unknownReceptionNumber, .unknownProcessingNumber,
            .notFound, .unknownMethod:
            .notFound
        case .linkCodeNotAcquired:
            .conflict
        case .frameTooLarge, .bodyTooLarge:
            .contentTooLarge
        case .permitExpired, .permitReused, .permitInvalid, .permitMismatch, .injectedFault, .answerTooLarge:
            .badGateway
        case .unavailable, .overloaded:
            .serviceUnavailable
        case .deadlineExceeded, .manualResponseTimeout:
            .gatewayTimeout
        case .invalidConfiguration:
            .unprocessableContent
        default:
            .internalServerError
        }
    }
}
