using EdgeFace.Runtime;

namespace EdgeFace.Trainer.Data;

/// <summary>
/// An offline-signature dataset in the SigComp2011 layout: <c>ROOT/&lt;writer&gt;/genuine/*.png</c>,
/// <c>ROOT/&lt;writer&gt;/forged/*.png</c> (skilled forgeries of that writer) and an optional
/// <c>ROOT/splits.csv</c> (<c>writer_id,split</c>). <see cref="Samples"/> holds every image; a writer's label
/// indexes <see cref="Identities"/>. <see cref="SamplesOf"/> gives the genuine signatures (what a writer "is") and
/// <see cref="ForgeriesOf"/> the skilled forgeries aimed at that writer, which the engine uses as hard negatives.
/// Immutable and thread-safe; pixels are decoded by an <see cref="SampleLoader"/> (with the signature cleanup plugged in).
/// </summary>
public sealed class SignatureDataset : ILabeledDataset
{
    public const string SplitsFileName = "splits.csv";

    private readonly int[][] _genuine;
    private readonly int[][] _forged;

    private SignatureDataset(string root, string? split, string[] writers, DatasetSample[] samples, int[][] genuine, int[][] forged)
    {
        Root = root;
        Split = split;
        Identities = writers;
        Samples = samples;
        _genuine = genuine;
        _forged = forged;
    }

    public string Root { get; }

    /// <summary>The splits.csv split this dataset was limited to, or null for all writers.</summary>
    public string? Split { get; }

    /// <summary>Writer ids (folder names), in natural order.</summary>
    public IReadOnlyList<string> Identities { get; }

    /// <summary>All images: each writer's genuine signatures, then that writer's forgeries.</summary>
    public IReadOnlyList<DatasetSample> Samples { get; }

    /// <summary>Indices of the writer's genuine signatures.</summary>
    public IReadOnlyList<int> SamplesOf(int label) => _genuine[label];

    /// <summary>Indices of the skilled forgeries of the writer's signature (may be empty).</summary>
    public IReadOnlyList<int> ForgeriesOf(int label) => _forged[label];

    public int GenuineCount => _genuine.Sum(g => g.Length);
    public int ForgeryCount => _forged.Sum(f => f.Length);

    /// <summary>
    /// Lists the dataset, optionally limited to the writers that <c>splits.csv</c> puts in <paramref name="split"/>
    /// (e.g. "train", "val") and further by <paramref name="writers"/>.
    /// </summary>
    /// <exception cref="EdgeFaceException">Missing root or splits file, a writer without genuine signatures, an unknown split, or nothing selected.</exception>
    public static SignatureDataset Open(string root, string? split = null, IdentitySelection? writers = null)
    {
        writers ??= IdentitySelection.All;
        var full = Path.GetFullPath(root);
        if (!Directory.Exists(full)) throw new EdgeFaceException($"signature dataset folder not found: {full}");

        var all = Directory.EnumerateDirectories(full)
            .Select(Path.GetFileName).OfType<string>()
            .Where(n => !n.StartsWith('.'))
            .Order(NaturalStringComparer.Instance)
            .ToArray();
        if (all.Length == 0)
            throw new EdgeFaceException($"empty dataset: {full} has no writer folders (expected {full}/<writer>/genuine/*.png)");

        IEnumerable<string> candidates = all;
        if (split is not null)
        {
            var splits = ReadSplits(full);
            var inSplit = splits.Where(p => p.Value == split).Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
            if (inSplit.Count == 0)
                throw new EdgeFaceException($"no writer is in split '{split}' in {Path.Combine(full, SplitsFileName)} (it has: {string.Join(", ", splits.Values.Distinct().Order())})");
            var missing = inSplit.Where(w => !all.Contains(w)).Order(NaturalStringComparer.Instance).FirstOrDefault();
            if (missing is not null) throw new EdgeFaceException($"{SplitsFileName} lists writer {missing} in split '{split}' but {Path.Combine(full, missing)} does not exist");
            candidates = all.Where(inSplit.Contains);
        }
        var chosen = writers.Apply(candidates.ToArray(), full);
        if (chosen.Count == 0) throw new EdgeFaceException($"writer selection '{writers}' leaves no writers in {full}");

        var samples = new List<DatasetSample>();
        var genuine = new int[chosen.Count][];
        var forged = new int[chosen.Count][];
        for (var label = 0; label < chosen.Count; label++)
        {
            var writerDir = Path.Combine(full, chosen[label]);
            var genuineDir = Path.Combine(writerDir, "genuine");
            var g = Directory.Exists(genuineDir) ? FolderDataset.ListImages(genuineDir) : [];
            if (g.Length == 0) throw new EdgeFaceException($"writer {chosen[label]} has no genuine signatures in {genuineDir}");
            var forgedDir = Path.Combine(writerDir, "forged");
            var f = Directory.Exists(forgedDir) ? FolderDataset.ListImages(forgedDir) : [];

            genuine[label] = Enumerable.Range(samples.Count, g.Length).ToArray();
            samples.AddRange(g.Select(p => new DatasetSample(p, label)));
            forged[label] = Enumerable.Range(samples.Count, f.Length).ToArray();
            samples.AddRange(f.Select(p => new DatasetSample(p, label, IsForgery: true)));
        }
        return new SignatureDataset(full, split, chosen.ToArray(), samples.ToArray(), genuine, forged);
    }

    /// <summary>writer_id → split from ROOT/splits.csv.</summary>
    public static IReadOnlyDictionary<string, string> ReadSplits(string root)
    {
        var path = Path.Combine(root, SplitsFileName);
        if (!File.Exists(path)) throw new EdgeFaceException($"splits file not found: {path}");
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0 || lines[0].Trim() != "writer_id,split")
            throw new EdgeFaceException($"{path}: expected the header 'writer_id,split'");
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i < lines.Length; i++)
        {
            if (lines[i].Trim().Length == 0) continue;
            var cells = lines[i].Split(',');
            if (cells.Length != 2 || cells[0].Trim().Length == 0 || cells[1].Trim().Length == 0)
                throw new EdgeFaceException($"{path} line {i + 1}: expected 'writer_id,split', got '{lines[i]}'");
            if (!result.TryAdd(cells[0].Trim(), cells[1].Trim()))
                throw new EdgeFaceException($"{path} line {i + 1}: writer {cells[0].Trim()} is listed twice");
        }
        return result;
    }
}
