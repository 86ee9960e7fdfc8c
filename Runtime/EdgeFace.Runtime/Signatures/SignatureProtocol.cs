using EdgeFace.Runtime.Evaluation;

namespace EdgeFace.Runtime.Signatures;

/// <summary>
/// The writer-independent evaluation protocol: one embedder and one base threshold for every writer, no per-writer
/// training. For each writer, R references are drawn from the genuine signatures with a fixed seed; the queries are the
/// writer's other genuine signatures, the skilled forgeries of the writer, and random forgeries (all genuine signatures
/// of the other writers in the set). Each query is scored by mean (or max) cosine over the references and adapted by
/// the writer's reference spread (see <see cref="SignatureProtocolOptions"/>). Deterministic for a given seed.
/// </summary>
public static class SignatureProtocol
{
    /// <summary>Runs the protocol on <paramref name="writers"/>, whose images must all be in <paramref name="embeddings"/>.</summary>
    public static SignatureProtocolResult Run(IReadOnlyList<SignatureWriter> writers, SignatureEmbeddings embeddings, SignatureProtocolOptions options)
    {
        Validate(writers, options);

        var enrolments = writers.Select(w => DrawReferences(w, options)).ToList();
        var spreads = enrolments.Select(e => Spread(e.References, embeddings)).ToList();
        var defined = spreads.Where(double.IsFinite).ToList();
        var mu = options.PopulationSimilarity ?? (defined.Count > 0 ? defined.Average() : 0);

        var scores = new List<SignatureQueryScore>();
        var enrolled = new List<SignatureEnrolment>();
        for (var i = 0; i < writers.Count; i++)
        {
            var writer = writers[i];
            var refs = enrolments[i].References;
            var shift = double.IsFinite(spreads[i]) ? options.Adaptation * (spreads[i] - mu) : 0;
            enrolled.Add(new SignatureEnrolment(writer.Id, refs, spreads[i], shift));
            var referenceSet = refs.ToHashSet();
            void Score(string path, QueryKind kind)
            {
                var s = Aggregate(embeddings[path], refs, embeddings, options.Aggregation);
                scores.Add(new SignatureQueryScore(writer.Id, kind, path, s, s - shift));
            }
            foreach (var g in writer.Genuine.Where(g => !referenceSet.Contains(g.Path))) Score(g.Path, QueryKind.Genuine);
            foreach (var f in writer.Forgeries) Score(f.Path, QueryKind.Skilled);
            foreach (var other in writers.Where(o => o.Id != writer.Id))
                foreach (var g in other.Genuine) Score(g.Path, QueryKind.Random);
        }
        if (!scores.Any(s => s.Kind == QueryKind.Skilled)) throw new EdgeFaceException("the selected writers have no skilled forgeries to evaluate");

        RocCurve Roc(QueryKind kind, bool adapted) => RocCurve.From(
            scores.Where(s => s.Kind == QueryKind.Genuine).Select(s => adapted ? s.AdaptedScore : s.Score),
            scores.Where(s => s.Kind == kind).Select(s => adapted ? s.AdaptedScore : s.Score));
        var skilled = Roc(QueryKind.Skilled, true);
        var random = Roc(QueryKind.Random, true);
        var threshold = options.Threshold ?? skilled.EerThreshold;
        return new SignatureProtocolResult(embeddings.EmbedderId, options, enrolled, scores, mu,
            ForgeryMetrics.From(skilled), ForgeryMetrics.From(random),
            ForgeryMetrics.From(Roc(QueryKind.Skilled, false)), ForgeryMetrics.From(Roc(QueryKind.Random, false)),
            threshold, skilled.Frr(threshold), skilled.Far(threshold), random.Far(threshold));
    }

    /// <summary>Throws <see cref="EdgeFaceException"/> when the options cannot run on these writers; cheap, so call it before embedding.</summary>
    public static void Validate(IReadOnlyList<SignatureWriter> writers, SignatureProtocolOptions options)
    {
        options.Validate();
        if (writers.Count < 2) throw new EdgeFaceException($"the protocol needs at least 2 writers (random forgeries come from the others), got {writers.Count}");
        foreach (var w in writers)
            if (w.Genuine.Count <= options.References)
                throw new EdgeFaceException($"writer {w.Id:000} has {w.Genuine.Count} genuine signatures; {options.References} references leave no genuine query");
    }

    /// <summary>R genuine signatures by a seeded shuffle; each writer has its own generator, so adding a writer changes no other draw.</summary>
    private static SignatureEnrolment DrawReferences(SignatureWriter writer, SignatureProtocolOptions options)
    {
        var order = writer.Genuine.Select(g => g.Path).ToArray();
        new Random(unchecked(options.Seed * 100_003 + writer.Id)).Shuffle(order);
        return new SignatureEnrolment(writer.Id, order.Take(options.References).ToList(), double.NaN, 0);
    }

    /// <summary>Mean pairwise cosine among the references (m_w); NaN with fewer than two.</summary>
    internal static double Spread(IReadOnlyList<string> references, SignatureEmbeddings embeddings) =>
        SignatureModel.Spread(references.Select(r => embeddings[r]).ToList());

    private static double Aggregate(float[] query, IReadOnlyList<string> references, SignatureEmbeddings embeddings, ReferenceAggregation aggregation)
    {
        double sum = 0, max = double.NegativeInfinity;
        foreach (var r in references)
        {
            var s = SignatureVectors.Cosine(query, embeddings[r]);
            sum += s;
            max = Math.Max(max, s);
        }
        return aggregation == ReferenceAggregation.Max ? max : sum / references.Count;
    }
}
