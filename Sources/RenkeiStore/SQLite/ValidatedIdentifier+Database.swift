public import GRDB
public import RenkeiCore

/// Identifiers go into SQL as their text and come out checked again: a value that no longer
/// passes its check reads as nil (StateLoader reads with reasons instead).
extension DatabaseValueConvertible where Self: ValidatedIdentifier {
    public var databaseValue: DatabaseValue { rawValue.databaseValue }

    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> Self? {
        String.fromDatabaseValue(dbValue).flatMap { try? Self($0) }
    }
}

extension OrganizationCode: DatabaseValueConvertible {}
extension IntegratedAddressNumber: DatabaseValueConvertible {}
extension AddressNumber: DatabaseValueConvertible {}
extension MyNumber: DatabaseValueConvertible {
    // Written out: MyNumber is also Codable, for which GRDB has a JSON default of its own.
    public var databaseValue: DatabaseValue { rawValue.databaseValue }

    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> MyNumber? {
        String.fromDatabaseValue(dbValue).flatMap { try? MyNumber($0) }
    }
}
extension ResidentCode: DatabaseValueConvertible {}
extension LinkCode: DatabaseValueConvertible {}
extension ProcessingNumber: DatabaseValueConvertible {}
extension ReceptionNumber: DatabaseValueConvertible {}
extension InformationCode: DatabaseValueConvertible {}
extension ProcedureCode: DatabaseValueConvertible {}
