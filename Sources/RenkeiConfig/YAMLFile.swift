import Foundation
import RenkeiCore
import Yams

/// Reading YAML configuration files with errors that name the file and the field.
enum YAMLFile {
    /// Files larger than this are refused: configuration is small, and reading a wrong
    /// path (a data file, a device) must not eat the memory.
    static let maximumBytes = 16 * 1024 * 1024

    static func decode<T: Decodable>(_ type: T.Type, at url: URL) throws(RenkeiError) -> T {
        let data: Data
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
            if let size = attributes[.size] as? Int, size > maximumBytes {
                throw RenkeiError(.invalidConfiguration, "\(url.path) is \(size) bytes; configuration files are limited to \(maximumBytes)")
            }
            data = try Data(contentsOf: url)
        } catch let error as RenkeiError {
            throw error
        } catch {
            throw RenkeiError(
                .invalidConfiguration, "cannot read \(url.path): \(error.localizedDescription). Run renkei from the repository root or pass --config")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw RenkeiError(.invalidConfiguration, "\(url.path) is not UTF-8 text")
        }
        return try decode(T.self, text: text, source: url.path)
    }

    static func decode<T: Decodable>(_ type: T.Type, text: String, source: String) throws(RenkeiError) -> T {
        guard text.utf8.count <= maximumBytes else {
            throw RenkeiError(.invalidConfiguration, "\(source) is longer than \(maximumBytes) bytes")
        }
        do {
            return try YAMLDecoder().decode(T.self, from: text)
        } catch let error as DecodingError {
            throw RenkeiError(.invalidConfiguration, "\(source): \(error.fieldDescription)")
        } catch {
            throw RenkeiError(.invalidConfiguration, "\(source) does not parse as YAML: \(error)")
        }
    }
}

extension RenkeiError {
    static func config(_ message: String) -> RenkeiError { RenkeiError(.invalidConfiguration, message) }
}
