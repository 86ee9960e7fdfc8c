using System.Security.Cryptography;
using System.Text;
using EdgeFace.Runtime;

namespace EdgeFace.Camera.Server;

/// <summary>
/// Checks the admin API key (<c>X-Api-Key</c> header). Both sides are hashed with SHA-256 and compared in constant
/// time, so neither the content nor the length of the key leaks through timing. No key configured = admin API off.
/// </summary>
public sealed class ApiKeyGuard
{
    public const string Header = "X-Api-Key";
    public const string EnvironmentVariable = "EDGEFACE_KIOSK_API_KEY";
    private readonly byte[]? _keyHash;

    public ApiKeyGuard(string? key)
    {
        if (key is not null && key.Trim().Length < 16) throw new EdgeFaceException("kiosk API key must be at least 16 characters");
        _keyHash = key is null ? null : SHA256.HashData(Encoding.UTF8.GetBytes(key.Trim()));
    }

    public bool Enabled => _keyHash is not null;

    /// <summary>Reads the key from a file (first line) if given, else from <see cref="EnvironmentVariable"/>.</summary>
    public static ApiKeyGuard FromFileOrEnvironment(string? file)
    {
        if (file is not null)
        {
            if (!File.Exists(file)) throw new EdgeFaceException($"API key file not found: {file}");
            var line = File.ReadLines(file).FirstOrDefault()?.Trim();
            if (string.IsNullOrEmpty(line)) throw new EdgeFaceException($"API key file {file} is empty");
            return new ApiKeyGuard(line);
        }
        var env = Environment.GetEnvironmentVariable(EnvironmentVariable);
        return new ApiKeyGuard(string.IsNullOrWhiteSpace(env) ? null : env);
    }

    public bool Accepts(string? presented)
    {
        if (_keyHash is null || presented is null) return false;
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presented.Trim()));
        return CryptographicOperations.FixedTimeEquals(hash, _keyHash);
    }
}
