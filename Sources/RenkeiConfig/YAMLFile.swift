package import Foundation
package import RenkeiCore
import Yams

/// Reading YAML configuration files with errors that name the file and the field.
package enum YAMLFile {
    /// Files larger than this are refused: configuration is small, and reading a wrong
    /// path (a data file, a device) must not eat the memory.
    static let maximumBytes = 16 * 1024 * 1024

    package static func decode<T: Decodable>(_ type: T.Type, at url: URL) throws(RenkeiError) -> T {
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

    package static func decode<T: Decodable>(_ type: T.Type, text: String, source: String) throws(RenkeiError) -> T {
        guard text.utf8.count <= maximumBytes else {
            throw RenkeiError(.invalidConfiguration, "\(source) is longer than \(maximumBytes) bytes")
        }
        do {
            do {
                return try YAMLDecoder().decode(Strict<T>.self, from: text).value
            } catch let DecodingError.dataCorrupted(context) where context.underlyingError != nil {
                // Yams wraps every error that is not a DecodingError, ours and libyaml's alike.
                throw context.underlyingError ?? DecodingError.dataCorrupted(context)
            }
        } catch let error as StrictDecoding.UnknownKey {
            let at = YAMLLocation.of(path: error.path + [error.key], keyOnly: true, in: text)
            throw RenkeiError(.invalidConfiguration, "\(source)\(at): \(error)")
        } catch let error as YamlError {
            throw RenkeiError(.invalidConfiguration, "\(source)\(YAMLLocation.syntax(error))")
        } catch let error as DecodingError {
            let at = YAMLLocation.of(path: error.pathComponents, keyOnly: false, in: text)
            throw RenkeiError(.invalidConfiguration, "\(source)\(at): \(error.fieldDescription)")
        } catch {
            throw RenkeiError(.invalidConfiguration, "\(source) does not parse as YAML: \(error)")
        }
    }
}

/// Where in a YAML text something is, as `:LINE:COLUMN` after the file name.
enum YAMLLocation {
    /// A syntax error's place and problem: `:3:7: mapping values are not allowed in this context`.
    static func syntax(_ error: YamlError) -> String {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            let while_ = context.map { " (\($0.text) at line \($0.mark.line))" } ?? ""
            return ":\(mark.line):\(mark.column): not valid YAML: \(problem)\(while_)"
        case let .duplicatedKeysInMapping(duplicates, context):
            return ":\(context.mark.line):\(context.mark.column): a key is given twice: \(duplicates.sorted().joined(separator: ", "))"
        default:
            return ": not valid YAML: \(error)"
        }
    }

    /// The line and column of the key (or value) at `path` (`["population", "cities", "[0]", "residents"]`),
    /// or of the deepest part of it that exists; empty when the text does not compose.
    static func of(path: [String], keyOnly: Bool, in text: String) -> String {
        guard var node = try? Yams.compose(yaml: text) else { return "" }
        var mark = node.mark
        for component in path {
            if component.hasPrefix("["), let index = Int(component.dropFirst().dropLast()), let sequence = node.sequence, index < sequence.count {
                node = sequence[index]
                mark = node.mark
            } else if let pair = node.mapping?.first(where: { $0.key.string == component }) {
                node = pair.value
                mark = keyOnly ? pair.key.mark : pair.value.mark
            } else {
                break
            }
        }
        return mark.map { ":\($0.line):\($0.column)" } ?? ""
    }
}

extension DecodingError {
    /// The path of the value at fault (for a missing key, the object that should hold it).
    var pathComponents: [String] {
        let context: Context
        switch self {
        case let .keyNotFound(_, c), let .typeMismatch(_, c), let .valueNotFound(_, c), let .dataCorrupted(c): context = c
        @unknown default: return []
        }
        return context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
    }
}

extension RenkeiError {
    static func config(_ message: String) -> RenkeiError { RenkeiError(.invalidConfiguration, message) }
}
