using EdgeFace.Runtime;

namespace EdgeFace.Trainer.Data;

/// <summary>
/// A folder-per-identity image dataset: <c>ROOT/&lt;identity&gt;/*.{jpg,jpeg,png,pgm,ppm,bmp,tif,tiff,webp}</c>.
/// Identities are labelled 0..N-1 in natural name order and images are listed in natural order, so labels and
/// sample indices do not depend on the file system. Only the file list is read here; pixels are decoded by an
/// <see cref="SampleLoader"/>. Immutable and thread-safe.
/// </summary>
public sealed class FolderDataset : ILabeledDataset
{
    /// <summary>File extensions (lower case, with dot) treated as images; other files such as README are ignored.</summary>
    public static readonly IReadOnlySet<string> ImageExtensions =
        new HashSet<string>([".jpg", ".jpeg", ".png", ".pgm", ".ppm", ".pbm", ".bmp", ".tif", ".tiff", ".webp"], StringComparer.OrdinalIgnoreCase);

    private readonly int[][] _byLabel;

    private FolderDataset(string root, IdentitySelection selection, string[] identities, DatasetSample[] samples, int[][] byLabel)
    {
        Root = root;
        Selection = selection;
        Identities = identities;
        Samples = samples;
        _byLabel = byLabel;
    }

    public string Root { get; }

    /// <summary>The selection this dataset was opened with (its spec is worth recording in the run config).</summary>
    public IdentitySelection Selection { get; }

    public IReadOnlyList<string> Identities { get; }

    public IReadOnlyList<DatasetSample> Samples { get; }

    public IReadOnlyList<int> SamplesOf(int label) => _byLabel[label];

    /// <summary>Lists <paramref name="root"/>, keeping the identities <paramref name="selection"/> picks (all by default).</summary>
    /// <exception cref="EdgeFaceException">Root missing, no images, a selection naming unknown identities, or selecting none.</exception>
    public static FolderDataset Open(string root, IdentitySelection? selection = null)
    {
        selection ??= IdentitySelection.All;
        var full = Path.GetFullPath(root);
        if (!Directory.Exists(full)) throw new EdgeFaceException($"dataset folder not found: {full}");

        var images = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var dir in Directory.EnumerateDirectories(full))
        {
            var name = Path.GetFileName(dir);
            if (name.StartsWith('.')) continue;
            var files = ListImages(dir);
            if (files.Length > 0) images[name] = files;
        }
        if (images.Count == 0)
            throw new EdgeFaceException($"empty dataset: {full} has no identity folders with images (expected {full}/<identity>/*.jpg|png|pgm)");

        var all = images.Keys.Order(NaturalStringComparer.Instance).ToArray();
        var chosen = selection.Apply(all, full);
        if (chosen.Count == 0) throw new EdgeFaceException($"identity selection '{selection}' leaves no identities in {full}");

        var samples = new List<DatasetSample>();
        var byLabel = new int[chosen.Count][];
        for (var label = 0; label < chosen.Count; label++)
        {
            var files = images[chosen[label]];
            byLabel[label] = Enumerable.Range(samples.Count, files.Length).ToArray();
            samples.AddRange(files.Select(f => new DatasetSample(f, label)));
        }
        return new FolderDataset(full, selection, chosen.ToArray(), samples.ToArray(), byLabel);
    }

    /// <summary>Image files directly inside <paramref name="folder"/>, in natural order.</summary>
    internal static string[] ListImages(string folder) =>
        Directory.EnumerateFiles(folder)
            .Where(f => ImageExtensions.Contains(Path.GetExtension(f)) && !Path.GetFileName(f).StartsWith('.'))
            .Order(NaturalStringComparer.Instance)
            .ToArray();
}
