import Foundation

/// A saved policy: its kind and shape, its parameters written losslessly, the environment
/// shape it was trained on, how far its run had got, and that run's header (the documentation's LogFormat article).
///
/// The file is one JSON object (format `pg-checkpoint`, ``formatVersion`` 1), laid out one key
/// per line and one row of parameters per line, so that a person can read it and an error
/// points at a line:
///
/// ```json
/// {"format":"pg-checkpoint","format_version":1,
/// "iteration":1000,"status":"completed",
/// "policy":{"kind":"tabular","states":16,"actions":4,"parameter_count":64},
/// "environment":{"id":"FrozenLake-v1-4x4","states":16,"actions":4,"features":16,"time_limit":100},
/// "run":{"type":"config","version":"0.3.0","command":"train",…},
/// "parameters":[
/// 0.0,-0.31640625,1.25,5e-324,
/// …
/// ]}
/// ```
///
/// Every parameter is written in Swift's shortest round-trip form (`Double.description`), so
/// it reads back bit for bit (−0.0 included). The layout of `parameters` is the policy's own:
/// tabular, row-major S × A (one state per line); linear, W row-major A × F (one action per
/// line) then b (one line); MLP, per layer its weights row-major `outputs × inputs` (one unit
/// per line) then its biases (one line). See ``read(path:)`` for what a reader checks.
public struct Checkpoint: Sendable {
    /// The `format` value of every checkpoint.
    public static let format = "pg-checkpoint"
    /// The `format_version` this pg writes and reads.
    public static let formatVersion = 1
    /// The largest checkpoint file read: 256 MiB (a tabular policy of about 10 million
    /// parameters; pg holds the parsed file in memory, several times its size).
    public static let maximumFileSize = 256 << 20
    /// The largest count of states, actions, features or units a checkpoint may declare.
    public static let maximumCount = 100_000_000
    /// The values of `status`: `running` for a checkpoint taken during the run, else the
    /// run's final status.
    public static let statuses = ["running", "completed", "interrupted", "diverged"]

    /// The shape of the environment a policy was trained on.
    public struct EnvironmentShape: Sendable, Equatable {
        /// The environment's id.
        public var id: String
        /// Number of states.
        public var states: Int
        /// Number of actions.
        public var actions: Int
        /// Length of the feature vector (``Environment/featureLength``).
        public var features: Int
        /// The time limit.
        public var timeLimit: Int

        /// The shape of `environment`.
        public init(_ environment: any Environment) {
            self.init(id: environment.id, states: environment.stateCount, actions: environment.actionCount,
                      features: environment.featureLength, timeLimit: environment.timeLimit)
        }

        /// A shape given field by field.
        public init(id: String, states: Int, actions: Int, features: Int, timeLimit: Int) {
            self.id = id
            self.states = states
            self.actions = actions
            self.features = features
            self.timeLimit = timeLimit
        }
    }

    /// The policy's family and, for an MLP, its hidden widths and activation.
    public var policy: PolicySpec
    /// The flat parameter vector φ.
    public var parameters: [Double]
    /// The environment the policy was trained on.
    public var environment: EnvironmentShape
    /// Updates its run had made when the checkpoint was taken.
    public var iteration: Int
    /// One of ``statuses``.
    public var status: String
    /// The `{"type":"config"}` line of the run it came from.
    public var run: JSONValue

    /// Creates a checkpoint.
    /// - Precondition: `parameters.count` is the parameter count of `policy` on `environment`,
    ///   and `status` is one of ``statuses``.
    public init(policy: PolicySpec, parameters: [Double], environment: EnvironmentShape, iteration: Int,
                status: String, run: JSONValue) {
        precondition(parameters.count == Self.parameterCount(policy, environment), "one parameter per entry of the policy")
        precondition(Self.statuses.contains(status), "unknown checkpoint status \(status)")
        self.policy = policy
        self.parameters = parameters
        self.environment = environment
        self.iteration = iteration
        self.status = status
        self.run = run
    }

