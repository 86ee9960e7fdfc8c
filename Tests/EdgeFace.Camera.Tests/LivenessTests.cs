using EdgeFace.Camera.Faces;
using EdgeFace.Camera.Liveness;
using EdgeFace.Runtime.Faces;
using EdgeFace.Runtime.Inference;
using OpenCvSharp;

namespace EdgeFace.Camera.Tests;

/// <summary>
/// Liveness on real images. We have no spoof dataset, so these tests check that the models run with the card's
/// crops and preprocessing and give sane probabilities, and that the head-turn challenge separates a turning head
/// (landmarks from real photos of one person facing different ways) from a still one (the same photo repeated).
/// They cannot show that printed photos or screens are rejected.
/// </summary>
public sealed class LivenessTests(FaceModels models, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<FaceModels>
{
    private FaceDetection DetectLargest(string image, Mat canvas)
    {
        KioskMedia.Compose(image, canvas);
        var faces = new List<FaceObservation>();
        models.Analyzer.Detect(canvas, faces);
        Assert.NotEmpty(faces);
        return faces.MaxBy(f => f.Box.Area).Detection;
    }

    [Fact]
    public void Passive_ensemble_runs_both_models_on_the_card_crops_and_gives_probabilities()
    {
        using var liveness = PassiveLivenessModel.Open(models.Catalog, new SessionFactory(DeviceRequest.Cpu, null, 1));
        Assert.Equal([PassiveLivenessModel.V2Id, PassiveLivenessModel.V1SEId], liveness.MemberIds);
        using var canvas = new Mat();
        var each = new float[2];
        foreach (var (person, n) in new[] { ("Bill_Gates", 10), ("Alex_Lawther", 14), ("Anne_Hathaway", 10) })
        {
            var face = DetectLargest(KioskMedia.Pins(person, n), canvas);
            var crops = liveness.Crops(canvas.Width, canvas.Height, face.Box);
            Assert.Equal(MiniFasCrop.Compute(640, 480, face.Box, 2.7f), crops[0]);
            Assert.Equal(MiniFasCrop.Compute(640, 480, face.Box, 4.0f), crops[1]);
            Assert.True(crops[1].Width >= crops[0].Width); // V1SE sees at least as much context (both cap at the frame for big faces)

            liveness.ScoreEach(canvas, face.Box, each);
            var score = liveness.Score(canvas, face.Box);
            output.WriteLine($"{person} {n}: V2 {each[0]:0.000}, V1SE {each[1]:0.000}, ensemble {score:0.000}");
            Assert.InRange(each[0], 0f, 1f);
            Assert.InRange(each[1], 0f, 1f);
            Assert.NotEqual(each[0], each[1]); // two different models really ran
            Assert.Equal((each[0] + each[1]) / 2, score, 5);
            Assert.Equal(score, liveness.Score(canvas, face.Box)); // deterministic, buffers reused cleanly
        }
    }

    [Fact]
    public void Passive_score_depends_on_the_crop_context()
    {
        // The same face with the frame around it blanked out must score differently: the models look at context,
        // which is why the card insists on the full frame rather than a tight crop.
        using var liveness = PassiveLivenessModel.Open(models.Catalog, new SessionFactory(DeviceRequest.Cpu, null, 1));
        using var canvas = new Mat();
        var face = DetectLargest(KioskMedia.Pins("Bill_Gates", 10), canvas);
        var full = liveness.Score(canvas, face.Box);
        using var blank = new Mat(canvas.Size(), canvas.Type(), Scalar.All(0));
        var rect = new Rect((int)face.Box.X, (int)face.Box.Y, (int)face.Box.Width, (int)face.Box.Height);
        using (var src = new Mat(canvas, rect)) using (var dst = new Mat(blank, rect)) src.CopyTo(dst);
        Assert.NotEqual(full, liveness.Score(blank, face.Box), 3);
    }

    private (FacePoints Frontal, FacePoints TurnedImageRight, FacePoints TurnedImageLeft) RealPoses()
    {
        using var canvas = new Mat();
        // Measured on these PINS photos: Alex_Lawther 14 is frontal (yaw ≈ 0), 12 has the nose far towards image right;
        // Adriana_Lima 14 has it towards image left.
        var frontal = DetectLargest(KioskMedia.Pins("Alex_Lawther", 14), canvas).Landmarks;
        var right = DetectLargest(KioskMedia.Pins("Alex_Lawther", 12), canvas).Landmarks;
        var left = DetectLargest(KioskMedia.Pins("Adriana_Lima", 14), canvas).Landmarks;
        Assert.InRange(FaceGeometry.Yaw(frontal), -0.15f, 0.15f);
        Assert.True(FaceGeometry.Yaw(right) > 0.5f, $"yaw {FaceGeometry.Yaw(right)}");
        Assert.True(FaceGeometry.Yaw(left) < -0.4f, $"yaw {FaceGeometry.Yaw(left)}");
        return (frontal, right, left);
    }

    private static ChallengeState Play(bool turnLeft, params FacePoints[] frames)
    {
        var challenge = new HeadTurnChallenge { Timeout = TimeSpan.FromSeconds(3) };
        var t = TimeSpan.Zero;
        challenge.Start(turnLeft, t);
        foreach (var f in frames)
        {
            t += TimeSpan.FromMilliseconds(100);
            if (challenge.Observe(f, t) != ChallengeState.Waiting) break;
        }
        return challenge.State;
    }

    [Fact]
    public void Head_turn_challenge_accepts_a_turn_in_the_asked_direction()
    {
        var (frontal, right, left) = RealPoses();
        // "Turn left" (the person's left, the unmirrored image's right) → nose moves towards image right.
        Assert.Equal(ChallengeState.Passed, Play(turnLeft: true, frontal, frontal, frontal, right));
        Assert.Equal(ChallengeState.Passed, Play(turnLeft: false, frontal, frontal, left));
    }

    [Fact]
    public void Head_turn_challenge_rejects_a_still_face_and_a_turn_the_wrong_way()
    {
        var (frontal, right, _) = RealPoses();
        var still = Enumerable.Repeat(frontal, 40).ToArray(); // 4 s of the same photo
        Assert.Equal(ChallengeState.Failed, Play(turnLeft: true, still));
        Assert.Equal(ChallengeState.Failed, Play(turnLeft: false, [frontal, right, .. still]));
    }
}
