namespace EdgeFace.Runtime.Evaluation;

/// <summary>
/// One comparison in a verification experiment. <see cref="Score"/> is "higher = more alike":
/// callers negate distances. <see cref="Fold"/> is the cross-validation fold (0-based), if any.
/// </summary>
public readonly record struct ScoredPair(double Score, bool Genuine, int Fold = 0);
