@testable import HawserRegistry
import Testing
import HawserTestSupport

@Suite("WWW-Authenticate parsing")
struct AuthChallengeTests {
    @Test func bearerWithQuotedParameters() {
        let challenges = AuthChallenge.parse(#"Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:a/b:pull,push""#)
        #expect(challenges.count == 1)
        #expect(challenges.first?.scheme == .bearer)
        #expect(challenges.first?.realm == "https://auth.example.com/token")
        #expect(challenges.first?.service == "registry.example.com")
        #expect(challenges.first?.scopes == ["repository:a/b:pull,push"])
    }

    @Test func severalChallengesInOneHeader() {
        let challenges = AuthChallenge.parse(#"Basic realm="Harbor", Bearer realm="https://h/service/token",service="harbor-registry""#)
        #expect(challenges.map(\.scheme) == [.basic, .bearer])
        #expect(challenges.last?.service == "harbor-registry")
    }

    @Test func escapesAndUnquotedValues() {
        let challenges = AuthChallenge.parse(#"Bearer realm=https://x/token, service="a \"b\"""#)
        #expect(challenges.first?.realm == "https://x/token")
        #expect(challenges.first?.service == #"a "b""#)
    }

    @Test func retryAfterSecondsAndDates() {
        #expect(RetryTransport.retryAfter("3") == .seconds(3))
        #expect(RetryTransport.retryAfter(nil) == nil)
        #expect(RetryTransport.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT") == .milliseconds(0))
    }
}
