using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace EdgeFace.Runtime.Models;

/// <summary>
/// SHA-256 of model files, cached per (full path, size, last write time) for the life of the process,
/// so scanning a models folder and then loading from it hashes each file once.
/// </summary>
public static class FileHash
{
    private readonly record struct Key(string Path, long Size, DateTime WriteTimeUtc);

    private static readonly ConcurrentDictionary<Key, string> Cache = new();

    /// <summary>Lower-case hex SHA-256 of the file; throws <see cref="EdgeFaceException"/> if it cannot be read.</summary>
    public static string Sha256(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new EdgeFaceException($"model file not found: {path}");
        var key = new Key(info.FullName, info.Length, info.LastWriteTimeUtc);
        if (Cache.TryGetValue(key, out var hash)) return hash;
        try
        {
            using var stream = info.OpenRead();
            hash = Convert.ToHexStringLower(SHA256.HashData(stream));
        }
        catch (IOException e) { throw new EdgeFaceException($"{path}: cannot read ({e.Message})", e); }
        catch (UnauthorizedAccessException e) { throw new EdgeFaceException($"{path}: permission denied", e); }
        Cache[key] = hash;
        return hash;
    }
}
