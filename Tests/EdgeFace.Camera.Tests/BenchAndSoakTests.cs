using System.Text.Json;
using EdgeFace.Camera.Decisions;
using EdgeFace.Camera.Faces;
using EdgeFace.Camera.Loop;
using EdgeFace.Camera.Output;
using EdgeFace.Camera.Server;
using EdgeFace.Camera.Sources;
using EdgeFace.Enrollment.Security;
using EdgeFace.Enrollment.Store;
using EdgeFace.TestSupport;
using Xunit.Abstractions;

namespace EdgeFace.Camera.Tests;

public sealed class BenchAndSoakTests(KioskScenario scenario, ITestOutputHelper output) : IClassFixture<KioskScenario>
{
    [Fact]
    public void Bench_kiosk_reports_fps_stages_and_overhead()
    {
        var result = CliProcess.Run("edgeface", ["bench", "kiosk", "--source", scenario.Video, "--frames", "140", "--json", "--models", FaceModels.ModelsFolder, "--device", "cpu",
            "--gallery", scenario.Gallery, "--key-file", scenario.KeyFile]);
        Assert.True(result.ExitCode == 0, result.ToString());
        output.WriteLine(result.Stdout);
        using var json = JsonDocument.Parse(result.Stdout);
        var root = json.RootElement;
        Assert.Equal(140, root.GetProperty("frames").GetInt64());
        Assert.Equal(640, root.GetProperty("width").GetInt32());
        Assert.True(root.GetProperty("kiosk_fps").GetDouble() > 0);
        Assert.True(root.GetProperty("bare_fps").GetDouble() > 0);
        Assert.True(root.GetProperty("embeddings").GetInt64() > 0);
        Assert.Equal(3, root.GetProperty("decisions").GetInt64());
        Assert.Equal(["capture", "detect", "track", "embed", "liveness", "decide", "present"],
            root.GetProperty("stage_mean_ms").EnumerateObject().Select(p => p.Name));
    }

    private static long ResidentBytes() =>
        File.ReadLines("/proc/self/status").Where(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024).Single();

    private static int OpenFiles() => Directory.GetFiles("/proc/self/fd").Length;

    /// <summary>
    /// 30,000 frames of a looping 320×240 video (people entering and leaving every 14 s) through the full loop with the
    /// real detector and embedder, as fast as the CPU allows. After warm-up (12,000 frames), resident memory may grow by at most 5 MB
    /// and no file descriptors or threads may leak. Run separately: <c>--filter Category=Soak</c>.
    /// </summary>
    [Fact]
    [Trait("Category", "Soak")]
    public void Soak_30000_frames_without_leaks()
    {
        // Warm-up covers the allocator, ONNX Runtime arenas and SQLite's page cache filling up: measured RSS climbs
        // until about frame 12,000 and is flat after it (see the RSS trace this test prints).
        const int total = 30_000, warmUp = 12_000;
        var video = scenario.Dir.File("soak.avi");
        KioskMedia.WriteVideo(video, KioskScenario.Fps, KioskScenario.Segments, faceHeight: 300); // written at 640×480 …
        var small = scenario.Dir.File("soak-small.avi");
        using (var cap = new OpenCvSharp.VideoCapture(video))
        using (var writer = new OpenCvSharp.VideoWriter(small, OpenCvSharp.FourCC.MJPG, KioskScenario.Fps, new OpenCvSharp.Size(320, 240)))
        using (var f = new OpenCvSharp.Mat())
        using (var s = new OpenCvSharp.Mat())
            while (cap.Read(f) && !f.Empty()) { OpenCvSharp.Cv2.Resize(f, s, new OpenCvSharp.Size(320, 240), 0, 0, OpenCvSharp.InterpolationFlags.Area); writer.Write(s); } // … and shrunk for speed

        using var models = new FaceModels();
        using var key = GalleryKey.LoadFile(scenario.KeyFile);
        using var store = SqliteGalleryStore.Open(scenario.Gallery, key);
        using var matcher = new GalleryIdentityMatcher(store, models.Model, models.Analyzer.EmbeddingSize, KioskScenario.Threshold);
        using var feed = new ReplayFrameFeed(VideoCaptureSource.File(small, loop: true));
        using var quality = new FaceQualityAssessor(new GuidanceOptions { MinEyeDistance = 14 });
        using var outDir = new TempDir();
        using var recorder = new HeadlessRecorder(outDir.Path, KioskScenario.Fps, recordVideo: false);
        var session = new KioskSession(KioskMode.Identify);
        var status = new KioskStatusBoard(session);
        var loop = KioskLoopFactory.Create(new KioskParts
        {
            Clock = new ManualClock(), Feed = feed, Analyzer = models.Analyzer, Matcher = matcher, Quality = quality, Session = session,
            Sinks = [status, recorder], Loop = new KioskLoopOptions { TickRate = KioskScenario.Fps },
        });
        status.Attach(loop);
        var decisions = 0;
        loop.DecisionMade += d => { decisions++; matcher.Audit(d); };
        feed.Start();
        loop.Open();
        long rss0 = 0, managed0 = 0;
        int fds0 = 0, threads0 = 0;
        var started = System.Diagnostics.Stopwatch.StartNew();
        var samples = new List<string>();
        for (var i = 0; i < total; i++)
        {
            Assert.True(loop.Tick());
            if (i % 3000 == 0) samples.Add($"{i}:{ResidentBytes() / 1048576.0:F1}");
            if (i == warmUp)
            {
                GC.Collect(); GC.WaitForPendingFinalizers(); GC.Collect();
                (rss0, managed0, fds0, threads0) = (ResidentBytes(), GC.GetTotalMemory(true), OpenFiles(), System.Diagnostics.Process.GetCurrentProcess().Threads.Count);
            }
        }
        loop.Close();
        GC.Collect(); GC.WaitForPendingFinalizers(); GC.Collect();
        var (rss1, managed1, fds1, threads1) = (ResidentBytes(), GC.GetTotalMemory(true), OpenFiles(), System.Diagnostics.Process.GetCurrentProcess().Threads.Count);
        output.WriteLine($"soak: {total} frames in {started.Elapsed.TotalSeconds:F1} s, {decisions} decisions, {loop.Telemetry.Embeddings} embeddings");
        output.WriteLine($"soak: RSS {rss0 / 1048576.0:F1} -> {rss1 / 1048576.0:F1} MB ({(rss1 - rss0) / 1048576.0:+0.00;-0.00} MB), managed {managed0 / 1048576.0:F2} -> {managed1 / 1048576.0:F2} MB, fds {fds0} -> {fds1}, threads {threads0} -> {threads1}");

        output.WriteLine($"soak: RSS MB by frame {string.Join(' ', samples)}");
        Assert.Equal(total, loop.Telemetry.FramesProcessed);
        Assert.True(decisions > 200, $"{decisions} decisions"); // people kept coming and going
        Assert.True(rss1 - rss0 <= 5 * 1048576, $"resident memory grew by {(rss1 - rss0) / 1048576.0:F2} MB");
        Assert.True(managed1 - managed0 <= 1048576, $"managed heap grew by {(managed1 - managed0) / 1048576.0:F2} MB");
        Assert.Equal(fds0, fds1);
        // The runtime's thread pool grows and shrinks on its own by a thread or two; a leak would add one per reconnect/decision.
        Assert.True(threads1 <= threads0 + 2, $"threads {threads0} -> {threads1}");
    }
}
