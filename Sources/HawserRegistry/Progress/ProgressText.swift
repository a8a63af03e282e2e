import Foundation
import HawserCore

/// Numbers for people: sizes in binary units, short digests, percentages.
public enum ProgressText {
    public static func bytes(_ count: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(count)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(count) B" : String(format: "%.1f %@", value, units[unit])
    }

    public static func shortDigest(_ digest: Digest) -> String {
        "\(digest.algorithm.rawValue):\(digest.encoded.prefix(12))"
    }

    public static func percent(_ done: Int64, of total: Int64) -> String {
        // In Double: done * 100 would overflow for sizes near Int64.max.
        total > 0 ? "\(Int(min(100, max(0, Double(done) / Double(total) * 100))))%" : "0%"
    }

    /// "42 s", "3 min 05 s", "1 h 02 min": time left, to the second.
    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "?" }
        let total = Int(min(seconds.rounded(.up), 359_999))
        if total < 60 { return "\(total) s" }
        if total < 3600 { return "\(total / 60) min \(String(format: "%02d", total % 60)) s" }
        return "\(total / 3600) h \(String(format: "%02d", total % 3600 / 60)) min"
    }
}
