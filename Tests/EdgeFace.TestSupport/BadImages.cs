using System.Buffers.Binary;

namespace EdgeFace.TestSupport;

/// <summary>Crafted broken image files for bad-input tests.</summary>
public static class BadImages
{
    /// <summary>A PNG signature and IHDR claiming 60000x60000 RGB, with no pixel data (never allocate it).</summary>
    public static byte[] HugePng()
    {
        var bytes = new byte[8 + 25];
        byte[] signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
        signature.CopyTo(bytes, 0);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(8), 13);
        "IHDR"u8.CopyTo(bytes.AsSpan(12));
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(16), 60000);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(20), 60000);
        bytes[24] = 8; // bit depth
        bytes[25] = 2; // RGB
        return bytes;
    }

    /// <summary>The first half of a real JPEG.</summary>
    public static byte[] Truncated(string jpegPath)
    {
        var all = File.ReadAllBytes(jpegPath);
        return all[..(all.Length / 2)];
    }

    /// <summary>Deterministic random bytes.</summary>
    public static byte[] Random(int length, int seed = 7)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
