using System.Buffers.Binary;

namespace EdgeFace.Runtime.Imaging;

/// <summary>
/// Reads the pixel dimensions from an encoded image's header without decoding it (JPEG, PNG, BMP, PNM, WebP),
/// so huge images can be refused before a decoder allocates for them.
/// </summary>
internal static class ImageHeader
{
    public enum Format { Unknown, Jpeg, Png, Bmp, Pnm, WebP, Tiff }

    public static Format Sniff(ReadOnlySpan<byte> d)
    {
        if (d.Length >= 3 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF) return Format.Jpeg;
        if (d.Length >= 8 && d[..8].SequenceEqual((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A])) return Format.Png;
        if (d.Length >= 2 && d[0] == 'B' && d[1] == 'M') return Format.Bmp;
        if (d.Length >= 2 && d[0] == 'P' && d[1] >= '1' && d[1] <= '6') return Format.Pnm;
        if (d.Length >= 12 && d[..4].SequenceEqual("RIFF"u8) && d[8..12].SequenceEqual("WEBP"u8)) return Format.WebP;
        if (d.Length >= 4 && ((d[0] == 'I' && d[1] == 'I' && d[2] == 42 && d[3] == 0) || (d[0] == 'M' && d[1] == 'M' && d[2] == 0 && d[3] == 42))) return Format.Tiff;
        return Format.Unknown;
    }

    /// <summary>Width and height from the header, or null when the header is cut short or malformed.</summary>
    public static (long Width, long Height)? Dimensions(ReadOnlySpan<byte> d, Format format) => format switch
    {
        Format.Png => d.Length >= 24 && d[12..16].SequenceEqual("IHDR"u8)
            ? (BinaryPrimitives.ReadUInt32BigEndian(d[16..]), BinaryPrimitives.ReadUInt32BigEndian(d[20..])) : null,
        Format.Bmp => d.Length >= 26 ? (Math.Abs((long)BinaryPrimitives.ReadInt32LittleEndian(d[18..])), Math.Abs((long)BinaryPrimitives.ReadInt32LittleEndian(d[22..]))) : null,
        Format.Jpeg => Jpeg(d),
        Format.Pnm => Pnm(d),
        Format.WebP => WebP(d),
        _ => null,
    };

    /// <summary>True when a JPEG ends with its end-of-image marker (allowing a little trailing padding): truncated files do not.</summary>
    public static bool JpegHasEnd(ReadOnlySpan<byte> d)
    {
        var tail = d[Math.Max(0, d.Length - 4096)..];
        for (var i = tail.Length - 2; i >= 0; i--)
            if (tail[i] == 0xFF && tail[i + 1] == 0xD9) return true;
        return false;
    }

    /// <summary>
    /// Walks a PNG's chunks and checks each CRC, so corrupt files are refused here with a clear message instead of
    /// libpng printing its own complaint to stderr. Returns the problem, or null when every chunk is intact.
    /// </summary>
    public static string? PngProblem(ReadOnlySpan<byte> d)
    {
        var i = 8;
        while (i + 12 <= d.Length)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(d[i..]);
            if (length > int.MaxValue || i + 12 + (long)length > d.Length) return "truncated PNG";
            var typeAndData = d.Slice(i + 4, 4 + (int)length);
            if (Crc32(typeAndData) != BinaryPrimitives.ReadUInt32BigEndian(d[(i + 8 + (int)length)..])) return $"corrupt PNG ({System.Text.Encoding.ASCII.GetString(d.Slice(i + 4, 4))} chunk checksum mismatch)";
            if (typeAndData[..4].SequenceEqual("IEND"u8)) return null;
            i += 12 + (int)length;
        }
        return "truncated PNG (no IEND chunk)";
    }

    private static readonly uint[] CrcTable = Enumerable.Range(0, 256).Select(n =>
    {
        var c = (uint)n;
        for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        return c;
    }).ToArray();

    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        var c = 0xFFFFFFFFu;
        foreach (var b in data) c = CrcTable[(c ^ b) & 0xFF] ^ (c >> 8);
        return c ^ 0xFFFFFFFFu;
    }

    private static (long, long)? Jpeg(ReadOnlySpan<byte> d)
    {
        var i = 2;
        while (i + 9 < d.Length)
        {
            if (d[i] != 0xFF) return null;
            var marker = d[i + 1];
            if (marker == 0xFF) { i++; continue; }
            if (marker is 0xD8 or 0x01 || marker is >= 0xD0 and <= 0xD7) { i += 2; continue; }
            var length = BinaryPrimitives.ReadUInt16BigEndian(d[(i + 2)..]);
            // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
                return (BinaryPrimitives.ReadUInt16BigEndian(d[(i + 7)..]), BinaryPrimitives.ReadUInt16BigEndian(d[(i + 5)..]));
            if (marker == 0xDA || length < 2) return null;
            i += 2 + length;
        }
        return null;
    }

    private static (long, long)? Pnm(ReadOnlySpan<byte> d)
    {
        Span<long> values = stackalloc long[2];
        var count = 0;
        var i = 2;
        while (count < 2 && i < d.Length)
        {
            var c = d[i];
            if (c == '#') { while (i < d.Length && d[i] != '\n') i++; continue; }
            if (c is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') { i++; continue; }
            if (c < '0' || c > '9') return null;
            long v = 0;
            while (i < d.Length && d[i] >= '0' && d[i] <= '9' && v < int.MaxValue) v = v * 10 + (d[i++] - '0');
            values[count++] = v;
        }
        return count == 2 ? (values[0], values[1]) : null;
    }

    private static (long, long)? WebP(ReadOnlySpan<byte> d)
    {
        if (d.Length < 30) return null;
        var chunk = d[12..16];
        if (chunk.SequenceEqual("VP8X"u8))
            return (1 + (d[24] | d[25] << 8 | d[26] << 16), 1 + (d[27] | d[28] << 8 | d[29] << 16));
        if (chunk.SequenceEqual("VP8L"u8))
        {
            var bits = BinaryPrimitives.ReadUInt32LittleEndian(d[21..]);
            return (1 + (bits & 0x3FFF), 1 + ((bits >> 14) & 0x3FFF));
        }
        if (chunk.SequenceEqual("VP8 "u8))
            return (BinaryPrimitives.ReadUInt16LittleEndian(d[26..]) & 0x3FFF, BinaryPrimitives.ReadUInt16LittleEndian(d[28..]) & 0x3FFF);
        return null;
    }
}
