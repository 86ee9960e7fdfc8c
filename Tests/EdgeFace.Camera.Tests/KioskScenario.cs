using EdgeFace.TestSupport;

namespace EdgeFace.Camera.Tests;

/// <summary>
/// The shared kiosk scenario: a 10 fps video of real PINS faces on a 640×480 canvas with enrolled and unknown
/// people entering and leaving, and an encrypted gallery holding the enrolled ones (from other photos of them).
/// </summary>
public sealed class KioskScenario : IDisposable
{
    public const double Fps = 10;
    public const string PersonA = "Alex_Lawther";
    public const string Unknown = "Anne_Hathaway";
    public const string PersonC = "Bill_Gates";
    public const string TurnedAway = "Adriana_Lima";
    public const float Threshold = 0.35f;

    public static readonly Segment[] Segments =
    [
        new(null, 10),                                   // frames 0-9: nobody
        new(KioskMedia.Pins(PersonA, 14), 25),          // 10-34: enrolled A
        new(null, 10),                                   // 35-44
        new(KioskMedia.Pins(Unknown, 10), 30),          // 45-74: not enrolled
        new(null, 10),                                   // 75-84
        new(KioskMedia.Pins(PersonC, 10), 25),          // 85-109: enrolled C
        new(null, 10),                                   // 110-119
        new(KioskMedia.Pins(TurnedAway, 14), 15),       // 120-134: head turned away: guidance, no decision
        new(null, 5),                                    // 135-139
    ];

    public TempDir Dir { get; } = new();
    public string Video { get; }
    public string Gallery { get; }
    public string KeyFile { get; }
    public int FrameCount { get; }

    public KioskScenario()
    {
        using var models = new FaceModels();
        Video = Dir.File("scenario.avi");
        FrameCount = KioskMedia.WriteVideo(Video, Fps, Segments);
        KeyFile = KioskMedia.WriteKey(Dir);
        Gallery = Dir.File("gallery.db");
        KioskMedia.EnrolGallery(Gallery, KeyFile, models, new Dictionary<string, string[]>
        {
            [PersonA] = [.. Enumerable.Range(1, 5).Select(i => KioskMedia.Pins(PersonA, i))],
            [PersonC] = [.. Enumerable.Range(1, 5).Select(i => KioskMedia.Pins(PersonC, i))],
            ["Alvaro_Morte"] = [.. Enumerable.Range(1, 5).Select(i => KioskMedia.Pins("Alvaro_Morte", i))],
        });
    }

    /// <summary>The options every kiosk run in the tests shares: the shared models, the gallery and its key, the test threshold.</summary>
    public string[] CommonArgs() =>
        ["--gallery", Gallery, "--key-file", KeyFile, "--models", FaceModels.ModelsFolder, "--threshold", Threshold.ToString(System.Globalization.CultureInfo.InvariantCulture), "--device", "cpu", "--threads", "1"];

    public void Dispose() => Dir.Dispose();
}
