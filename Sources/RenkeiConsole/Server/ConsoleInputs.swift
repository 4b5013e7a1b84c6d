public import RenkeiConfig

/// The console's parsers that strangers reach, as functions of bytes for the fuzz target.
public enum ConsoleInputs {
    /// A submitted form body (application/x-www-form-urlencoded), as every POST route reads it.
    public static func formBody(_ bytes: [UInt8]) {
        guard let form = try? ConsoleForm.parse(String(decoding: bytes.prefix(ConsoleForm.maximumBytes), as: UTF8.self)) else { return }
        for name in ["csrf", "system", "addressNumber", "item", "reason"] { _ = try? form.text(name, label: name) }
    }

    /// An exercise file, checked against `topology`.
    public static func exercise(_ text: String, topology: Topology) {
        _ = try? Exercise.parse(yaml: text, source: "fuzz.yaml", topology: topology)
    }
}
