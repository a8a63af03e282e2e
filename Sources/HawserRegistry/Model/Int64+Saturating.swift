extension Int64 {
    /// `self + other`, held at `.max` / `.min` instead of trapping: for totals
    /// shown to people (progress), where sizes come from the network.
    public func saturatingAdding(_ other: Int64) -> Int64 {
        let (sum, overflow) = addingReportingOverflow(other)
        guard overflow else { return sum }
        return other > 0 ? .max : .min
    }
}
