extension LearningCurvePlot {
    /// The most points of a curve joined across records without its metric for which every
    /// point is marked with a small circle.
    public static let markerLimit = 100

    /// A curve at its own cadence: the points where the metric was measured, smoothed and
    /// thinned, ready to draw as one line.
    ///
    /// A record without the metric (JSON `null`: exact J between its budgeted evaluations, or a
    /// value that was not finite) is not a point of the curve, so the line joins its neighbours
    /// instead of breaking into isolated dots. How it is honest about that: ``joinsGaps`` says
    /// whether any point was skipped between the first and the last measured one, the figure's
    /// panel title then says on how many updates the metric was measured, and a sparse curve
    /// (at most ``markerLimit`` points) marks every measured point.
    struct Trace {
        /// The iterations drawn.
        var x: [Double]
        /// The (smoothed) values drawn.
        var y: [Double]
        /// The (smoothed) band half-widths, where the input had a band.
        var band: [Double]?
        /// The number of measured points before thinning.
        var measured: Int
        /// Whether records without the metric lie between measured ones.
        var joinsGaps: Bool

        /// Whether every point should be marked: the line joins gaps and has few points.
        var needsMarkers: Bool { joinsGaps && measured <= LearningCurvePlot.markerLimit }

        /// The trace of values `y` (NaN where not measured) at iterations `x`, with an optional
        /// band, smoothed over `smoothing` iterations.
        /// - Precondition: `x`, `y` and `band` have the same count; `smoothing >= 1`.
        init(x allX: [Double], y allY: [Double], band allBand: [Double]?, smoothing: Int) {
            precondition(allX.count == allY.count && (allBand == nil || allBand!.count == allY.count),
                         "one value per iteration")
            let kept = allY.indices.filter { allY[$0].isFinite && allX[$0].isFinite }
            measured = kept.count
            joinsGaps = kept.count >= 2 && kept.last! - kept.first! + 1 > kept.count
            let x = kept.map { allX[$0] }
            let y = LearningCurvePlot.movingAverage(x: x, y: kept.map { allY[$0] }, window: smoothing)
            let band = allBand.map { b in LearningCurvePlot.movingAverage(x: x, y: kept.map { b[$0] }, window: smoothing) }
            let points = LearningCurvePlot.thinned(Array(x.indices))
            self.x = points.map { x[$0] }
            self.y = points.map { y[$0] }
            self.band = band.map { b in points.map { b[$0] } }
        }
    }
}
