public import Crypto
public import Foundation
public import RenkeiCore

/// A node's audit log as an auditor takes it away: plain files that `renkei audit verify
/// --export` and standard tools check without renkei's stores.
///
///     log.jsonl                   one entry per line: seq, at, kind, actor, detail, leaf, chain (hex)
///     checkpoints/SIZE.txt        the checkpoint as C2SP tlog-checkpoint text (origin, size, base64
///                                 root), with the chain hash and time as extension lines
///     checkpoints/SIZE.signed     the exact text the node signed
///     checkpoints/SIZE.sig        its ECDSA P-256 signature (DER) over SHA-256 of SIZE.signed
///     stamps/SERIAL.tsr           the RFC 3161 TimeStampResp the authority made over SIZE.signed
///     stamps.jsonl                one stamp per line: serial, size, stamped_at, and the checkpoint
///     checkpoint.pub              the node's checkpoint public key (PEM)
///     ca.crt                      the CA that issued the authority's time-stamping certificate
public enum AuditExport {
    public struct Contents: Sendable {
        public var node: String
        public var entries: [AuditEntry]
        public var checkpoints: [AuditCheckpoint]
        public var stamps: [WitnessedCheckpoint]

        public init(node: String, entries: [AuditEntry], checkpoints: [AuditCheckpoint], stamps: [WitnessedCheckpoint]) {
            self.node = node
            self.entries = entries
            self.checkpoints = checkpoints
            self.stamps = stamps
        }
    }

    /// One entry as the export's log.jsonl writes it (and PostgreSQL's store inserts it).
    struct Line: Codable {
        let seq: Int
        let at: Int64
        let kind: String
        let actor: String?
        let detail: String
        let leaf: String
        let chain: String

        init(seq: Int, at: Int64, kind: String, actor: String?, detail: String, leaf: String, chain: String) {
            self.seq = seq
            self.at = at
            self.kind = kind
            self.actor = actor
            self.detail = detail
            self.leaf = leaf
            self.chain = chain
        }

        init(_ entry: AuditEntry) {
            self.init(
                seq: entry.sequence, at: entry.event.at, kind: entry.event.kind.rawValue, actor: entry.event.actor, detail: entry.event.detail,
                leaf: hex(entry.leaf), chain: hex(entry.chain))
        }
    }

    struct StampLine: Codable {
        let serial: UInt64
        let size: Int
        let root: String
        let chain: String
        let checkpoint_at: Int64
        let signature: String
        let stamped_at: Int64
    }

    /// The C2SP tlog-checkpoint body of a checkpoint: origin, size, base64 root, then extension lines.
    public static func checkpointText(_ checkpoint: AuditCheckpoint, node: String) -> String {
        "renkei/\(node)\n\(checkpoint.size)\n\(Data(checkpoint.root).base64EncodedString())\nchain \(hex(checkpoint.chain))\nat \(checkpoint.at)\n"
    }

