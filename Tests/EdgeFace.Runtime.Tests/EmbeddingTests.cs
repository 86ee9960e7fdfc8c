using EdgeFace.Runtime.Faces;
using EdgeFace.Runtime.Inference;
using EdgeFace.Runtime.Matching;
using EdgeFace.Runtime.Models;
using OpenCvSharp;

namespace EdgeFace.Runtime.Tests;

public class EmbeddingTests
{
    [Fact]
    public void Same_image_twice_gives_identical_unit_vectors()
    {
        using var pipeline = TestModels.Pipeline();
        using var image = TestModels.Lfw("Aaron_Peirsol", 1);
        var a = new float[128];
        var b = new float[128];
        var face = pipeline.EmbedPrimaryFace(image, a);
        pipeline.EmbedPrimaryFace(image, b);
        Assert.NotNull(face);
        Assert.Equal(a, b);
        Assert.Equal(1.0, Math.Sqrt(a.Sum(x => (double)x * x)), 5);
        Assert.Equal(1, face.Value.Quality.FaceCount);
        Assert.True(face.Value.Quality.Sharpness > 0 && face.Value.Quality.Brightness is > 0 and < 255);
    }

    [Fact]
    public void Flip_augmentation_gives_a_different_unit_vector_close_to_the_plain_one()
    {
        using var plain = TestModels.Pipeline();
        using var flip = TestModels.Pipeline(flip: true);
        using var image = TestModels.Lfw("Abel_Pacheco", 1);
        var a = new float[128];
        var b = new float[128];
        plain.EmbedPrimaryFace(image, a);
        flip.EmbedPrimaryFace(image, b);
        Assert.NotEqual(a, b);
        Assert.InRange(Similarity.Cosine(a, b), 0.85f, 0.9999f);
        Assert.Equal(1.0, Math.Sqrt(b.Sum(x => (double)x * x)), 5);
    }

    [Fact]
    public void Orl_same_person_scores_clearly_above_different_person_scores()
    {
        using var pipeline = TestModels.Pipeline();
        var embeddings = new float[20][][];
        for (var s = 1; s <= 20; s++)
        {
            embeddings[s - 1] = new float[5][];
            for (var i = 1; i <= 5; i++)
            {
                using var image = TestModels.Orl(s, i);
                var v = new float[128];
                if (pipeline.EmbedPrimaryFace(image, v) is null) pipeline.EmbedCentreCrop(image, v);
                embeddings[s - 1][i - 1] = v;
            }
        }
        var (genuine, impostor) = PairScores.AllPairs(embeddings, Metric.Cosine);
        Assert.Equal(200, genuine.Length);
        Assert.Equal(4750, impostor.Length);
        Assert.True(genuine.Average() > impostor.Average() + 0.35, $"genuine mean {genuine.Average():F3}, impostor mean {impostor.Average():F3}");
        // Most genuine pairs beat nearly every impostor pair.
        var p99 = impostor.Order().ElementAt((int)(impostor.Length * 0.99));
        Assert.True(genuine.Count(g => g > p99) > 0.8 * genuine.Length);
    }

    [Fact]
    public void Steady_state_embedding_allocates_nothing_per_call()
    {
        using var session = TestModels.Open("mobilefacenet-128");
        using var embedder = new OnnxFaceEmbedder(session, flipAugmentation: true);
        using var crop = new Mat(112, 112, MatType.CV_8UC3, Scalar.All(100));
        Cv2.Circle(crop, new Point(56, 56), 30, Scalar.All(200), -1);
        var destination = new float[128];
        for (var i = 0; i < 5; i++) embedder.Embed(crop, destination);
        const int calls = 50;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < calls; i++) embedder.Embed(crop, destination);
        var perCall = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)calls;
        Assert.True(perCall < 16, $"{perCall:F1} bytes allocated per embed call");
    }

    [Fact]
    public void Directml_on_a_build_without_it_falls_back_to_cpu_with_a_reason_and_still_works()
    {
        var messages = new List<string>();
        var factory = new SessionFactory(DeviceRequest.Parse("directml"), messages.Add);
        var entry = TestModels.Catalog.Resolve(ModelTask.FaceEmbedder);
        using var session = factory.Open(entry);
        if (SessionFactory.BuildAccelerators.Contains(DeviceKind.DirectML))
        {
            Assert.StartsWith("directml", session.Device); // Windows builds: the self-test passed or it fell back with a reason.
            return;
        }
        Assert.Equal("cpu", session.Device);
        Assert.NotNull(session.FallbackReason);
        Assert.Contains("DirectML is not in this build", session.FallbackReason);
        Assert.Contains("embed-mobilefacenet-128.onnx", session.FallbackReason);
        Assert.Equal(session.FallbackReason, Assert.Single(messages));

        using var embedder = new OnnxFaceEmbedder(session);
        using var pipelineImage = TestModels.Lfw("Aaron_Peirsol", 1);
        using var cpuPipeline = TestModels.Pipeline();
        var expected = new float[128];
        cpuPipeline.EmbedPrimaryFace(pipelineImage, expected);
        var actual = new float[128];
        embedder.Embed(cpuPipeline.LastAlignedCrop, actual);
        Assert.Equal(1f, Similarity.Cosine(expected, actual), 4);
    }

    [Fact]
    public void Cuda_missing_from_this_build_falls_back_to_cpu_with_a_reason()
    {
        var messages = new List<string>();
        using var session = new SessionFactory(DeviceRequest.Parse("cuda:0"), messages.Add).Open(TestModels.Catalog.Resolve(ModelTask.FaceDetector));
        if (session.Device == "cpu") Assert.Contains("cuda:0 unavailable", Assert.Single(messages));
    }

    [Theory]
    [InlineData("mobilefacenet-128")]
    [InlineData("yunet-s-dynamic")]
    public void Self_test_passes_for_identical_sessions(string id)
    {
        using var a = TestModels.Open(id);
        using var b = TestModels.Open(id);
        Assert.Equal(0f, SelfTest.MaxRelativeDifference(a.Session, b.Session));
    }

    [Fact]
    public void Self_test_fails_when_outputs_differ()
    {
        // Same output shapes, different weights: the comparison must notice.
        using var small = TestModels.Open("scrfd-500m");
        using var large = TestModels.Open("scrfd-2.5g");
        Assert.True(SelfTest.MaxRelativeDifference(small.Session, large.Session) > SessionFactory.SelfTestTolerance);
    }
}
