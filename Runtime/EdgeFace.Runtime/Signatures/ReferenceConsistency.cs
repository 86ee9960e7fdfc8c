using System.Globalization;

namespace EdgeFace.Runtime.Signatures;

/// <summary>One reference's agreement with the others of its enrolment.</summary>
/// <param name="Index">Position in the enrolment, 0-based.</param>
/// <param name="MeanSimilarity">Mean cosine to the other references (leave-one-out).</param>
/// <param name="RobustZ">0.6745·(MeanSimilarity − median)/MAD, the modified z-score (negative = less alike than usual).</param>
/// <param name="Outlier">True when <see cref="RobustZ"/> is below −limit.</param>
public sealed record ReferenceAgreement(int Index, string Name, double MeanSimilarity, double RobustZ, bool Outlier);

/// <summary>The verdict on a set of references; <see cref="Messages"/> says which ones look wrong, in words.</summary>
public sealed record ReferenceConsistencyReport(IReadOnlyList<ReferenceAgreement> References, double MedianSimilarity)
{
    public bool Consistent => !References.Any(r => r.Outlier);

    public IReadOnlyList<string> Messages => References.Where(r => r.Outlier).Select(r => string.Create(CultureInfo.InvariantCulture,
        $"reference {r.Index + 1} ({r.Name}) looks unlike the other {References.Count - 1} (mean similarity {r.MeanSimilarity:0.###}, typical {MedianSimilarity:0.###})")).ToList();
}

/// <summary>
/// Flags an enrolment whose references disagree: for each reference, the mean cosine to the others (leave-one-out);
/// a reference whose value lies far below the others' by a robust z-score (median and MAD, so the odd one cannot
/// hide by inflating the spread) is an outlier, e.g. a different person's signature or a badly cleaned scan.
/// </summary>
public static class ReferenceConsistency
{
    /// <summary>With fewer references, a median and a MAD of the leave-one-out similarities say nothing.</summary>
    public const int MinReferences = 4;

    /// <summary>Default limit on the modified z-score (Iglewicz and Hoaglin's usual 3.5).</summary>
    public const double DefaultZLimit = 3.5;

    /// <summary>
    /// Checks L2-normalised <paramref name="embeddings"/> named by <paramref name="names"/> (file names, for messages).
    /// <paramref name="minSpread"/> floors the MAD, in cosine units, so near-identical references do not turn tiny
    /// differences into huge z-scores. Throws <see cref="EdgeFaceException"/> with fewer than <see cref="MinReferences"/>.
    /// </summary>
    public static ReferenceConsistencyReport Check(IReadOnlyList<float[]> embeddings, IReadOnlyList<string> names,
        double zLimit = DefaultZLimit, double minSpread = 0.01)
    {
        if (embeddings.Count != names.Count) throw new ArgumentException("one name per embedding is needed", nameof(names));
        if (embeddings.Count < MinReferences)
            throw new EdgeFaceException($"the reference consistency check needs at least {MinReferences} references, got {embeddings.Count}");
        var n = embeddings.Count;
        var loo = new double[n];
        for (var i = 0; i < n; i++)
        {
            double sum = 0;
            for (var j = 0; j < n; j++) if (j != i) sum += SignatureVectors.Cosine(embeddings[i], embeddings[j]);
            loo[i] = sum / (n - 1);
        }
        var median = Median(loo);
        var mad = Math.Max(minSpread, Median(loo.Select(v => Math.Abs(v - median)).ToArray()));
        var agreements = new ReferenceAgreement[n];
        for (var i = 0; i < n; i++)
        {
            var z = 0.6745 * (loo[i] - median) / mad;
            agreements[i] = new ReferenceAgreement(i, names[i], loo[i], z, z < -zLimit);
        }
        return new ReferenceConsistencyReport(agreements, median);
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
