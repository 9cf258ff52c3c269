extension EnvironmentRegistry {
    /// Loads a `.json` environment file: a tabular MDP (``TabularEnvironment``) when it has
    /// `P` or `"type": "tabular"`, a bandit spec otherwise.
    /// - Returns: the environment and its one-line description.
    static func loadJSON(path: String) throws -> (environment: any Environment, description: String) {
        let text = try TabularEnvironment.readText(
            path: path, unreadable: InputError("cannot read the bandit spec or tabular MDP file \(path)"),
            notText: InputError("\(path) is not UTF-8 text"))
        var parser = JSONParser(text, file: path)
        let root = try parser.parse()
        if TabularEnvironment.isTabularFile(root) {
            let env = try TabularEnvironment(json: root, positions: parser.positions, file: path)
            return (env, env.summary)
        }
        let spec = try Bandit.parse(spec: text, file: path)
        return (spec.bandit, spec.description)
    }
}
