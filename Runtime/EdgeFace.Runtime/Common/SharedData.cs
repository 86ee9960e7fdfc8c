namespace EdgeFace.Runtime;

/// <summary>
/// Locates the project's shared research data and public models (<c>../shared</c> beside the repository).
/// The location comes from <c>EDGEFACE_SHARED</c>, or defaults to <c>../shared</c> relative to the
/// repository root found by walking up from the working directory and from the executable.
/// Nothing from this folder is ever shipped; it is for training, evaluation and tests.
/// </summary>
public static class SharedData
{
    public const string EnvironmentVariable = "EDGEFACE_SHARED";

    /// <summary>The shared folder, or throws an <see cref="EdgeFaceException"/> saying where it was looked for.</summary>
    public static string Root => TryFindRoot(out var tried) ?? throw new EdgeFaceException(
        $"shared data folder not found (looked at {tried}); set {EnvironmentVariable} to the folder that holds data/ and models/");

    public static string Data(params string[] parts) => Path.Combine([Root, "data", .. parts]);
    public static string Models(params string[] parts) => Path.Combine([Root, "models", .. parts]);

    public static string? TryFindRoot(out string tried)
    {
        var env = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(env))
        {
            tried = env;
            return Directory.Exists(Path.Combine(env, "data")) ? Path.GetFullPath(env) : null;
        }
        var candidates = new List<string>();
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            var repo = FindRepositoryRoot(start);
            if (repo is not null) candidates.Add(Path.GetFullPath(Path.Combine(repo, "..", "shared")));
        }
        candidates.Add(Path.GetFullPath(Path.Combine(Directory.GetCurrentDirectory(), "..", "shared")));
        tried = string.Join(", ", candidates.Distinct());
        return candidates.FirstOrDefault(c => Directory.Exists(Path.Combine(c, "data")));
    }

    /// <summary>The nearest folder at or above <paramref name="start"/> that holds EdgeFace.sln.</summary>
    public static string? FindRepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "EdgeFace.sln"))) return dir.FullName;
        return null;
    }
}
