using EdgeFace.Camera.Decisions;
using EdgeFace.Camera.Faces;
using EdgeFace.Camera.Loop;
using EdgeFace.Runtime.Cli;

namespace EdgeFace.Camera;

/// <summary>Everything <c>edgeface kiosk</c> is told on its command line, validated.</summary>
public sealed record KioskHostOptions
{
    /// <summary>Camera index, URL, image folder or video file.</summary>
    public required string Source { get; init; }
    public required string GalleryPath { get; init; }
    public string? GalleryKeyFile { get; init; }
    public KioskMode Mode { get; init; } = KioskMode.Identify;
    public required FaceCliOptions Faces { get; init; }
    /// <summary>Cosine threshold; null takes the embedding model's calibrated default.</summary>
    public float? Threshold { get; init; }
    public DecisionOptions Decisions { get; init; } = new();
    public KioskLoopOptions Loop { get; init; } = new();
    public GuidanceOptions Guidance { get; init; } = new();
    /// <summary>Headless: write kiosk.avi and decisions.jsonl to <see cref="OutputFolder"/> instead of serving a screen.</summary>
    public bool Headless { get; init; }
    public string? OutputFolder { get; init; }
    public string Urls { get; init; } = "http://127.0.0.1:5000";
    public string? ApiKeyFile { get; init; }
    /// <summary>Keep retrying a camera that is missing at start instead of failing.</summary>
    public bool WaitForCamera { get; init; }
    /// <summary>Replay finite media frame by frame on a stepped clock (deterministic); default for headless files.</summary>
    public bool? Replay { get; init; }
    /// <summary>Loop finite media (demo kiosks, soak runs).</summary>
    public bool LoopMedia { get; init; }
    /// <summary>Playback rate for image folders.</summary>
    public double FolderFps { get; init; } = 10;
    /// <summary>Identity claimed up front in verify mode (otherwise chosen on the screen).</summary>
    public string? Claim { get; init; }
}
