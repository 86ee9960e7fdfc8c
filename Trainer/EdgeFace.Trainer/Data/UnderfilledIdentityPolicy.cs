namespace EdgeFace.Trainer.Data;

/// <summary>What a <see cref="PkBatchSampler"/> does with an identity that has fewer than K images.</summary>
public enum UnderfilledIdentityPolicy
{
    /// <summary>Refuse to start, naming the identity ("unbalanced: identity X has 1 image, K=4 needs 4"). The default: nothing is silently dropped.</summary>
    Error,
    /// <summary>Leave such identities out of sampling.</summary>
    Skip,
    /// <summary>Draw its images more than once within a batch slot group (each pass reshuffled).</summary>
    Repeat,
}
