using System.Globalization;

namespace EdgeFace.Runtime.Faces;

/// <summary>Two images to compare, whether they show the same person, and the cross-validation fold.</summary>
public readonly record struct ImagePair(string A, string B, bool Genuine, int Fold);

/// <summary>
/// Builds verification pair lists: from an LFW-style pair file, or from a folder with one sub-folder per identity
/// (every within-identity pair is genuine, every cross-identity pair an impostor).
/// </summary>
public static class VerificationPairs
{
    private static readonly string[] ImageExtensions = [".jpg", ".jpeg", ".png", ".bmp", ".pgm", ".ppm", ".webp"];

    /// <summary>
    /// Parses <c>pairs.txt</c>: a header "FOLDS N" (FOLDS × (N matched + N mismatched), in order) or "N";
    /// then "name n1 n2" (matched) or "name1 n1 name2 n2" (mismatched); images at DIR/name/name_NNNN.jpg.
    /// </summary>
    public static IReadOnlyList<ImagePair> FromLfwPairFile(string pairsPath, string imagesDir)
    {
        if (!File.Exists(pairsPath)) throw new EdgeFaceException($"pair file not found: {pairsPath}");
        if (!Directory.Exists(imagesDir)) throw new EdgeFaceException($"images folder not found: {imagesDir}");
        var lines = File.ReadAllLines(pairsPath).Where(l => !string.IsNullOrWhiteSpace(l)).ToArray();
        if (lines.Length < 2) throw new EdgeFaceException($"{pairsPath}: no pairs");
        var header = lines[0].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        int perFold;
        if (header.Length == 2 && int.TryParse(header[0], out _) && int.TryParse(header[1], out var n)) perFold = 2 * n;
        else if (header.Length == 1 && int.TryParse(header[0], out _)) perFold = int.MaxValue;
        else throw new EdgeFaceException($"{pairsPath}: line 1: expected a header 'FOLDS N' or 'N', got '{lines[0]}'");
        string ImagePath(string name, string number, int line)
        {
            if (!int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var k))
                throw new EdgeFaceException($"{pairsPath}: line {line}: '{number}' is not an image number");
            return Path.Combine(imagesDir, name, $"{name}_{k:D4}.jpg");
        }
        var pairs = new List<ImagePair>(lines.Length - 1);
        for (var i = 1; i < lines.Length; i++)
        {
            var t = lines[i].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            var fold = perFold == int.MaxValue ? 0 : (i - 1) / perFold;
            pairs.Add(t.Length switch
            {
                3 => new ImagePair(ImagePath(t[0], t[1], i + 1), ImagePath(t[0], t[2], i + 1), true, fold),
                4 => new ImagePair(ImagePath(t[0], t[1], i + 1), ImagePath(t[2], t[3], i + 1), false, fold),
                _ => throw new EdgeFaceException($"{pairsPath}: line {i + 1}: expected 3 or 4 fields, got {t.Length}"),
            });
        }
        return pairs;
    }

    /// <summary>Images of a folder-per-identity set: identity name → sorted image paths (identities with one image still count as impostors).</summary>
    public static IReadOnlyList<(string Identity, string[] Images)> Identities(string folder, int maxPerIdentity = int.MaxValue)
    {
        if (!Directory.Exists(folder)) throw new EdgeFaceException($"folder not found: {folder}");
        var identities = Directory.EnumerateDirectories(folder).Order(StringComparer.Ordinal)
            .Select(d => (Path.GetFileName(d), Directory.EnumerateFiles(d)
                .Where(f => ImageExtensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
                .Order(StringComparer.Ordinal).Take(maxPerIdentity).ToArray()))
            .Where(x => x.Item2.Length > 0).ToList();
        if (identities.Count < 2) throw new EdgeFaceException($"{folder}: needs at least two identity sub-folders with images, found {identities.Count}");
        return identities;
    }
}
