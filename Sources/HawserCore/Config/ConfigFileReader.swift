import Foundation

/// Reads a configuration file, refusing one larger than a limit without
/// reading past it (a path to a device or a huge file costs nothing).
enum ConfigFileReader {
    enum Failure: Error {
        case unreadable
        case tooLarge
    }

    static func read(_ path: String, limit: Int) throws(Failure) -> Data {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw .unreadable }
        defer { try? handle.close() }
        let data: Data
        do { data = try handle.read(upToCount: limit + 1) ?? Data() } catch { throw .unreadable }
        guard data.count <= limit else { throw .tooLarge }
        return data
    }
}
