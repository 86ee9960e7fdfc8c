using System.Globalization;
using EdgeFace.Enrollment.Model;
using EdgeFace.Enrollment.Policy;
using EdgeFace.Enrollment.Search;
using EdgeFace.Enrollment.Store;
using EdgeFace.Runtime.Faces;
using EdgeFace.Runtime.Imaging;
using EdgeFace.Runtime.Models;
using EdgeFace.TestSupport;
using Xunit.Abstractions;

namespace EdgeFace.Enrollment.Tests;

/// <summary>
/// Open-set identification on real faces with the real pipeline (YuNet + MobileFaceNet from ../shared/models):
/// every PINS identity enrolled from 5 images, probed with 2 other images of each, and LFW people who are not
/// enrolled (the 15 PINS∩LFW identities excluded) as impostors. The open-set threshold is chosen on PINS only
/// (99th percentile of each PINS probe's best score against the other identities), then the false-accept rate
/// is measured on LFW, which is never used for choosing anything.
/// </summary>
public sealed class RealFaceIdentificationTests(ITestOutputHelper output)
{
    private static readonly HashSet<string> PinsInLfw = new(StringComparer.OrdinalIgnoreCase)
    {
        "Adriana_Lima", "Avril_Lavigne", "Ben_Affleck", "Bill_Gates", "Christian_Bale", "Dwayne_Johnson", "Emma_Watson", "Gwyneth_Paltrow",
        "Johnny_Depp", "Keanu_Reeves", "Leonardo_DiCaprio", "Morgan_Freeman", "Robert_De_Niro", "Robert_Downey_Jr", "Tom_Cruise",
    };

    private static FacePipeline Pipeline() => FacePipeline.Create(new FacePipelineOptions
    {
        Catalog = ModelCatalog.Scan([Path.Combine(Shared.Root, "models")]),
        DetectorId = "detect-yunet-s-dynamic.onnx",
        EmbedderId = "embed-mobilefacenet-128.onnx",
        Threads = 1,
    });

    private static BiometricSample? Embed(FacePipeline pipeline, string path)
    {
        using var image = ImageLoader.Load(path);
        var v = new float[pipeline.Embedder.Dimension];
        var face = pipeline.EmbedPrimaryFace(image, v);
        if (face is not { } f) return null;
        var q = f.Quality;
        return new BiometricSample(v, new SampleQuality(q.FaceCount, q.FaceSizePx, q.Sharpness, q.Brightness, q.DetectorScore),
            new ModelBinding(pipeline.Embedder.Manifest.Id, pipeline.Embedder.Manifest.Sha256), Path.GetFileName(path));
    }

    [Fact]
    public void Pins_identities_are_found_and_unenrolled_lfw_people_are_unknown()
    {
        using var pipeline = Pipeline();
        var model = new ModelBinding(pipeline.Embedder.Manifest.Id, pipeline.Embedder.Manifest.Sha256);
        var pinsRoot = Shared.Data("faces", "pins");
        var people = Directory.GetDirectories(pinsRoot).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(105, people.Count);

        using var store = new InMemoryGalleryStore();
        using var index = new GalleryIndex(model, pipeline.Embedder.Dimension, new IndexOptions { Threads = 1 });
        // Enrolment without a duplicate check here (threshold above any cosine): this test measures search, not the policy.
        var enroller = new Enroller(store, new EnrollmentOptions { DuplicateThreshold = 2, Quality = new QualityOptions { MinFaceSizePx = 40, MinSharpness = 0 } });
        var probes = new List<(string Person, float[] Embedding)>();
        foreach (var person in people)
        {
            var files = Enumerable.Range(1, 50).Select(i => Path.Combine(pinsRoot, person!, $"{i:D3}.jpg")).ToList();
            var enrol = files.Take(5).Select(f => Embed(pipeline, f)).OfType<BiometricSample>().ToList();
            enroller.Enroll(person!, enrol, index: index);
            foreach (var s in files.Skip(40).Select(f => Embed(pipeline, f)).OfType<BiometricSample>().Take(2)) probes.Add((person!, s.Embedding));
        }
        Assert.Equal(105, index.Count);

        var hits = new SearchHit[2];
        var rank1 = 0;
        var impostorBest = new List<float>();
        var genuineBest = new List<float>();
        foreach (var (person, embedding) in probes)
        {
            index.Search(embedding, model, hits);
            var top = store.GetIdentity(hits[0].IdentityId)!.DisplayName;
            if (top == person) { rank1++; genuineBest.Add(hits[0].Score); impostorBest.Add(hits[1].Score); }
            else impostorBest.Add(hits[0].Score);
        }
        impostorBest.Sort();
        var threshold = impostorBest[(int)Math.Ceiling(impostorBest.Count * 0.99) - 1];

        var lfwRoot = Shared.Data("faces", "lfw", "images");
        var strangers = Directory.GetDirectories(lfwRoot).Select(Path.GetFileName).Order(StringComparer.Ordinal)
            .Where(n => !PinsInLfw.Contains(n!)).Take(300).ToList();
        var falseAccepts = 0;
        var strangerProbes = 0;
        foreach (var name in strangers)
        {
            var file = Directory.GetFiles(Path.Combine(lfwRoot, name!), "*.jpg").Order(StringComparer.Ordinal).First();
            if (Embed(pipeline, file) is not { } s) continue;
            strangerProbes++;
            index.Search(s.Embedding, model, hits);
            if (hits[0].Score >= threshold) falseAccepts++;
        }
        var identifiedAtThreshold = genuineBest.Count(s => s >= threshold);
        var rate = rank1 / (double)probes.Count;
        var far = falseAccepts / (double)strangerProbes;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"PINS: {index.Count} enrolled x 5 images, {probes.Count} probes: rank-1 {rate:P2}; open-set threshold {threshold:0.000} (PINS 99th pct of best non-mate score); identified at threshold {identifiedAtThreshold / (double)probes.Count:P2}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"LFW strangers (not enrolled, PINS overlap excluded): {strangerProbes} probes, false accepts {falseAccepts} = open-set FAR {far:P2}"));
        Assert.True(rate >= 0.85, $"rank-1 {rate:P2}");
        Assert.True(far <= 0.05, $"open-set FAR {far:P2}");
    }
}
