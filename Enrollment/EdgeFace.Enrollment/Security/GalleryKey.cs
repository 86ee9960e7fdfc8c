using System.Security.Cryptography;
using System.Text;
using EdgeFace.Runtime;

namespace EdgeFace.Enrollment.Security;

/// <summary>
/// The gallery's 256-bit master key. It comes from <c>EDGEFACE_GALLERY_KEY</c> (base64) or a key file
/// (<c>--key-file</c>). On Unix a key file readable or writable by others is refused; on Windows key files are
/// protected with DPAPI for the current user. Owns a copy of the key bytes and zeroes them on dispose.
/// </summary>
public sealed class GalleryKey : IDisposable
{
    public const string EnvironmentVariable = "EDGEFACE_GALLERY_KEY";
    public const int Length = 32;
    private const string DpapiPrefix = "dpapi:";

    private readonly byte[] _key;

    /// <summary>Where the key came from, for messages ("EDGEFACE_GALLERY_KEY", a file path).</summary>
    public string Origin { get; }

    private GalleryKey(byte[] key, string origin)
    {
        if (key.Length != Length) throw new EdgeFaceException($"{origin}: gallery key must be {Length} bytes, got {key.Length}");
        _key = key;
        Origin = origin;
    }

    /// <summary>The raw key. Valid until <see cref="Dispose"/>.</summary>
    public ReadOnlySpan<byte> Bytes => _key;

    public static GalleryKey FromBytes(ReadOnlySpan<byte> key, string origin) => new(key.ToArray(), origin);

    public static GalleryKey Generate() => new(RandomNumberGenerator.GetBytes(Length), "new key");

    /// <summary>The key file when given, else the environment variable; throws saying how to provide one.</summary>
    public static GalleryKey Resolve(string? keyFile)
    {
        if (keyFile is not null) return LoadFile(keyFile);
        var env = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(env)) return new(DecodeBase64(env.Trim(), EnvironmentVariable), EnvironmentVariable);
        throw new EdgeFaceException($"no gallery key: set {EnvironmentVariable} (base64 of {Length} random bytes) or pass --key-file (create one with 'edgeface gallery new-key FILE')");
    }

    public static GalleryKey LoadFile(string path)
    {
        if (!File.Exists(path)) throw new EdgeFaceException($"key file not found: {path}");
        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(path);
            if ((mode & (UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) != 0)
                throw new EdgeFaceException($"key file {path} is accessible by other users (mode {Convert.ToString((int)mode, 8)}); run 'chmod 600 {path}'");
        }
        var text = File.ReadAllText(path).Trim();
        if (text.StartsWith(DpapiPrefix, StringComparison.Ordinal))
        {
            if (!OperatingSystem.IsWindows()) throw new EdgeFaceException($"key file {path} is DPAPI-protected and can only be read on the Windows account that wrote it");
            return new(WindowsDpapi.Unprotect(DecodeBase64(text[DpapiPrefix.Length..], path), path), path);
        }
        return new(DecodeBase64(text, path), path);
    }

    /// <summary>
    /// Writes this key to a new file readable only by its owner (mode 600 on Unix; DPAPI-protected for the
    /// current user on Windows). Refuses to overwrite an existing file, so a key is never lost by accident.
    /// </summary>
    public void SaveFile(string path)
    {
        if (File.Exists(path)) throw new EdgeFaceException($"{path} already exists; refusing to overwrite a key file");
        var text = OperatingSystem.IsWindows()
            ? DpapiPrefix + Convert.ToBase64String(WindowsDpapi.Protect(_key))
            : Convert.ToBase64String(_key);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var stream = new FileStream(path, options);
        stream.Write(Encoding.ASCII.GetBytes(text + "\n"));
        stream.Flush(flushToDisk: true);
    }

    /// <summary>A subkey for one purpose, bound to one gallery (<paramref name="salt"/> = the gallery id).</summary>
    internal byte[] Derive(string purpose, ReadOnlySpan<byte> salt) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, _key, 32, salt.ToArray(), Encoding.UTF8.GetBytes("edgeface/gallery/" + purpose));

    private static byte[] DecodeBase64(string text, string origin)
    {
        try { return Convert.FromBase64String(text); }
        catch (FormatException) { throw new EdgeFaceException($"{origin}: gallery key is not valid base64"); }
    }

    public void Dispose() => CryptographicOperations.ZeroMemory(_key);
}
