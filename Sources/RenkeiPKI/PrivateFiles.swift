public import Foundation
public import RenkeiCore

/// Files that hold keys or personal data: readable by their owner only, from the first byte.
public enum PrivateFiles {
    /// Creates the directory (and its parents) and makes it 0700, also when it already existed.
    public static func directory(_ url: URL) throws(RenkeiError) {
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw RenkeiError(.invalidConfiguration, "cannot create \(url.path): \(error.localizedDescription)")
        }
        guard chmod(url.path, 0o700) == 0 else {
            throw RenkeiError(.invalidConfiguration, "cannot make \(url.path) private (mode 0700): \(String(cString: strerror(errno)))")
        }
    }

    /// Writes `bytes` to `url` atomically with `mode`: the file is created with that mode (never
    /// wider, even for an instant), written and synced under a temporary name, then renamed.
    public static func save(_ bytes: [UInt8], to url: URL, mode: mode_t = 0o600) throws(RenkeiError) {
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp").path
        _ = unlink(temporary)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw failure("create", temporary) }
        var written = 0
        while written < bytes.count {
            let result = bytes[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            guard result > 0 else {
                close(descriptor)
                _ = unlink(temporary)
                throw failure("write", temporary)
            }
            written += result
        }
        // The mode asked for, whatever the umask took away or left.
        guard fchmod(descriptor, mode) == 0, fsync(descriptor) == 0, close(descriptor) == 0 else {
            _ = unlink(temporary)
            throw failure("sync", temporary)
        }
        guard rename(temporary, url.path) == 0 else {
            _ = unlink(temporary)
            throw failure("rename into place", url.path)
        }
    }

    private static func failure(_ what: String, _ path: String) -> RenkeiError {
        RenkeiError(.invalidConfiguration, "cannot \(what) \(path): \(String(cString: strerror(errno)))")
    }
}
