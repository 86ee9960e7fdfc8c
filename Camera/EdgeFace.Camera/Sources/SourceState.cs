namespace EdgeFace.Camera.Sources;

/// <summary>Where a frame feed stands; shown on the kiosk screen and in telemetry.</summary>
public enum SourceState
{
    /// <summary>Not yet opened (or waiting for the camera to appear, with --wait-for-camera).</summary>
    Connecting,
    /// <summary>Delivering frames.</summary>
    Live,
    /// <summary>The source failed; re-opening with exponential backoff.</summary>
    Reconnecting,
    /// <summary>Finite media reached its end.</summary>
    Ended,
    /// <summary>Stopped by its owner.</summary>
    Stopped,
}

/// <summary>Exponential backoff between reconnect attempts: <c>Initial · Multiplier^n</c>, capped at <c>Max</c>.</summary>
public sealed record ReconnectPolicy(TimeSpan Initial, TimeSpan Max, double Multiplier = 2)
{
    public static ReconnectPolicy Default { get; } = new(TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(8));

    public TimeSpan Delay(int failedAttempts)
    {
        var ms = Initial.TotalMilliseconds * Math.Pow(Multiplier, Math.Max(0, failedAttempts - 1));
        return TimeSpan.FromMilliseconds(Math.Min(ms, Max.TotalMilliseconds));
    }
}
