using EdgeFace.Camera.Decisions;
using EdgeFace.Camera.Faces;
using EdgeFace.Camera.Loop;
using EdgeFace.Camera.Sources;
using EdgeFace.Enrollment.Store;
using EdgeFace.TestSupport;

namespace EdgeFace.Camera.Tests;

/// <summary>A source that breaks mid-run is reconnected with backoff while the loop keeps ticking and says so.</summary>
public sealed class DisconnectTests(FaceModels models) : IClassFixture<FaceModels>
{
    [Fact]
    public void Loop_carries_on_through_a_disconnect_and_the_source_reconnects()
    {
        // The "camera" drops out at frame 40, and the next two re-open attempts fail too (backoff 20, 40, 80 ms).
        var source = new SyntheticSource(320, 240, 30)
        {
            FailRead = n => n == 40,
            FailOpen = attempt => attempt is 2 or 3,
        };
        using var feed = new LiveFrameFeed(source, new ReconnectPolicy(TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(80)));
        using var store = new InMemoryGalleryStore();
        using var matcher = new GalleryIdentityMatcher(store, models.Model, models.Analyzer.EmbeddingSize, 0.35f);
        using var quality = new FaceQualityAssessor(new GuidanceOptions());
        var sink = new RecordingSink();
        var loop = KioskLoopFactory.Create(new KioskParts
        {
            Clock = new SystemClock(), Feed = feed, Analyzer = models.Analyzer, Matcher = matcher, Quality = quality,
            Session = new KioskSession(KioskMode.Identify), Sinks = [sink],
            Loop = new KioskLoopOptions { TickRate = 50, StopWhenSourceEnds = false },
        });
        feed.Start();
        using var stop = new CancellationTokenSource();
        var thread = new Thread(() => loop.Run(stop.Token));
        thread.Start();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (feed.Reconnects < 1 && DateTime.UtcNow < deadline) Thread.Sleep(20);
        var processedAtReconnect = loop.Telemetry.FramesProcessed;
        while (loop.Telemetry.FramesProcessed < processedAtReconnect + 20 && DateTime.UtcNow < deadline) Thread.Sleep(20);
        stop.Cancel();
        thread.Join();

        Assert.Equal(1, feed.Reconnects);
        Assert.Equal(4, source.OpenAttempts); // first open, two failed retries, one success
        Assert.Equal(SourceState.Live, feed.State);
        // The loop ticked while the camera was away and told the person so, then frames flowed again.
        var outage = sink.Ticks.Where(t => t.Source == SourceState.Reconnecting).ToList();
        Assert.NotEmpty(outage);
        Assert.All(outage, t => Assert.Equal(Guidance.CameraReconnecting, t.Guidance));
        var lastOutageTick = outage[^1].Tick;
        Assert.Contains(sink.Ticks, t => t.Tick > lastOutageTick && t.HasFrame && t.Source == SourceState.Live);
        Assert.True(source.FramesProduced >= 60, $"{source.FramesProduced} frames");
    }

    [Fact]
    public async Task Missing_camera_fails_clearly_or_is_waited_for()
    {
        using var dir = new TempDir();
        var key = KioskMedia.WriteKey(dir);
        var common = new[] { "--gallery", dir.File("g.db"), "--key-file", key, "--models", FaceModels.ModelsFolder, "--threshold", "0.35", "--mode", "enrol" };
        var failed = CliProcess.Run("edgeface", ["kiosk", "--source", "9", "--headless", "--out", dir.File("out"), .. common]);
        Assert.Equal(2, failed.ExitCode);
        Assert.Equal("edgeface kiosk: cannot open camera 9 (pass --wait-for-camera to keep retrying)", failed.Stderr.Trim());

        using var waiting = CliProcess.Start("edgeface", ["kiosk", "--source", "9", "--wait-for-camera", "--headless", "--out", dir.File("out2"), .. common]);
        var firstLine = await waiting.StandardError.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
        await Task.Delay(1500);
        Assert.False(waiting.HasExited, "the kiosk gave up instead of waiting for the camera");
        waiting.Kill(entireProcessTree: true);
        Assert.StartsWith("waiting for camera 9", firstLine);
    }
}
