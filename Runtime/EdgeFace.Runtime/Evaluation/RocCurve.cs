namespace EdgeFace.Runtime.Evaluation;

/// <summary>
/// The receiver operating characteristic of a set of genuine and impostor scores, for the rule
/// "accept when score &gt;= threshold". Keeps both score sets sorted, so every figure is exact
/// (no binning) and each query is a binary search; memory is 8 bytes per score.
/// </summary>
public sealed class RocCurve
{
    private readonly double[] _genuine;   // ascending
    private readonly double[] _impostor;  // ascending

    public int GenuineCount => _genuine.Length;
    public int ImpostorCount => _impostor.Length;
    public IReadOnlyList<double> GenuineScores => _genuine;
    public IReadOnlyList<double> ImpostorScores => _impostor;

    /// <summary>Area under the ROC curve (probability a genuine score beats an impostor one, ties count half).</summary>
    public double Auc { get; }
    /// <summary>Equal error rate: where the false-accept and false-reject rates cross.</summary>
    public double Eer { get; }
    /// <summary>A threshold at the equal-error point.</summary>
    public double EerThreshold { get; }

    private RocCurve(double[] genuine, double[] impostor)
    {
        if (genuine.Length == 0 || impostor.Length == 0)
            throw new EdgeFaceException($"a ROC needs genuine and impostor scores (got {genuine.Length} genuine, {impostor.Length} impostor)");
        Array.Sort(genuine);
        Array.Sort(impostor);
        _genuine = genuine;
        _impostor = impostor;
        Auc = ComputeAuc();
        (Eer, EerThreshold) = ComputeEer();
    }

    public static RocCurve From(IEnumerable<ScoredPair> pairs)
    {
        var genuine = new List<double>();
        var impostor = new List<double>();
        foreach (var p in pairs) (p.Genuine ? genuine : impostor).Add(p.Score);
        return new RocCurve(genuine.ToArray(), impostor.ToArray());
    }

    public static RocCurve From(IEnumerable<double> genuine, IEnumerable<double> impostor) => new(genuine.ToArray(), impostor.ToArray());

    /// <summary>Fraction of impostor scores accepted at <paramref name="threshold"/>.</summary>
    public double Far(double threshold) => (double)CountAtLeast(_impostor, threshold) / _impostor.Length;
    /// <summary>Fraction of genuine scores accepted at <paramref name="threshold"/>.</summary>
    public double Tar(double threshold) => (double)CountAtLeast(_genuine, threshold) / _genuine.Length;
    public double Frr(double threshold) => 1 - Tar(threshold);

    /// <summary>
    /// The lowest threshold whose false-accept rate is at most <paramref name="far"/>: exactly
    /// floor(far·N) impostors (fewer on ties) are accepted.
    /// </summary>
    public double ThresholdAtFar(double far) => ThresholdAtFar(_impostor, far);

    internal static double ThresholdAtFar(double[] ascendingImpostors, double far)
    {
        if (far is < 0 or > 1 || double.IsNaN(far)) throw new EdgeFaceException($"FAR must be between 0 and 1, got {far}");
        var n = ascendingImpostors.Length;
        var allowed = (int)Math.Floor(far * n + 1e-9);
        if (allowed >= n) return double.NegativeInfinity;
        // The (allowed+1)-th highest impostor must be rejected; everything strictly above it is accepted.
        return Math.BitIncrement(ascendingImpostors[n - 1 - allowed]);
    }

    public double TarAtFar(double far) => Tar(ThresholdAtFar(far));

    /// <summary>Up to <paramref name="maxPoints"/> (FAR, TAR, threshold) points, ordered by rising FAR, for plots.</summary>
    public IReadOnlyList<(double Far, double Tar, double Threshold)> Points(int maxPoints = 512)
    {
        var all = _genuine.Concat(_impostor).Distinct().OrderDescending().ToArray();
        var step = Math.Max(1, all.Length / maxPoints);
        var points = new List<(double, double, double)>();
        for (var i = 0; i < all.Length; i += step) points.Add((Far(all[i]), Tar(all[i]), all[i]));
        points.Add((1, 1, all[^1]));
        return points;
    }

    /// <summary>Number of entries in an ascending array that are &gt;= value.</summary>
    internal static int CountAtLeast(double[] ascending, double value)
    {
        int lo = 0, hi = ascending.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (ascending[mid] < value) lo = mid + 1; else hi = mid;
        }
        return ascending.Length - lo;
    }

    private double ComputeAuc()
    {
        // Mann-Whitney U over the two sorted arrays: for each genuine score, impostors below it count 1, ties 0.5.
        double wins = 0;
        int below = 0, tiedEnd = 0;
        foreach (var g in _genuine)
        {
            while (below < _impostor.Length && _impostor[below] < g) below++;
            if (tiedEnd < below) tiedEnd = below;
            while (tiedEnd < _impostor.Length && _impostor[tiedEnd] == g) tiedEnd++;
            wins += below + 0.5 * (tiedEnd - below);
        }
        return wins / ((double)_genuine.Length * _impostor.Length);
    }

    private (double Eer, double Threshold) ComputeEer()
    {
        // FAR falls and FRR rises with the threshold; search the candidate thresholds for the crossing.
        var candidates = _genuine.Concat(_impostor).Distinct().Order().ToArray();
        int lo = 0, hi = candidates.Length - 1;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (Far(candidates[mid]) > Frr(candidates[mid])) lo = mid + 1; else hi = mid;
        }
        // Compare the crossing with its left neighbour and take the point where the two rates are closest.
        var best = (Eer: double.MaxValue, Gap: double.MaxValue, Threshold: 0.0);
        for (var i = Math.Max(0, lo - 1); i <= Math.Min(candidates.Length - 1, lo); i++)
        {
            double far = Far(candidates[i]), frr = Frr(candidates[i]);
            var gap = Math.Abs(far - frr);
            if (gap < best.Gap) best = ((far + frr) / 2, gap, candidates[i]);
        }
        return (best.Eer, best.Threshold);
    }
}
