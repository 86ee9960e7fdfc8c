using EdgeFace.Runtime.Evaluation;

namespace EdgeFace.Runtime.Signatures;

/// <summary>One candidate α of a calibration, with its skilled- and random-forgery EER averaged over the reference draws.</summary>
public sealed record SignatureAlphaCandidate(double Alpha, double MeanSkilledEer, double MeanRandomEer);

/// <summary>
/// The decision settings a calibration chose (α, μ, base threshold) and what they give on the calibration writers:
/// FRR and FAR at the threshold over the pooled queries of every draw.
/// </summary>
/// <param name="GenuineQueries">Genuine queries of one draw (the same for every draw).</param>
/// <param name="SkilledQueries">Skilled-forgery queries of one draw.</param>
public sealed record SignatureCalibrationResult(
    int References,
    int FirstSeed,
    int Draws,
    double Alpha,
    double Mu,
    double Threshold,
    double Frr,
    double FarSkilled,
    double FarRandom,
    int GenuineQueries,
    int SkilledQueries,
    IReadOnlyList<SignatureAlphaCandidate> Candidates)
{
    /// <summary>The chosen α's candidate.</summary>
    public SignatureAlphaCandidate Chosen => Candidates.First(c => c.Alpha == Alpha);
}

/// <summary>
/// Chooses a signature model's decision settings on held-out writers with the writer-independent protocol
/// (<see cref="SignatureProtocol"/>) repeated over several reference draws (seeds <c>seed … seed+draws−1</c>).
/// With 8 writers, which genuine signatures happen to become references moves the EER by several points, and a single
/// draw picked a different α than the average of five did; averaging over draws makes the choice less of a lottery.
/// μ is the mean reference spread over all draws, fixed before scoring so that adapted scores of different draws are
/// comparable; α is the candidate with the lowest mean skilled-forgery EER (ties: the smaller α); the base threshold
/// is the skilled-forgery equal-error point of the pooled adapted scores of every draw.
/// </summary>
public static class SignatureCalibration
{
    /// <summary>Throws <see cref="EdgeFaceException"/> when the settings cannot run on these writers; cheap, so call it before embedding.</summary>
    public static void Validate(IReadOnlyList<SignatureWriter> writers, int references, int seed, int draws, IReadOnlyList<double> alphas)
    {
        if (draws is < 1 or > 100) throw new EdgeFaceException($"reference draws must be between 1 and 100, got {draws}");
        if (alphas.Count == 0) throw new EdgeFaceException("at least one α candidate is needed");
        SignatureProtocol.Validate(writers, new SignatureProtocolOptions { References = references, Seed = seed });
    }

    /// <summary>Calibrates on <paramref name="writers"/>, whose images must all be in <paramref name="embeddings"/>.</summary>
    public static SignatureCalibrationResult Run(IReadOnlyList<SignatureWriter> writers, SignatureEmbeddings embeddings,
        int references, int seed, int draws, IReadOnlyList<double> alphas)
    {
        Validate(writers, references, seed, draws, alphas);
        var drawOptions = Enumerable.Range(0, draws).Select(d => new SignatureProtocolOptions { References = references, Seed = seed + d }).ToList();
        // Every draw enrols the same number of writers, so the mean of the per-draw means is the mean over all enrolments.
        var mu = drawOptions.Average(o => SignatureProtocol.Run(writers, embeddings, o with { Adaptation = 0 }).PopulationSimilarity);

        var runs = alphas.Distinct().Select(a => drawOptions
            .Select(o => SignatureProtocol.Run(writers, embeddings, o with { Adaptation = a, PopulationSimilarity = mu })).ToList()).ToList();
        var candidates = runs.Select(r => new SignatureAlphaCandidate(r[0].Options.Adaptation, r.Average(x => x.Skilled.Eer), r.Average(x => x.Random.Eer))).ToList();
        var best = runs.Zip(candidates).OrderBy(p => p.Second.MeanSkilledEer).ThenBy(p => p.Second.Alpha).First().First;

        IEnumerable<double> Adapted(QueryKind kind) => best.SelectMany(r => r.Scores).Where(s => s.Kind == kind).Select(s => s.AdaptedScore);
        var skilled = RocCurve.From(Adapted(QueryKind.Genuine), Adapted(QueryKind.Skilled));
        var random = RocCurve.From(Adapted(QueryKind.Genuine), Adapted(QueryKind.Random));
        var threshold = skilled.EerThreshold;
        return new SignatureCalibrationResult(references, seed, draws, best[0].Options.Adaptation, mu, threshold,
            skilled.Frr(threshold), skilled.Far(threshold), random.Far(threshold),
            best[0].Skilled.GenuineCount, best[0].Skilled.ForgeryCount, candidates);
    }
}