    /// The number of parameters of `policy` on an environment of `shape`, or nil when it does
    /// not fit in an `Int`.
    /// - Complexity: O(number of layers).
    public static func parameterCount(_ policy: PolicySpec, _ shape: EnvironmentShape) -> Int? {
        let widths: [Int]
        switch policy.kind {
        case .tabular:
            let (n, overflow) = shape.states.multipliedReportingOverflow(by: shape.actions)
            return overflow ? nil : n
        case .linear: widths = [shape.features, shape.actions]
        case .mlp: widths = [shape.features] + policy.hidden + [shape.actions]
        }
        var total = 0
        for l in 1..<widths.count {
            let (w, o1) = widths[l].multipliedReportingOverflow(by: widths[l - 1] + 1)
            let (t, o2) = total.addingReportingOverflow(w)
            if o1 || o2 { return nil }
            total = t
        }
        return total
    }

    /// The checkpoint of a policy trained on `environment`.
    /// - Parameters:
    ///   - policy: the policy's spec (kind and MLP shape).
    ///   - parameters: its parameters.
    ///   - environment: the environment it was trained on.
    ///   - iteration: updates made so far.
    ///   - status: one of ``statuses``.
    ///   - run: the run's config line.
    public init(policy: PolicySpec, parameters: [Double], environment: any Environment, iteration: Int,
                status: String, run: JSONValue) {
        self.init(policy: policy, parameters: parameters, environment: EnvironmentShape(environment),
                  iteration: iteration, status: status, run: run)
    }

    // MARK: - Writing

    /// The file's text (see the type's documentation for the layout).
    /// - Precondition: every parameter is finite (JSON has no NaN or infinity).
    /// - Complexity: O(parameters).
    public var text: String {
        precondition(parameters.allSatisfy(\.isFinite), "a checkpoint holds finite parameters only")
        var s = "{\"format\":\"\(Self.format)\",\"format_version\":\(Self.formatVersion),\n"
        s += "\"iteration\":\(iteration),\"status\":" + JSONValue.string(status).text + ",\n"
        s += "\"policy\":" + policyJSON.text + ",\n"
        s += "\"environment\":" + environmentJSON.text + ",\n"
        s += "\"run\":" + run.text + ",\n"
        s += "\"parameters\":["
        var start = 0
        for length in rowLengths {
            s += "\n"
            for k in start..<(start + length) {
                s += parameters[k].description
                if k + 1 < parameters.count { s += "," }
            }
            start += length
        }
        return s + "\n]}\n"
    }

    /// Writes the file at `path`, never over an existing entry unless `replacing` (see
    /// ``OutputFile``: written beside it, synced, then moved into place).
    /// - Parameters:
    ///   - path: the destination.
    ///   - replacing: whether an existing regular file or symbolic link may be replaced.
    ///   - inputs: files that must never be replaced (the checkpoint a run started from).
    /// - Throws: ``InputError`` when the destination may not be used; ``OutputError`` when the
    ///   write fails.
    public func write(to path: String, replacing: Bool = false, protecting inputs: [String] = []) throws {
        try OutputFile.write(text, to: path, replacing: replacing, protecting: inputs)
    }

    /// The most bytes the file of a checkpoint of `policy` on `environment`, saved by the run
    /// of `run`, can take (see ``LogSize``): its keys and objects with every number at its
    /// widest, each parameter ``LogSize/numberWidth`` characters and a comma, one line break
    /// per row. Nil when the policy's parameter count does not fit an `Int`. No parameter is
    /// allocated.
    /// - Complexity: O(rows of the parameter layout).
    public static func sizeBound(policy: PolicySpec, environment: EnvironmentShape, run: JSONValue) -> Double? {
        guard let count = parameterCount(policy, environment) else { return nil }
        let rows: Double
        switch policy.kind {  // rowLengths(…).count, without building the array
        case .tabular: rows = Double(environment.states)
        case .linear: rows = Double(environment.actions) + 1
        case .mlp: rows = Double((policy.hidden + [environment.actions]).reduce(0) { $0 + $1 + 1 })
        }
        let head = "{\"format\":\"\(format)\",\"format_version\":\(formatVersion),\n\"iteration\":,\"status\":\"interrupted\",\n"
            + "\"policy\":,\n\"environment\":,\n\"run\":,\n\"parameters\":[\n]}\n"
        let objects = LogSize.bound(policyJSON(policy, environment, count: count)) + LogSize.bound(environmentJSON(environment))
            + LogSize.bound(run) + LogSize.numberWidth
        return Double(head.utf8.count + objects) + Double(count) * Double(LogSize.numberWidth + 1) + rows
    }

