using EdgeFace.Runtime;

namespace EdgeFace.TestSupport;

/// <summary>
/// Paths into ../shared for tests. A missing folder fails the test with a clear message:
/// tests never skip silently because data is absent.
/// </summary>
public static class Shared
{
    public static string Root => SharedData.Root;
    public static string Data(params string[] parts) => SharedData.Data(parts);
    public static string Model(string fileName) => RequireFile(SharedData.Models(fileName));
    public static string Face(params string[] parts) => RequireFile(SharedData.Data(["faces", .. parts]));

    public static string RequireFile(string path) =>
        File.Exists(path) ? path : throw new FileNotFoundException($"shared test input missing: {path}", path);
}
