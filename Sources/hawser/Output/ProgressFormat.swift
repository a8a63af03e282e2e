import Foundation
import HawserCore

/// Numbers for people: sizes in binary units, short digests, percentages.
enum ProgressFormat {
    static func bytes(_ count: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(count)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(count) B" : String(format: "%.1f %@", value, units[unit])
    }

    static func shortDigest(_ digest: Digest) -> String {
        "\(digest.algorithm.rawValue):\(digest.encoded.prefix(12))"
    }

    static func percent(_ done: Int64, of total: Int64) -> String {
        // In Double: done * 100 would overflow for sizes near Int64.max.
        total > 0 ? "\(Int(min(100, max(0, Double(done) / Double(total) * 100))))%" : "0%"
    }
}