    /// Writes `contents` into `directory` (made when missing; files there are replaced).
    public static func write(_ contents: Contents, key: P256.Signing.PublicKey, authorityPEM: String, to directory: URL) throws(RenkeiError) {
        do {
            let manager = FileManager.default
            for folder in ["", "checkpoints", "stamps"] {
                try manager.createDirectory(at: directory.appendingPathComponent(folder), withIntermediateDirectories: true)
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            var log = Data()
            for entry in contents.entries {
                log += try encoder.encode(Line(entry)) + Data("\n".utf8)
            }
            try log.write(to: directory.appendingPathComponent("log.jsonl"))
            for checkpoint in contents.checkpoints {
                let base = directory.appendingPathComponent("checkpoints/\(checkpoint.size)")
                try Data(checkpointText(checkpoint, node: contents.node).utf8).write(to: base.appendingPathExtension("txt"))
                try Data(checkpoint.signed(by: contents.node).signedText).write(to: base.appendingPathExtension("signed"))
                try Data(checkpoint.signature).write(to: base.appendingPathExtension("sig"))
            }
            var stamps = Data()
            for stamp in contents.stamps {
                let checkpoint = stamp.checkpoint
                let line = StampLine(
                    serial: stamp.serial, size: checkpoint.size, root: hex(checkpoint.root), chain: hex(checkpoint.chain),
                    checkpoint_at: checkpoint.at, signature: hex(checkpoint.signature), stamped_at: stamp.stampedAt)
                stamps += try encoder.encode(line) + Data("\n".utf8)
                try Data(stamp.response).write(to: directory.appendingPathComponent("stamps/\(stamp.serial).tsr"))
                try Data(checkpoint.signedText).write(to: directory.appendingPathComponent("stamps/\(stamp.serial).data"))
            }
            try stamps.write(to: directory.appendingPathComponent("stamps.jsonl"))
            try Data(key.pemRepresentation.utf8).write(to: directory.appendingPathComponent("checkpoint.pub"))
            try Data(authorityPEM.utf8).write(to: directory.appendingPathComponent("ca.crt"))
        } catch let error as RenkeiError {
            throw error
        } catch {
            throw RenkeiError(.invalidConfiguration, "cannot write the export to \(directory.path): \(error.localizedDescription)")
        }
    }

    /// Reads an export back; every file is bounded, and a line that does not read is named.
    public static func read(_ directory: URL, node: String) throws(RenkeiError) -> Contents {
        func lines(_ name: String) throws(RenkeiError) -> [Data] {
            let url = directory.appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw RenkeiError(.invalidConfiguration, "no \(name) in \(directory.path); is it a renkei audit export?")
            }
            return data.split(separator: UInt8(ascii: "\n")).map { Data($0) }
        }
        let decoder = JSONDecoder()
        var entries = [AuditEntry]()
        for (number, line) in try lines("log.jsonl").enumerated() {
            guard let row = try? decoder.decode(Line.self, from: line), let leaf = bytes(fromHex: row.leaf), let chain = bytes(fromHex: row.chain)
            else {
                throw RenkeiError(.malformedMessage, "log.jsonl line \(number + 1) does not read as an audit entry")
            }
            // A kind this build does not know is kept with its text, so the leaf check decides.
            let kind = AuditEvent.Kind(rawValue: row.kind)
            let event = AuditEvent(kind: kind ?? .administration, at: row.at, actor: row.actor, detail: kind == nil ? "\u{0}\(row.kind)" : row.detail)
            entries.append(AuditEntry(sequence: row.seq, event: event, leaf: leaf, chain: chain))
        }
        var checkpoints = [AuditCheckpoint]()
        let folder = directory.appendingPathComponent("checkpoints")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".signed") }
        for name in names {
            let base = folder.appendingPathComponent(String(name.dropLast(".signed".count)))
            guard let signed = FileManager.default.contents(atPath: base.appendingPathExtension("signed").path),
                let signature = FileManager.default.contents(atPath: base.appendingPathExtension("sig").path),
                let parsed = SignedText(String(decoding: signed, as: UTF8.self)), parsed.node == node
            else {
                throw RenkeiError(.malformedMessage, "checkpoints/\(name) does not read as a signed checkpoint of \(node)")
            }
            checkpoints.append(AuditCheckpoint(size: parsed.size, root: parsed.root, chain: parsed.chain, at: parsed.at, signature: Array(signature)))
        }
        var stamps = [WitnessedCheckpoint]()
        for (number, line) in try lines("stamps.jsonl").enumerated() {
            guard let row = try? decoder.decode(StampLine.self, from: line), let root = bytes(fromHex: row.root),
                let chain = bytes(fromHex: row.chain),
                let signature = bytes(fromHex: row.signature),
                let response = FileManager.default.contents(atPath: directory.appendingPathComponent("stamps/\(row.serial).tsr").path)
            else {
                throw RenkeiError(.malformedMessage, "stamps.jsonl line \(number + 1) does not read as a stamp with its stamps/SERIAL.tsr")
            }
            var stamp = WitnessedCheckpoint()
            stamp.serial = row.serial
            stamp.stampedAt = row.stamped_at
            stamp.response = Array(response)
            stamp.checkpoint = SignedCheckpoint(node: node, size: row.size, root: root, chain: chain, at: row.checkpoint_at, signature: signature)
            stamps.append(stamp)
        }
        return Contents(node: node, entries: entries.sorted { $0.sequence < $1.sequence }, checkpoints: checkpoints, stamps: stamps)
    }

    /// The fields of a checkpoint's signed text ("renkei audit checkpoint v1", node, size, root, chain, at).
    struct SignedText {
        let node: String
        let size: Int
        let root: [UInt8]
        let chain: [UInt8]
        let at: Int64

        init?(_ text: String) {
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            guard lines.count >= 6, lines[0] == "renkei audit checkpoint v1", let size = Int(lines[2]), let root = bytes(fromHex: lines[3]),
                let chain = bytes(fromHex: lines[4]), let at = Int64(lines[5])
            else { return nil }
            self.node = lines[1]
            self.size = size
            self.root = root
            self.chain = chain
            self.at = at
        }
    }
}