    /// The `policy` object.
    var policyJSON: JSONValue { Self.policyJSON(policy, environment, count: parameters.count) }

    /// The `policy` object of `policy` on `environment`, with `count` parameters.
    static func policyJSON(_ policy: PolicySpec, _ environment: EnvironmentShape, count: Int) -> JSONValue {
        var f: [(String, JSONValue)] = [("kind", .string(policy.kind.rawValue))]
        switch policy.kind {
        case .tabular: f.append(("states", .int(environment.states)))
        case .linear: f.append(("features", .int(environment.features)))
        case .mlp:
            f += [("features", .int(environment.features)), ("hidden", .array(policy.hidden.map { .int($0) })),
                  ("activation", .string(policy.activation.rawValue))]
        }
        return .object(f + [("actions", .int(environment.actions)), ("parameter_count", .int(count))])
    }

    /// The `environment` object.
    var environmentJSON: JSONValue { Self.environmentJSON(environment) }

    /// The `environment` object of `environment`.
    static func environmentJSON(_ environment: EnvironmentShape) -> JSONValue {
        .object([("id", .string(environment.id)), ("states", .int(environment.states)),
                 ("actions", .int(environment.actions)), ("features", .int(environment.features)),
                 ("time_limit", .int(environment.timeLimit))])
    }

    /// The lengths of the parameter rows written one per line (they sum to the count).
    var rowLengths: [Int] { Self.rowLengths(policy, environment) }

    /// The row lengths of `policy` on `environment` (see ``rowLengths``).
    static func rowLengths(_ policy: PolicySpec, _ environment: EnvironmentShape) -> [Int] {
        let a = environment.actions, f = environment.features
        switch policy.kind {
        case .tabular: return [Int](repeating: a, count: environment.states)
        case .linear: return [Int](repeating: f, count: a) + [a]
        case .mlp:
            let widths = [f] + policy.hidden + [a]
            return (1..<widths.count).flatMap { l in [Int](repeating: widths[l - 1], count: widths[l]) + [widths[l]] }
        }
    }

    // MARK: - Using

    /// The policy, for `environment`: a fresh policy of the checkpoint's kind and shape with the
    /// checkpoint's parameters, bit for bit.
    /// - Parameters:
    ///   - environment: where the policy will act.
    ///   - file: the checkpoint's path, for the error.
    /// - Returns: the policy.
    /// - Throws: ``InputError`` naming the file when the policy does not fit: another number of
    ///   actions, or of states (tabular) or features (linear, MLP).
    public func makePolicy(for environment: any Environment, file: String? = nil) throws -> any Policy {
        try checkFits(environment, file: file)
        var p = policy.make(for: environment, seed: 0)
        precondition(p.parameterCount == parameters.count, "a fitting shape has the checkpoint's parameter count")
        p.parameters = parameters
        return p
    }

    /// Throws unless the policy fits `environment` (see ``makePolicy(for:file:)``).
    /// - Throws: ``InputError`` naming both shapes.
    public func checkFits(_ environment: any Environment, file: String? = nil) throws {
        let e = EnvironmentShape(environment)
        let mine: String, theirs: String
        switch policy.kind {
        case .tabular:
            guard e.states != self.environment.states || e.actions != self.environment.actions else { return }
            mine = "\(self.environment.states) states x \(self.environment.actions) actions"
            theirs = "\(e.states) states x \(e.actions) actions"
        case .linear, .mlp:
            guard e.features != self.environment.features || e.actions != self.environment.actions else { return }
            mine = "\(self.environment.features) features x \(self.environment.actions) actions"
            theirs = "\(e.features) features x \(e.actions) actions"
        }
        throw InputError("the checkpoint's \(policy.kind.rawValue) policy (\(mine), trained on \(self.environment.id)) "
                         + "does not fit \(e.id) (\(theirs))", file: file)
    }
}
