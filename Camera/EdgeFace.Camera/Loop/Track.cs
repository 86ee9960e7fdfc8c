using EdgeFace.Camera.Faces;
using EdgeFace.Camera.Liveness;

namespace EdgeFace.Camera.Loop;

/// <summary>
/// One person followed across frames by the <see cref="IouTracker"/>, with the evidence gathered for its decision.
/// Tracks are pooled by the tracker and reset for reuse, so the embedding buffer is allocated once per pooled track.
/// </summary>
public sealed class Track(int embeddingSize)
{
    public int Id { get; internal set; }
    public FaceObservation Face { get; internal set; }
    /// <summary>Ticks since the track appeared.</summary>
    public int Age { get; internal set; }
    /// <summary>Consecutive detection runs that did not find this track.</summary>
    public int Misses { get; internal set; }
    /// <summary>True when this tick's detector saw the face (landmarks are fresh, not carried).</summary>
    public bool SeenThisTick { get; internal set; }
    public TimeSpan FirstSeen { get; internal set; }
    public long FirstFrame { get; internal set; }

    public float[] Embedding { get; } = new float[embeddingSize];

    /// <summary>Quality-weighted score fusion per candidate identity (small; a few candidates at most).</summary>
    internal readonly List<Candidate> Candidates = [];
    public int Samples { get; internal set; }
    public float BestEmbeddedQuality { get; internal set; }
    public float LivenessSum { get; internal set; }
    public int LivenessSamples { get; internal set; }
    public HeadTurnChallenge Challenge { get; } = new();
    public bool ChallengeStarted { get; internal set; }
    public bool Decided { get; internal set; }

    /// <summary>The candidate with the highest fused score, or default when nothing was scored.</summary>
    public Candidate Best
    {
        get
        {
            Candidate best = default;
            foreach (var c in Candidates) if (best.Identity is null || c.Fused > best.Fused) best = c;
            return best;
        }
    }

    public float? Liveness => LivenessSamples > 0 ? LivenessSum / LivenessSamples : null;

    internal void AddScore(string identity, float score, float weight)
    {
        for (var i = 0; i < Candidates.Count; i++)
        {
            if (!ReferenceEquals(Candidates[i].Identity, identity) && Candidates[i].Identity != identity) continue;
            Candidates[i] = Candidates[i].Add(score, weight);
            return;
        }
        Candidates.Add(new Candidate(identity, 0, 0, 0).Add(score, weight));
    }

    internal void Reset(int id, in FaceObservation face, TimeSpan now, long frame)
    {
        Id = id;
        Face = face;
        Age = 0;
        Misses = 0;
        SeenThisTick = true;
        FirstSeen = now;
        FirstFrame = frame;
        Candidates.Clear();
        Samples = 0;
        BestEmbeddedQuality = 0;
        LivenessSum = 0;
        LivenessSamples = 0;
        ChallengeStarted = false;
        Decided = false;
    }

    /// <summary>Quality-weighted mean of one identity's scores over frames.</summary>
    public readonly record struct Candidate(string? Identity, double WeightedSum, double Weight, int Count)
    {
        public float Fused => Weight > 0 ? (float)(WeightedSum / Weight) : 0f;
        public Candidate Add(float score, float weight) => this with { WeightedSum = WeightedSum + score * weight, Weight = Weight + weight, Count = Count + 1 };
    }
}
