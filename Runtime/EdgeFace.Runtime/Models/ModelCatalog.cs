namespace EdgeFace.Runtime.Models;

/// <summary>
/// The models available on the search path, identified by manifest or built-in card.
/// Search order: the folders given (e.g. repeated <c>--models</c>), then <c>EDGEFACE_MODELS</c>
/// (a path-separator list), then <c>./models</c>, then <c>models/</c> beside the executable. Nothing is ever downloaded.
/// <para>Default per task (deterministic): models with a manifest first (our own trained models), in search-path
/// order then file name; then built-in cards in <see cref="BuiltInModelCards.All"/> order
/// (yunet-s-640 first for detection, mobilefacenet-128 for faces).</para>
/// </summary>
public sealed class ModelCatalog
{
    public const string EnvironmentVariable = "EDGEFACE_MODELS";

    public IReadOnlyList<string> Folders { get; }
    public IReadOnlyList<ModelEntry> Models { get; }

    private ModelCatalog(IReadOnlyList<string> folders, IReadOnlyList<ModelEntry> models)
    {
        Folders = folders;
        Models = models;
    }

    /// <summary>The search path: <paramref name="explicitFolders"/>, then EDGEFACE_MODELS, then ./models.</summary>
    public static IReadOnlyList<string> SearchPath(IEnumerable<string>? explicitFolders = null)
    {
        var folders = new List<string>(explicitFolders ?? []);
        var env = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(env))
            folders.AddRange(env.Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        folders.Add("models");
        // Models shipped beside the executable (the build copies the repository's models/ there).
        folders.Add(System.IO.Path.Combine(AppContext.BaseDirectory, "models"));
        return folders.Select(System.IO.Path.GetFullPath).Distinct().ToList();
    }

    /// <summary>Scans the search path. A folder given explicitly that does not exist is an error; the defaults may be absent.</summary>
    public static ModelCatalog Scan(IEnumerable<string>? explicitFolders = null)
    {
        var given = (explicitFolders ?? []).ToList();
        foreach (var f in given)
            if (!Directory.Exists(f)) throw new EdgeFaceException($"models folder not found: {f}");
        var folders = SearchPath(given);
        var entries = new List<ModelEntry>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var folder in folders.Where(Directory.Exists))
            foreach (var file in Directory.EnumerateFiles(folder, "*.onnx").Order(StringComparer.Ordinal))
                if (seen.Add(System.IO.Path.GetFullPath(file))) entries.Add(Identify(file));
        return new ModelCatalog(folders, entries);
    }

    /// <summary>Identifies one file: its manifest if present, else a built-in card by hash, else an entry with a problem.</summary>
    public static ModelEntry Identify(string onnxPath)
    {
        var path = System.IO.Path.GetFullPath(onnxPath);
        if (!File.Exists(path)) throw new EdgeFaceException($"model file not found: {onnxPath}");
        var manifestPath = System.IO.Path.ChangeExtension(path, null) + ModelManifest.FileSuffix;
        if (File.Exists(manifestPath))
        {
            try { return new ModelEntry(path, ModelManifest.Load(manifestPath), ModelOrigin.Manifest); }
            catch (EdgeFaceException e) { return new ModelEntry(path, null, ModelOrigin.Manifest, e.Message); }
        }
        var card = BuiltInModelCards.FindBySha256(FileHash.Sha256(path));
        return card is not null
            ? new ModelEntry(path, card with { File = System.IO.Path.GetFileName(path) }, ModelOrigin.BuiltInCard)
            : new ModelEntry(path, null, ModelOrigin.BuiltInCard,
                $"unknown model: not a built-in card and no {System.IO.Path.GetFileName(manifestPath)} beside it");
    }

    /// <summary>
    /// The model for <paramref name="task"/>: the default, or the one named by <paramref name="idOrFile"/>
    /// (a manifest id, a file name with or without .onnx, or a path to an .onnx file).
    /// </summary>
    public ModelEntry Resolve(ModelTask task, string? idOrFile = null)
    {
        if (idOrFile is not null)
        {
            ModelEntry entry;
            if (idOrFile.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase) && File.Exists(idOrFile))
                entry = Identify(idOrFile);
            else
                entry = Models.FirstOrDefault(m => m.Manifest?.Id == idOrFile)
                    ?? Models.FirstOrDefault(m => m.FileName == idOrFile || System.IO.Path.GetFileNameWithoutExtension(m.Path) == idOrFile)
                    ?? throw new EdgeFaceException($"model '{idOrFile}' not found in {Describe()}");
            var manifest = entry.RequireManifest();
            if (manifest.Task != task)
                throw new EdgeFaceException($"{entry.FileName}: is a {Name(manifest.Task)} model, not a {Name(task)}");
            return entry;
        }
        var candidates = Models.Where(m => m.Manifest?.Task == task).ToList();
        var chosen = candidates.FirstOrDefault(m => m.Origin == ModelOrigin.Manifest && IsDefaultCandidate(m.Manifest!))
            ?? candidates.Where(m => m.Origin == ModelOrigin.BuiltInCard && IsDefaultCandidate(m.Manifest!))
                .OrderBy(m => BuiltInRank(m.Manifest!.Id)).FirstOrDefault();
        return chosen ?? throw new EdgeFaceException($"no {Name(task)} model found in {Describe()}; pass --models DIR or set {EnvironmentVariable}");
    }

    /// <summary>Box-only detectors cannot drive alignment, so they are used only when asked for by name.</summary>
    private static bool IsDefaultCandidate(ModelManifest m) => !(m.Task == ModelTask.FaceDetector && m.Family == "ultraface");

    private static int BuiltInRank(string id)
    {
        for (var i = 0; i < BuiltInModelCards.All.Count; i++) if (BuiltInModelCards.All[i].Id == id) return i;
        return int.MaxValue;
    }

    private string Describe() => $"the model search path ({string.Join(System.IO.Path.PathSeparator, Folders)})";

    private static string Name(ModelTask t) => t switch
    {
        ModelTask.FaceDetector => "face-detector",
        ModelTask.FaceEmbedder => "face-embedder",
        ModelTask.SignatureEmbedder => "signature-embedder",
        ModelTask.Liveness => "liveness",
        ModelTask.Landmarks => "landmarks",
        _ => t.ToString(),
    };
}
