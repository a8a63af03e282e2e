import Foundation
import Testing
@testable import HawserCore
@testable import HawserDoctor

/// Go's own words in the texts Hawser attributes to containerd.
@Suite("Go's texts")
struct GoTextTests {
    func fixture(_ name: String) throws -> String {
        try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil)).path
    }

    @Test("a DNS failure names the first nameserver of resolv.conf, as Go does") func nameserver() throws {
        #expect(GoNameserver.first(resolvConf: try fixture("resolv.conf")) == "10.96.0.10:53")
        #expect(GoNameserver.first(resolvConf: try fixture("resolv-v6.conf")) == "[fd00::53]:53")
        #expect(GoNameserver.first(resolvConf: "/nonexistent/resolv.conf") == "127.0.0.1:53")
    }

    @Test("a refused connection names the address dialled, IPv6 in brackets") func dialled() {
        #expect(ConnectionProber.goAddress("127.0.0.1", port: 443) == "127.0.0.1:443")
        #expect(ConnectionProber.goAddress("::1", port: 5000) == "[::1]:5000")
    }

    @Test("status lines as net/http prints them") func statusLines() {
        #expect(GoStatus.line(403) == "403 Forbidden")
        #expect(GoStatus.line(503) == "503 Service Unavailable")
        #expect(GoStatus.line(599) == "599 status code 599")
    }
}
