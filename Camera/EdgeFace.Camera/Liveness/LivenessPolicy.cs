namespace EdgeFace.Camera.Liveness;

/// <summary>Which liveness checks must pass before a person is accepted.</summary>
public enum LivenessPolicy
{
    None,
    /// <summary>MiniFASNet ensemble score fused over frames must reach the liveness threshold.</summary>
    Passive,
    /// <summary>A head-turn challenge must be answered.</summary>
    Active,
    /// <summary>Both of the above.</summary>
    Both,
}
