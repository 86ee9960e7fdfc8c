using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using EdgeFace.Enrollment.Model;
using EdgeFace.Enrollment.Store;
using EdgeFace.Runtime;

namespace EdgeFace.Enrollment.Bundle;

/// <summary>
/// A portable, encrypted copy of a gallery's identities and samples (not the audit log, which stays with its device).
/// File layout: "EFGB" | version (1) | PBKDF2 iterations (int32 LE) | salt (16) | nonce (12) | tag (16) | ciphertext.
/// The key is PBKDF2-SHA256(passphrase, salt); the ciphertext is AES-256-GCM of UTF-8 JSON with the header as
/// associated data, so a changed header, a wrong passphrase or a damaged file all fail as one clear error.
/// Aggregates are not exported: import recomputes them from the samples.
/// </summary>
public static class GalleryBundle
{
    public const int Iterations = 600_000;
    private const int MinIterations = 100_000, MaxIterations = 10_000_000, SaltSize = 16, NonceSize = 12, TagSize = 16;
    private const int HeaderSize = 4 + 1 + 4 + SaltSize + NonceSize;
    private static ReadOnlySpan<byte> Magic => "EFGB"u8;
    private const byte Version = 1;
    public const int MinPassphraseLength = 12;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private sealed record BundleDocument(string Format, int Version, DateTimeOffset ExportedUtc, List<BundleIdentity> Identities);
    private sealed record BundleIdentity(string Name, string? Metadata, DateTimeOffset CreatedUtc, List<BundleTemplate> Templates);
    private sealed record BundleTemplate(string Kind, string ModelId, string ModelSha256, string Embedding, SampleQuality Quality, string Source, string? Image);

    /// <summary>Writes every identity's samples to <paramref name="path"/> (atomically, owner-only permissions). Returns the identity count.</summary>
    public static int Export(IGalleryStore store, string path, string passphrase)
    {
        if (passphrase.Length < MinPassphraseLength) throw new EdgeFaceException($"the export passphrase must be at least {MinPassphraseLength} characters");
        if (File.Exists(path)) throw new EdgeFaceException($"{path} already exists; refusing to overwrite it");
        var identities = new List<BundleIdentity>();
        foreach (var identity in store.ListIdentities())
        {
            var templates = new List<BundleTemplate>();
            foreach (var kind in Enum.GetValues<TemplateKind>())
                foreach (var t in store.GetTemplates(identity.Id, kind).Where(t => !t.IsAggregate))
                {
                    var image = t.HasImage ? store.GetSampleImage(t.Id) : null;
                    templates.Add(new BundleTemplate(kind.ToText(), t.Model.Id, t.Model.Sha256, Convert.ToBase64String(Embeddings.ToBytes(t.Embedding)),
                        t.Quality, t.Source, image is null ? null : Convert.ToBase64String(image)));
                }
            identities.Add(new BundleIdentity(identity.DisplayName, identity.MetadataJson, identity.CreatedUtc, templates));
        }
        var plain = JsonSerializer.SerializeToUtf8Bytes(new BundleDocument("edgeface-gallery-bundle", Version, DateTimeOffset.UtcNow, identities), Json);
        var file = new byte[HeaderSize + TagSize + plain.Length];
        Magic.CopyTo(file);
        file[4] = Version;
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(5), Iterations);
        RandomNumberGenerator.Fill(file.AsSpan(9, SaltSize + NonceSize));
        using (var aes = new AesGcm(DeriveKey(passphrase, file.AsSpan(9, SaltSize), Iterations), TagSize))
            aes.Encrypt(file.AsSpan(9 + SaltSize, NonceSize), plain, file.AsSpan(HeaderSize + TagSize), file.AsSpan(HeaderSize, TagSize), file.AsSpan(0, HeaderSize));
        CryptographicOperations.ZeroMemory(plain);
        WritePrivate(path, file);
        return identities.Count;
    }

    /// <summary>Decrypts and validates a bundle into identities ready for <see cref="IGalleryStore.Import"/>.</summary>
    public static IReadOnlyList<IdentityImport> Read(string path, string passphrase)
    {
        if (!File.Exists(path)) throw new EdgeFaceException($"bundle not found: {path}");
        var file = File.ReadAllBytes(path);
        if (file.Length < HeaderSize + TagSize || !file.AsSpan(0, 4).SequenceEqual(Magic))
            throw new EdgeFaceException($"{path} is not an EdgeFace gallery bundle");
        if (file[4] != Version) throw new EdgeFaceException($"{path}: bundle version {file[4]} is not supported (this EdgeFace reads version {Version})");
        var iterations = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(5));
        if (iterations is < MinIterations or > MaxIterations) throw new EdgeFaceException($"{path}: bundle header is damaged (iterations {iterations})");
        var plain = new byte[file.Length - HeaderSize - TagSize];
        try
        {
            using var aes = new AesGcm(DeriveKey(passphrase, file.AsSpan(9, SaltSize), iterations), TagSize);
            aes.Decrypt(file.AsSpan(9 + SaltSize, NonceSize), file.AsSpan(HeaderSize + TagSize), file.AsSpan(HeaderSize, TagSize), plain, file.AsSpan(0, HeaderSize));
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new EdgeFaceException($"{path}: wrong passphrase, or the bundle was damaged or altered");
        }
        BundleDocument document;
        try
        {
            document = JsonSerializer.Deserialize<BundleDocument>(plain, Json) ?? throw new JsonException("empty");
        }
        catch (JsonException e)
        {
            throw new EdgeFaceException($"{path}: bundle content is not valid ({e.Message.Split('.')[0]})");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
        if (document.Format != "edgeface-gallery-bundle" || document.Identities is null) throw new EdgeFaceException($"{path}: not a gallery bundle document");
        return document.Identities.Select((i, n) => ToImport(i, n, path)).ToList();
    }

    private static IdentityImport ToImport(BundleIdentity identity, int n, string path)
    {
        var where = $"{path}: identity {n + 1}";
        if (string.IsNullOrWhiteSpace(identity.Name)) throw new EdgeFaceException($"{where} has no name");
        if (identity.Templates is null || identity.Templates.Count == 0) throw new EdgeFaceException($"{where} ('{identity.Name}') has no templates");
        var samples = identity.Templates.Select(t =>
        {
            if (string.IsNullOrEmpty(t.ModelId) || string.IsNullOrEmpty(t.ModelSha256)) throw new EdgeFaceException($"{where} ('{identity.Name}') has a template without its model");
            float[] embedding;
            byte[]? image;
            try
            {
                embedding = Embeddings.FromBytes(Convert.FromBase64String(t.Embedding), $"{where} ('{identity.Name}')");
                image = t.Image is null ? null : Convert.FromBase64String(t.Image);
            }
            catch (FormatException) { throw new EdgeFaceException($"{where} ('{identity.Name}') has a template that is not valid base64"); }
            return (TemplateKinds.Parse(t.Kind), new BiometricSample(embedding, t.Quality, new ModelBinding(t.ModelId, t.ModelSha256), t.Source ?? "", image));
        }).ToList();
        return new IdentityImport(identity.Name, identity.Metadata, identity.CreatedUtc, samples);
    }

    private static byte[] DeriveKey(string passphrase, ReadOnlySpan<byte> salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(passphrase), salt, iterations, HashAlgorithmName.SHA256, 32);

    private static void WritePrivate(string path, byte[] bytes)
    {
        var tmp = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var f = new FileStream(tmp, options))
        {
            f.Write(bytes);
            f.Flush(flushToDisk: true);
        }
        File.Move(tmp, path);
    }
}
