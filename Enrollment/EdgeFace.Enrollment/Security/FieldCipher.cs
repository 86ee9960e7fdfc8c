using System.Security.Cryptography;
using System.Text;
using EdgeFace.Runtime;

namespace EdgeFace.Enrollment.Security;

/// <summary>
/// Encrypts single database values with AES-256-GCM: a fresh random 96-bit nonce per value, and associated
/// data naming the table, column and row, so a ciphertext copied into another row or column fails to decrypt.
/// Layout of a stored value: nonce (12) | tag (16) | ciphertext. Owns its <see cref="AesGcm"/>; dispose it.
/// Also computes the blind index of display names (keyed HMAC), so names can be looked up without storing them in clear.
/// </summary>
public sealed class FieldCipher : IDisposable
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly AesGcm _aes;
    private readonly byte[] _nameIndexKey;

    public FieldCipher(GalleryKey key, ReadOnlySpan<byte> galleryId)
    {
        var fieldKey = key.Derive("fields/v1", galleryId);
        _aes = new AesGcm(fieldKey, TagSize);
        CryptographicOperations.ZeroMemory(fieldKey);
        _nameIndexKey = key.Derive("name-index/v1", galleryId);
    }

    public byte[] Encrypt(ReadOnlySpan<byte> plain, string table, string column, long row)
    {
        var blob = new byte[NonceSize + TagSize + plain.Length];
        var nonce = blob.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        _aes.Encrypt(nonce, plain, blob.AsSpan(NonceSize + TagSize), blob.AsSpan(NonceSize, TagSize), Associated(table, column, row));
        return blob;
    }

    public byte[] EncryptText(string text, string table, string column, long row) => Encrypt(Encoding.UTF8.GetBytes(text), table, column, row);

    /// <summary>Decrypts, or throws naming the value when it was altered, moved, or encrypted under another key.</summary>
    public byte[] Decrypt(ReadOnlySpan<byte> blob, string table, string column, long row)
    {
        if (TryDecrypt(blob, table, column, row, out var plain)) return plain;
        throw new EdgeFaceException($"gallery value {table}.{column} of row {row} failed authentication (tampered with, moved between rows, or written with another key)");
    }

    public string DecryptText(ReadOnlySpan<byte> blob, string table, string column, long row) => Encoding.UTF8.GetString(Decrypt(blob, table, column, row));

    public bool TryDecrypt(ReadOnlySpan<byte> blob, string table, string column, long row, out byte[] plain)
    {
        plain = [];
        if (blob.Length < NonceSize + TagSize) return false;
        var result = new byte[blob.Length - NonceSize - TagSize];
        try
        {
            _aes.Decrypt(blob[..NonceSize], blob[(NonceSize + TagSize)..], blob.Slice(NonceSize, TagSize), result, Associated(table, column, row));
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
        plain = result;
        return true;
    }

    /// <summary>Keyed HMAC of the normalised name: equal for "Ann  Lee" and "ann lee", meaningless without the key.</summary>
    public byte[] NameIndex(string displayName) =>
        HMACSHA256.HashData(_nameIndexKey, Encoding.UTF8.GetBytes(NormaliseName(displayName)));

    /// <summary>Trimmed, inner whitespace collapsed, Unicode NFKC, lower case: the identity of a name for lookups.</summary>
    public static string NormaliseName(string name) =>
        string.Join(' ', name.Normalize(NormalizationForm.FormKC).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant();

    private static byte[] Associated(string table, string column, long row) => Encoding.UTF8.GetBytes($"edgeface/v1/{table}.{column}/{row}");

    public void Dispose()
    {
        _aes.Dispose();
        CryptographicOperations.ZeroMemory(_nameIndexKey);
    }
}
