import PolicyGradient

extension CompareFile {
    /// The shard indices of the sweep that no file in `files` holds, ascending: what to rerun
    /// (`--shard i/n`, or the Slurm task `sbatch --array=i`) before merging again. Empty when a
    /// file is itself a merge (it does not say which shards it holds) or when nothing is missing.
    /// - Complexity: O(files + shard count).
    static func missingShards(_ files: [CompareFile]) -> [Int] {
        guard let count = files.first?.shard.count, !files.contains(where: { $0.config["shard_index"] == .null }) else {
            return []
        }
        let present = Set(files.map(\.shard.index))
        return (0..<count).filter { !present.contains($0) }
    }
}
