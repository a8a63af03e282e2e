import Foundation
@testable import HawserServe
import HummingbirdBcrypt
import Testing

@Suite("serve: htpasswd")
struct HtpasswdTests {
    @Test("bcrypt entries authenticate; wrong passwords, unknown users and other schemes do not")
    func bcrypt() async throws {
        let hash = Bcrypt.hash("s3cret", cost: 4)
        let users = try Htpasswd(text: "# users\nalice:\(hash)\n")
        func basic(_ text: String) -> String { "Basic " + Data(text.utf8).base64EncodedString() }
        #expect(await users.authenticate(basic("alice:s3cret")) == "alice")
        // Twice: the second answer comes from the cache of verified pairs, and must agree.
        #expect(await users.authenticate(basic("alice:s3cret")) == "alice")
        #expect(await users.authenticate(basic("alice:wrong")) == nil)
        #expect(await users.authenticate(basic("bob:s3cret")) == nil)
        #expect(await users.authenticate("Bearer abc") == nil)
        #expect(await users.authenticate("Basic !!!") == nil)
        #expect(await users.authenticate(nil) == nil)
    }

    @Test("$2y$ entries, as htpasswd -B writes them, authenticate")
    func htpasswdTool() async throws {
        // Written by `htpasswd -Bbc FILE node node-pass` (apache2-utils).
        let users = try Htpasswd(text: "node:$2y$05$s6qXnO65fOQSFHl5TLOGte25TQ/Zv4madwXB/TLZNr.kldYZ5qOb6\n")
        #expect(await users.authenticate("Basic " + Data("node:node-pass".utf8).base64EncodedString()) == "node")
        #expect(await users.authenticate("Basic " + Data("node:node-pasS".utf8).base64EncodedString()) == nil)
    }

    @Test("MD5, SHA-1, crypt and plain entries are refused with the line")
    func otherSchemes() {
        for line in ["bob:$apr1$abcdefgh$0123456789abcdefghijkl", "bob:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=", "bob:plain", "bob:abCD12efGH34.", "nocolon"] {
            #expect(throws: HtpasswdError.self, "\(line)") { try Htpasswd(text: "\(line)\n") }
        }
        #expect(throws: HtpasswdError.self) { try Htpasswd(text: "# nobody\n") }
    }
}
