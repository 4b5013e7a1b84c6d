/// Turning texts from outside into validated values, with errors that name the field.
public enum Parse {
    /// `make` applied to `text`, or INVALID_IDENTIFIER naming `field`:
    /// `Parse.identifier("宛名番号", text, AddressNumber.init)`.
    public static func identifier<T>(_ field: String, _ text: String, _ make: (String) throws(IdentifierError) -> T) throws(RenkeiError) -> T {
        do { return try make(text) } catch { throw RenkeiError(.invalidIdentifier, "\(field): \(error.description)") }
    }
}
