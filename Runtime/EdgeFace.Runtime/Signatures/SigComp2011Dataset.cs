using System.Globalization;
using System.Text.RegularExpressions;

namespace EdgeFace.Runtime.Signatures;

/// <summary>
/// Reads the Dutch offline part of ICDAR 2011 SigComp as laid out in <c>shared/data/signatures/sigcomp2011</c>:
/// <c>NNN/genuine/*.png</c> named <c>NNN_KK</c> or <c>KK_NNN</c>, <c>NNN/forged/*.png</c> named <c>FFFFNNN_KK</c> or
/// <c>KK_FFFFNNN</c> (FFFF the forger), and <c>splits.csv</c> (<c>writer_id,split</c>). Some writer ids do not exist.
/// Only paths are read here; images are loaded when cleaned.
/// </summary>
public sealed partial class SigComp2011Dataset
{
    public const string Name = "sigcomp2011";

    private SigComp2011Dataset(string root, IReadOnlyList<SignatureWriter> writers)
    {
        Root = root;
        Writers = writers;
    }

    public string Root { get; }

    /// <summary>All writers, ascending by id.</summary>
    public IReadOnlyList<SignatureWriter> Writers { get; }

    /// <summary>The default location: <c>shared/data/signatures/sigcomp2011</c>.</summary>
    public static string DefaultRoot => SharedData.Data("signatures", Name);

    /// <summary>Reads the folder, throwing <see cref="EdgeFaceException"/> naming any file or folder that breaks the layout.</summary>
    public static SigComp2011Dataset Open(string? root = null)
    {
        root ??= DefaultRoot;
        if (!Directory.Exists(root)) throw new EdgeFaceException($"signature dataset folder not found: {root}");
        var splits = ReadSplits(Path.Combine(root, "splits.csv"));
        var writers = new List<SignatureWriter>();
        foreach (var dir in Directory.GetDirectories(root).Order(StringComparer.Ordinal))
        {
            var folder = Path.GetFileName(dir);
            if (!WriterFolder().IsMatch(folder)) continue;
            var id = int.Parse(folder, CultureInfo.InvariantCulture);
            var genuine = ReadSamples(Path.Combine(dir, "genuine"), id, genuine: true);
            var forged = ReadSamples(Path.Combine(dir, "forged"), id, genuine: false);
            if (genuine.Count == 0) throw new EdgeFaceException($"{dir}: writer has no genuine signatures");
            writers.Add(new SignatureWriter(id, splits.GetValueOrDefault(id, "unassigned"), genuine, forged));
        }
        if (writers.Count == 0) throw new EdgeFaceException($"{root} holds no writer folders (expected NNN/genuine/*.png)");
        return new SigComp2011Dataset(Path.GetFullPath(root), writers);
    }

    /// <summary>The writers named by <paramref name="selection"/>, ascending.</summary>
    public IReadOnlyList<SignatureWriter> Select(WriterSelection selection)
    {
        var ids = selection.Resolve(Writers.Select(w => w.Id).ToList(), Name);
        return Writers.Where(w => ids.Contains(w.Id)).ToList();
    }

    /// <summary>The writers of one split ("train" or "val").</summary>
    public IReadOnlyList<SignatureWriter> Split(string split)
    {
        var writers = Writers.Where(w => w.Split == split).ToList();
        return writers.Count > 0 ? writers : throw new EdgeFaceException($"{Name} has no writers in split '{split}'");
    }

    private static Dictionary<int, string> ReadSplits(string path)
    {
        var splits = new Dictionary<int, string>();
        if (!File.Exists(path)) return splits;
        var lines = File.ReadAllLines(path);
        for (var i = 1; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i])) continue;
            var cells = lines[i].Split(',');
            if (cells.Length != 2 || !int.TryParse(cells[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                throw new EdgeFaceException($"{path}:{i + 1}: expected 'writer_id,split', got '{lines[i]}'");
            splits[id] = cells[1].Trim();
        }
        return splits;
    }

    private static List<SignatureSample> ReadSamples(string dir, int writer, bool genuine)
    {
        if (!Directory.Exists(dir)) return [];
        var samples = new List<SignatureSample>();
        foreach (var path in Directory.GetFiles(dir, "*.png").Order(StringComparer.Ordinal))
        {
            var stem = Path.GetFileNameWithoutExtension(path);
            var sample = genuine ? ParseGenuine(stem, path) : ParseForged(stem, path);
            if (sample.Writer != writer)
                throw new EdgeFaceException($"{path}: file name says writer {sample.Writer:000} but it is in folder {writer:000}");
            samples.Add(sample);
        }
        return samples;
    }

    private static SignatureSample ParseGenuine(string stem, string path)
    {
        var m = GenuineName().Match(stem);
        if (!m.Success) throw new EdgeFaceException($"{path}: not a genuine signature name (expected NNN_KK or KK_NNN)");
        var writer = m.Groups["w1"].Success ? m.Groups["w1"].Value : m.Groups["w2"].Value;
        var index = m.Groups["k1"].Success ? m.Groups["k1"].Value : m.Groups["k2"].Value;
        return new SignatureSample(Int(writer), true, null, Int(index), path);
    }

    private static SignatureSample ParseForged(string stem, string path)
    {
        var m = ForgedName().Match(stem);
        if (!m.Success) throw new EdgeFaceException($"{path}: not a forgery name (expected FFFFNNN_KK or KK_FFFFNNN)");
        var forger = m.Groups["f1"].Success ? m.Groups["f1"].Value : m.Groups["f2"].Value;
        var writer = m.Groups["w1"].Success ? m.Groups["w1"].Value : m.Groups["w2"].Value;
        var index = m.Groups["k1"].Success ? m.Groups["k1"].Value : m.Groups["k2"].Value;
        return new SignatureSample(Int(writer), false, Int(forger), Int(index), path);
    }

    private static int Int(string s) => int.Parse(s, NumberStyles.None, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^\d{3}$")]
    private static partial Regex WriterFolder();

    [GeneratedRegex(@"^(?:(?<w1>\d{3})_(?<k1>\d{2})|(?<k2>\d{2})_(?<w2>\d{3}))$")]
    private static partial Regex GenuineName();

    [GeneratedRegex(@"^(?:(?<f1>\d{4})(?<w1>\d{3})_(?<k1>\d{2})|(?<k2>\d{2})_(?<f2>\d{4})(?<w2>\d{3}))$")]
    private static partial Regex ForgedName();
}
