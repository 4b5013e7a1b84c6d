import Crypto
import Foundation

/// The Merkle tree of RFC 6962 / RFC 9162 over an append-only log: leaf hash
/// SHA-256(0x00 ‖ data), interior hash SHA-256(0x01 ‖ left ‖ right).
public enum MerkleTree {
    public static func leafHash(_ data: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: [0x00])
        hasher.update(data: data)
        return Array(hasher.finalize())
    }

    public static func nodeHash(_ left: [UInt8], _ right: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: [0x01])
        hasher.update(data: left)
        hasher.update(data: right)
        return Array(hasher.finalize())
    }

    /// The root of a whole tree (MTH of RFC 6962 §2.1), from its leaf hashes.
    public static func root(_ leaves: ArraySlice<[UInt8]>) -> [UInt8] {
        var frontier = Frontier()
        for leaf in leaves { frontier.append(leaf) }
        return frontier.root
    }

    /// The audit path of leaf `index` in the tree of `leaves` (PATH of RFC 6962 §2.1.1).
    public static func inclusionProof(index: Int, leaves: ArraySlice<[UInt8]>) -> [[UInt8]] {
        let count = leaves.count
        guard count > 1 else { return [] }
        let split = largestPowerOfTwo(below: count)
        let start = leaves.startIndex
        if index < split {
            return inclusionProof(index: index, leaves: leaves[start..<start + split]) + [root(leaves[(start + split)...])]
        }
        return inclusionProof(index: index - split, leaves: leaves[(start + split)...]) + [root(leaves[start..<start + split])]
    }

    /// Verifies an audit path (RFC 9162 §2.1.3.2).
    public static func verifyInclusion(leaf: [UInt8], index: Int, size: Int, proof: [[UInt8]], root: [UInt8]) -> Bool {
        guard index < size else { return false }
        var fn = index
        var sn = size - 1
        var hash = leaf
        for sibling in proof {
            guard sn != 0 else { return false }
            if fn & 1 == 1 || fn == sn {
                hash = nodeHash(sibling, hash)
                if fn & 1 == 0 {
                    repeat {
                        fn >>= 1
                        sn >>= 1
                    } while fn & 1 == 0 && fn != 0
                }
            } else {
                hash = nodeHash(hash, sibling)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 && hash == root
    }

    static func largestPowerOfTwo(below count: Int) -> Int {
        var split = 1
        while split << 1 < count { split <<= 1 }
        return split
    }

    /// The perfect subtrees along the right edge of a growing tree: appending is O(log n),
    /// and so is the root, however long the log.
    public struct Frontier: Sendable, Equatable {
        /// (height, hash) from left to right, heights strictly decreasing.
        public private(set) var nodes: [(height: Int, hash: [UInt8])] = []
        public private(set) var size = 0

        public init() {}

        public mutating func append(_ leaf: [UInt8]) {
            nodes.append((0, leaf))
            size += 1
            while nodes.count >= 2, nodes[nodes.count - 1].height == nodes[nodes.count - 2].height {
                let right = nodes.removeLast()
                let left = nodes.removeLast()
                nodes.append((left.height + 1, MerkleTree.nodeHash(left.hash, right.hash)))
            }
        }

        /// The root hash; SHA-256 of nothing for the empty tree.
        public var root: [UInt8] {
            guard var hash = nodes.last?.hash else { return Array(SHA256.hash(data: [UInt8]())) }
            for node in nodes.dropLast().reversed() { hash = MerkleTree.nodeHash(node.hash, hash) }
            return hash
        }

        /// A compact serialisation: size, then each node's height and hash.
        public var serialized: [UInt8] {
            var bytes = withUnsafeBytes(of: UInt64(size).bigEndian, Array.init)
            for node in nodes { bytes += [UInt8(node.height)] + node.hash }
            return bytes
        }

        /// Reads a serialised frontier, or nil when the bytes are not one: the size must fit,
        /// and the heights must be the binary digits of the size, highest first (what `append`
        /// makes), so that a damaged or forged checkpoint cannot make a tree that traps later.
        public init?(serialized bytes: [UInt8]) {
            guard bytes.count >= 8, (bytes.count - 8) % 33 == 0, bytes.count <= 8 + 64 * 33 else { return nil }
            let stored = bytes[0..<8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            guard stored <= UInt64(Int64.max) else { return nil }
            size = Int(stored)
            var offset = 8
            var covered = 0
            var previous = Int.max
            while offset < bytes.count {
                let height = Int(bytes[offset])
                guard height < 63, height < previous else { return nil }
                covered += 1 << height
                previous = height
                nodes.append((height, Array(bytes[offset + 1..<offset + 33])))
                offset += 33
            }
            guard covered == size else { return nil }
        }

        public static func == (a: Frontier, b: Frontier) -> Bool {
            a.size == b.size && a.nodes.map(\.hash) == b.nodes.map(\.hash)
        }
    }
}
