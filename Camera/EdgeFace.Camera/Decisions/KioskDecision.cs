using System.Text.Json.Serialization;

namespace EdgeFace.Camera.Decisions;

[JsonConverter(typeof(JsonStringEnumConverter<DecisionOutcome>))]
public enum DecisionOutcome
{
    /// <summary>Verified (verify mode) or identified (identify mode).</summary>
    [JsonStringEnumMemberName("accepted")] Accepted,
    /// <summary>Not the claimed person, or not anyone in the gallery, within the time allowed.</summary>
    [JsonStringEnumMemberName("rejected")] Rejected,
    /// <summary>The face matched but did not pass liveness.</summary>
    [JsonStringEnumMemberName("spoof")] SpoofSuspected,
    /// <summary>Enrol mode: the operator's capture was stored.</summary>
    [JsonStringEnumMemberName("enrolled")] Enrolled,
}

[JsonConverter(typeof(JsonStringEnumConverter<KioskMode>))]
public enum KioskMode
{
    [JsonStringEnumMemberName("verify")] Verify,
    [JsonStringEnumMemberName("identify")] Identify,
    [JsonStringEnumMemberName("enrol")] Enrol,
}

/// <summary>One kiosk decision about one tracked person. Written as a JSON line in headless mode and pushed to the screen.</summary>
public sealed record KioskDecision(
    long Frame,
    double TimeSeconds,
    int Track,
    KioskMode Mode,
    DecisionOutcome Outcome,
    string? Identity,
    float Score,
    float? Liveness,
    int Samples,
    string Reason);
