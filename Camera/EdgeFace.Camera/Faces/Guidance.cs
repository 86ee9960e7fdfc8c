namespace EdgeFace.Camera.Faces;

/// <summary>What the kiosk asks the person in front of it to do.</summary>
public enum Guidance
{
    LookAtCamera,
    MoveCloser,
    FaceTheCamera,
    MoreLight,
    HoldStill,
    OnePersonAtATime,
    TurnHeadLeft,
    TurnHeadRight,
    Checking,
    ChooseIdentity,
    CameraReconnecting,
}

public static class GuidanceText
{
    /// <summary>The sentence shown on screen.</summary>
    public static string Of(Guidance g) => g switch
    {
        Guidance.LookAtCamera => "Please look at the camera",
        Guidance.MoveCloser => "Move closer",
        Guidance.FaceTheCamera => "Face the camera",
        Guidance.MoreLight => "More light needed",
        Guidance.HoldStill => "Hold still",
        Guidance.OnePersonAtATime => "One person at a time",
        Guidance.TurnHeadLeft => "Turn your head left",
        Guidance.TurnHeadRight => "Turn your head right",
        Guidance.Checking => "Checking...",
        Guidance.ChooseIdentity => "Choose your name on the screen",
        Guidance.CameraReconnecting => "Camera reconnecting...",
        _ => g.ToString(),
    };
}
