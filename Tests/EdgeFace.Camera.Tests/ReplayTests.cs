using System.Text.Json;
using EdgeFace.TestSupport;

namespace EdgeFace.Camera.Tests;

/// <summary>
/// Deterministic replay through the real CLI: a recorded video is replayed frame by frame on a stepped clock,
/// giving the exact same decisions (person, outcome, frame) every time.
/// </summary>
public sealed class ReplayTests(KioskScenario scenario) : IClassFixture<KioskScenario>
{
    private sealed record Decision(long Frame, int Track, string Mode, string Outcome, string? Identity, float Score, float? Liveness, int Samples, string Reason);

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private (CliResult Result, List<Decision> Decisions, string Out) RunHeadless(string name, params string[] extra)
    {
        var outDir = scenario.Dir.File(name);
        var result = CliProcess.Run("edgeface", ["kiosk", "--source", scenario.Video, "--mode", "identify", "--headless", "--out", outDir, .. scenario.CommonArgs(), .. extra]);
        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = File.ReadAllLines(Path.Combine(outDir, "decisions.jsonl"));
        return (result, lines.Select(l => JsonSerializer.Deserialize<Decision>(l, Json)!).ToList(), outDir);
    }

    [Fact]
    public void Replay_gives_the_exact_decision_sequence_twice()
    {
        var (first, decisions, outDir) = RunHeadless("run1");
        var (_, again, _) = RunHeadless("run2");

        var summary = decisions.Select(d => (d.Identity, d.Outcome, d.Frame)).ToList();
        Assert.Equal(
        [
            (KioskScenario.PersonA, "accepted", 12L),
            (null, "rejected", 65L),
            (KioskScenario.PersonC, "accepted", 87L),
        ], summary);
        Assert.All(decisions.Where(d => d.Outcome == "accepted"), d => Assert.True(d.Score >= KioskScenario.Threshold && d.Samples >= 3, d.ToString()));
        Assert.Equal(decisions, again);

        // stdout carries the same decisions as JSON lines; the annotated video holds every frame.
        Assert.Equal(decisions.Count, first.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        using var video = new OpenCvSharp.VideoCapture(Path.Combine(outDir, "kiosk.avi"));
        Assert.Equal(scenario.FrameCount, video.FrameCount);
    }

    [Fact]
    public void Verify_mode_accepts_the_claimed_person_and_rejects_an_impostor()
    {
        var (_, decisions, _) = RunHeadless("verify", "--mode", "verify", "--claim", KioskScenario.PersonC);
        var summary = decisions.Select(d => (d.Identity, d.Outcome, d.Frame)).ToList();
        // A and the unknown person both claim to be C and are refused after the timeout; C is accepted.
        Assert.Equal(
        [
            (KioskScenario.PersonC, "rejected", 30L),
            (KioskScenario.PersonC, "rejected", 65L),
            (KioskScenario.PersonC, "accepted", 87L),
        ], summary);
    }

    [Fact]
    public void Passive_liveness_policy_scores_every_decision_and_gates_acceptance()
    {
        var (_, decisions, _) = RunHeadless("passive", "--liveness", "passive");
        Assert.NotEmpty(decisions);
        Assert.All(decisions, d => Assert.InRange(d.Liveness!.Value, 0f, 1f));
        // A face that matches is accepted only when live enough, otherwise it is flagged as a suspected spoof.
        Assert.All(decisions.Where(d => d.Identity is not null), d =>
            Assert.Equal(d.Liveness >= 0.5f ? "accepted" : "spoof", d.Outcome));
        Assert.Equal([KioskScenario.PersonA, KioskScenario.PersonC], decisions.Where(d => d.Identity is not null).Select(d => d.Identity));
    }

    [Fact]
    public void Active_liveness_never_accepts_a_still_photo()
    {
        // Every face in the video is a still photo: the head-turn challenge starts once a face matches, is never
        // answered, and nobody is let in. The unknown person is still rejected as before.
        var (_, decisions, _) = RunHeadless("active", "--liveness", "active");
        Assert.DoesNotContain(decisions, d => d.Outcome == "accepted");
        Assert.Contains(decisions, d => d.Outcome == "rejected" && d.Identity is null);
    }
}
