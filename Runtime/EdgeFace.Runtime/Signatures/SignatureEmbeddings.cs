namespace EdgeFace.Runtime.Signatures;

/// <summary>
/// Embeddings of a set of signature images, keyed by path, all from one embedder. Computing them is the expensive part
/// of an evaluation, so one set serves any number of protocol runs (different R, seeds, options).
/// </summary>
public sealed class SignatureEmbeddings
{
    private readonly Dictionary<string, float[]> _byPath;

    private SignatureEmbeddings(string embedderId, Dictionary<string, float[]> byPath)
    {
        EmbedderId = embedderId;
        _byPath = byPath;
    }

    public string EmbedderId { get; }
    public int Count => _byPath.Count;

    /// <summary>The embedding of <paramref name="path"/>; throws <see cref="EdgeFaceException"/> when it was not computed.</summary>
    public float[] this[string path] => _byPath.TryGetValue(path, out var e) ? e
        : throw new EdgeFaceException($"no embedding computed for {path}");

    public bool Contains(string path) => _byPath.ContainsKey(path);

    /// <summary>
    /// Cleans and embeds every sample of <paramref name="writers"/> (genuine and forged). A sample that fails to clean
    /// stops the run with the cleaner's message, which names the file.
    /// </summary>
    public static SignatureEmbeddings Compute(IEnumerable<SignatureWriter> writers, SignatureCleaner cleaner, ISignatureEmbedder embedder,
        Action<string>? progress = null, CancellationToken cancellation = default)
    {
        var paths = writers.SelectMany(w => w.Genuine.Concat(w.Forgeries)).Select(s => s.Path).Distinct().ToList();
        var byPath = new Dictionary<string, float[]>(paths.Count);
        var canvas = new float[SignatureCleaner.PixelCount];
        for (var i = 0; i < paths.Count; i++)
        {
            cancellation.ThrowIfCancellationRequested();
            cleaner.CleanFile(paths[i], canvas);
            var embedding = new float[embedder.Dimension];
            embedder.Embed(canvas, embedding);
            byPath[paths[i]] = embedding;
            if (progress is not null && ((i + 1) % 100 == 0 || i + 1 == paths.Count)) progress($"embedded {i + 1}/{paths.Count} signatures");
        }
        return new SignatureEmbeddings(embedder.Id, byPath);
    }
}
