import Crypto
import Foundation
import HummingbirdBcrypt
import NIOPosix
import Synchronization

/// Basic-auth users for the mirror's clients, from an htpasswd file (as
/// `htpasswd -B` writes it). Only bcrypt entries are accepted: the file is
/// refused, line by line, when it holds MD5, SHA-1, crypt or plain passwords.
public struct Htpasswd: Sendable {
    let hashes: [String: String]
    /// Pairs already checked: bcrypt costs tens of milliseconds by design, and a
    /// pull sends a request per blob. Keyed by a SHA-256 of user and password, so
    /// no password is kept; bounded.
    private let verified = VerifiedCache()

    public var users: [String] { hashes.keys.sorted() }

    public init(path: String) throws(HtpasswdError) {
        guard let data = FileManager.default.contents(atPath: path), data.count <= 1 << 20,
              let text = String(data: data, encoding: .utf8) else {
            throw HtpasswdError(path: path, line: nil, reason: "cannot read the file (or it is larger than 1 MiB, or not UTF-8)")
        }
        try self.init(text: text, path: path)
    }

    public init(text: String, path: String = "htpasswd") throws(HtpasswdError) {
        var hashes: [String: String] = [:]
        for (offset, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let colon = line.firstIndex(of: ":") else {
                throw HtpasswdError(path: path, line: offset + 1, reason: "expected user:hash")
            }
            let user = String(line[..<colon])
            let hash = String(line[line.index(after: colon)...])
            guard !user.isEmpty else { throw HtpasswdError(path: path, line: offset + 1, reason: "the user name is empty") }
            guard Self.isBcrypt(hash) else {
                throw HtpasswdError(path: path, line: offset + 1,
                                    reason: "the password of '\(user)' is not a bcrypt hash; only bcrypt is accepted (write the file with htpasswd -B)")
            }
            // `htpasswd -B` writes $2y$ (PHP's name for the corrected algorithm); the
            // bcrypt used here knows it as $2b$, the same algorithm and output.
            hashes[user] = hash.hasPrefix("$2y$") ? "$2b$" + hash.dropFirst(4) : hash
        }
        guard !hashes.isEmpty else { throw HtpasswdError(path: path, line: nil, reason: "the file names no user") }
        self.hashes = hashes
    }

    /// `$2a$`, `$2b$` or `$2y$`, a two-digit cost, then 53 characters of bcrypt's base64.
    static func isBcrypt(_ hash: String) -> Bool {
        let bytes = Array(hash.utf8)
        guard bytes.count == 60, bytes[0] == UInt8(ascii: "$"), bytes[1] == UInt8(ascii: "2"),
              [UInt8(ascii: "a"), UInt8(ascii: "b"), UInt8(ascii: "y")].contains(bytes[2]), bytes[3] == UInt8(ascii: "$"),
              bytes[6] == UInt8(ascii: "$"), let cost = Int(String(decoding: bytes[4...5], as: UTF8.self)), (4...31).contains(cost) else {
            return false
        }
        let alphabet = Set("./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)
        return bytes[7...].allSatisfy { alphabet.contains($0) }
    }

    /// Whether an `Authorization` header value carries a user and password of this file.
    public func authenticate(_ header: String?) async -> String? {
        guard let header, header.count <= 4096 else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "basic",
              let decoded = Data(base64Encoded: String(parts[1]).trimmingCharacters(in: .whitespaces)),
              let text = String(data: decoded, encoding: .utf8), let colon = text.firstIndex(of: ":") else { return nil }
        let user = String(text[..<colon])
        let password = String(text[text.index(after: colon)...])
        guard let hash = hashes[user], !password.contains("\0") else { return nil }
        let key = Data(SHA256.hash(data: Data("\(user)\0\(password)\0\(hash)".utf8)))
        if verified.contains(key) { return user }
        // Off the request's executor: bcrypt is slow on purpose.
        let matches = (try? await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }) ?? false
        guard matches else { return nil }
        verified.insert(key)
        return user
    }

    final class VerifiedCache: Sendable {
        private let keys = Mutex<Set<Data>>([])
        func contains(_ key: Data) -> Bool { keys.withLock { $0.contains(key) } }
        func insert(_ key: Data) {
            keys.withLock { keys in
                if keys.count >= 1024 { keys.removeAll() }
                keys.insert(key)
            }
        }
    }
}

public struct HtpasswdError: Error, Sendable, CustomStringConvertible {
    public let path: String
    public let line: Int?
    public let reason: String
    public var description: String { "\(path)\(line.map { ":\($0)" } ?? ""): \(reason) [serve.htpasswd]" }
}
