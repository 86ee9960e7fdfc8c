using EdgeFace.Runtime.Faces;
using EdgeFace.Camera.Faces;

namespace EdgeFace.Camera.Liveness;

public enum ChallengeState { Waiting, Passed, Failed }

/// <summary>
/// Challenge–response liveness from the 5 detector landmarks: the person is asked to turn the head one way,
/// and passes when the yaw proxy (<see cref="FaceGeometry.Yaw"/>) moves from its starting value by at least
/// <see cref="MinYawChange"/> in the asked direction before <see cref="Timeout"/>. A printed photo or a still face
/// keeps its yaw and fails. Blinks are not used: 5-point landmarks carry no eyelid information.
/// Directions are in image coordinates of the unmirrored camera: the person's left is the image's right,
/// so "turn left" expects the nose to move towards image right (yaw increasing).
/// </summary>
public sealed class HeadTurnChallenge
{
    public float MinYawChange { get; init; } = 0.35f;
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(4);

    public Guidance Direction { get; private set; } = Guidance.TurnHeadLeft;
    public ChallengeState State { get; private set; } = ChallengeState.Waiting;
    private float? _baseline;
    private TimeSpan _started;

    /// <summary>Starts (or restarts) the challenge; <paramref name="turnLeft"/> picks the direction.</summary>
    public void Start(bool turnLeft, TimeSpan now)
    {
        Direction = turnLeft ? Guidance.TurnHeadLeft : Guidance.TurnHeadRight;
        State = ChallengeState.Waiting;
        _baseline = null;
        _started = now;
    }

    /// <summary>Feeds one frame's landmarks; returns the state after it.</summary>
    public ChallengeState Observe(in FacePoints landmarks, TimeSpan now)
    {
        if (State != ChallengeState.Waiting) return State;
        var yaw = FaceGeometry.Yaw(landmarks);
        _baseline ??= yaw;
        var change = yaw - _baseline.Value;
        if (Direction == Guidance.TurnHeadRight) change = -change;
        if (change >= MinYawChange) State = ChallengeState.Passed;
        else if (now - _started >= Timeout) State = ChallengeState.Failed;
        return State;
    }
}
