import Testing
@testable import HawserCore

/// The image lists of `hawser sync`: k3s-images.txt lines and the YAML form,
/// validated whole, every error with its line.
@Suite("sync image lists")
struct SyncListTests {
    @Test("k3s-images.txt lines: comments and blank lines skipped, each image with its line")
    func textLines() throws {
        let list = try SyncList.parse("""
        # K3s airgap images
        docker.io/rancher/mirrored-pause:3.6

        docker.io/rancher/klipper-helm:v0.9.3-build20241008\r
          nginx:1.27
        """, file: "k3s-images.txt")
        #expect(list.entries.map(\.image.description) == [
            "docker.io/rancher/mirrored-pause:3.6", "docker.io/rancher/klipper-helm:v0.9.3-build20241008", "docker.io/library/nginx:1.27",
        ])
        #expect(list.entries.map(\.line) == [2, 4, 5])
    }

    @Test("a bad line is an error naming its line; an empty list is an error")
    func badLine() {
        #expect { try SyncList.parse("nginx:1.27\n\nInvalid Name:x\n", file: "images.txt") } throws: { error in
            let config = error as? ConfigError
            return config?.code == .invalidImageList && config?.location?.line == 3
        }
        #expect { try SyncList.parse("# nothing\n\n", file: "images.txt") } throws: { ($0 as? ConfigError)?.code == .invalidImageList }
    }

    @Test("YAML: references and mappings with platforms and a target, each with its line")
    func yaml() throws {
        let list = try SyncList.parse("""
        # images for the mirror
        - docker.io/library/nginx:1.27
        - image: ghcr.io/team/app:v2
          platforms: [linux/amd64, linux/arm64/v8]
          target: team/app:stable
        - image: quay.io/x/y@sha256:\(String(repeating: "b", count: 64))
          platforms: linux/arm64
        """, file: "images.yaml")
        #expect(list.entries.count == 3)
        #expect(list.entries.map(\.line) == [2, 3, 6])
        #expect(list.entries[1].platforms == [Platform(os: "linux", architecture: "amd64"), Platform(os: "linux", architecture: "arm64", variant: "v8")])
        #expect(list.entries[1].target == "team/app:stable")
        #expect(list.entries[2].platforms == [Platform(os: "linux", architecture: "arm64")])
        #expect(list.entries[2].image.digest != nil)
    }

    @Test("YAML errors name the line: an unknown key, a bad platform, a missing image, a bad reference", arguments: [
        ("- nginx:1\n- image: nginx:2\n  tags: [a]\n", 3),
        ("- nginx:1\n- image: nginx:2\n  platforms: [linux]\n", 3),
        ("- nginx:1\n- platforms: [linux/amd64]\n", 2),
        ("- nginx:1\n- nginx:2\n- image: team/UPPER\n", 3),
    ])
    func yamlErrors(text: String, line: Int) {
        #expect { try SyncList.parse(text, file: "images.yaml") } throws: { error in
            let config = error as? ConfigError
            return config?.code == .invalidImageList && config?.location?.line == line
        }
    }
}
