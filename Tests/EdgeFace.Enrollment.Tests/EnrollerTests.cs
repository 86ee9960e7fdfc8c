using EdgeFace.Enrollment.Model;
using EdgeFace.Enrollment.Policy;
using EdgeFace.Enrollment.Search;
using EdgeFace.Enrollment.Store;
using EdgeFace.Runtime;
using static EdgeFace.Enrollment.Tests.TestSamples;

namespace EdgeFace.Enrollment.Tests;

public sealed class EnrollerTests
{
    private static EnrollmentOptions Options(DuplicatePolicy policy = DuplicatePolicy.Warn, bool images = false) =>
        new() { DuplicateThreshold = 0.5, OnDuplicate = policy, StoreImages = images, Actor = "operator ann" };

    [Fact]
    public void Each_rejected_sample_says_why_and_good_ones_are_enrolled()
    {
        using var store = new InMemoryGalleryStore();
        var rng = new Random(1);
        var center = RandomUnit(rng, 16);
        BiometricSample S(string name, SampleQuality q) => Sample(Near(rng, center, 0.2), name, quality: q);
        var result = new Enroller(store, Options()).Enroll("Ann", [
            S("img1.jpg", Good),
            S("img2.jpg", Good with { FaceCount = 0 }),
            S("img3.jpg", Good with { FaceSizePx = 48 }),
            S("img4.jpg", Good with { FaceCount = 2 }),
            S("img5.jpg", Good with { Sharpness = 3 }),
            S("img6.jpg", Good with { Brightness = 12 }),
            S("img7.jpg", Good with { Brightness = 250 }),
            S("img8.jpg", Good with { DetectorScore = 0.3 }),
            S("img9.jpg", Good),
        ]);
        Assert.True(result.Created);
        var reasons = result.Verdicts.ToDictionary(v => v.Source, v => v.Reason);
        Assert.Null(reasons["img1.jpg"]);
        Assert.Equal("no face found", reasons["img2.jpg"]);
        Assert.Equal("face too small (48 px < 80 px)", reasons["img3.jpg"]);
        Assert.Equal("2 faces (enrolment needs exactly one)", reasons["img4.jpg"]);
        Assert.StartsWith("too blurry", reasons["img5.jpg"]);
        Assert.StartsWith("too dark", reasons["img6.jpg"]);
        Assert.StartsWith("too bright", reasons["img7.jpg"]);
        Assert.StartsWith("face not clear enough", reasons["img8.jpg"]);
        Assert.Equal(3, store.GetTemplates(result.Identity.Id, TemplateKind.Face).Count);
        Assert.Equal("operator ann", store.ReadAudit().Single().Entry.Actor);
    }

    [Fact]
    public void No_usable_sample_is_an_error_listing_every_image()
    {
        using var store = new InMemoryGalleryStore();
        var e = Assert.Throws<EdgeFaceException>(() => new Enroller(store, Options()).Enroll("Bo", [
            Sample(RandomUnit(new Random(2), 8), "a.jpg", quality: Good with { FaceSizePx = 30 }),
            Sample(RandomUnit(new Random(3), 8), "b.jpg", quality: Good with { FaceCount = 0 }),
        ]));
        Assert.Equal("no usable sample for 'Bo': a.jpg: face too small (30 px < 80 px); b.jpg: no face found", e.Message);
        Assert.Empty(store.ListIdentities());
    }

    [Fact]
    public void A_look_alike_is_reported_or_refused()
    {
        using var store = new InMemoryGalleryStore();
        var rng = new Random(4);
        var person = RandomUnit(rng, 64);
        new Enroller(store, Options()).Enroll("Original", [Sample(Near(rng, person, 0.3)), Sample(Near(rng, person, 0.3))]);
        new Enroller(store, Options()).Enroll("Stranger", [Sample(RandomUnit(rng, 64))]);

        var refused = Assert.Throws<EdgeFaceException>(() =>
            new Enroller(store, Options(DuplicatePolicy.Refuse)).Enroll("Impostor", [Sample(Near(rng, person, 0.3))]));
        Assert.Contains("looks like the already enrolled 'Original'", refused.Message);
        Assert.Null(store.FindIdentity("Impostor"));
        Assert.Equal("refused-duplicate", store.ReadAudit()[^1].Entry.Outcome);

        var warned = new Enroller(store, Options()).Enroll("Twin", [Sample(Near(rng, person, 0.3))]);
        Assert.NotNull(warned.Duplicate);
        Assert.Equal("Original", warned.Duplicate.DisplayName);
        Assert.True(warned.Duplicate.Score > 0.5);
        Assert.NotNull(store.FindIdentity("Twin"));

        // Adding more samples to oneself is not a duplicate.
        var more = new Enroller(store, Options() with { AddToExisting = true }).Enroll("Stranger", [Sample(RandomUnit(rng, 64))]);
        Assert.False(more.Created);
        Assert.Null(more.Duplicate);
    }

    [Fact]
    public void Images_are_dropped_unless_the_operator_opted_in()
    {
        using var store = new InMemoryGalleryStore();
        var rng = new Random(5);
        var off = new Enroller(store, Options()).Enroll("Off", [Sample(RandomUnit(rng, 8), image: [1])]);
        var on = new Enroller(store, Options(images: true)).Enroll("On", [Sample(RandomUnit(rng, 8), image: [1])]);
        Assert.False(store.GetTemplates(off.Identity.Id, TemplateKind.Face)[0].HasImage);
        Assert.True(store.GetTemplates(on.Identity.Id, TemplateKind.Face)[0].HasImage);
    }

    [Fact]
    public void Enrolment_updates_a_live_index_and_identification_is_open_set()
    {
        using var store = new InMemoryGalleryStore();
        using var index = new GalleryIndex(ModelA, 32, new IndexOptions { Threads = 1 });
        var rng = new Random(6);
        var people = Enumerable.Range(0, 20).Select(_ => RandomUnit(rng, 32)).ToList();
        for (var i = 0; i < people.Count; i++)
            new Enroller(store, Options()).Enroll($"p{i}", [Sample(Near(rng, people[i], 0.2)), Sample(Near(rng, people[i], 0.2))], index: index);
        Assert.Equal(20, index.Count);
        var matcher = new GalleryMatcher(store, "kiosk");
        var known = matcher.Identify(index, Near(rng, people[7], 0.2), ModelA, 3, 0.5);
        Assert.Equal("p7", known.Candidates[0].DisplayName);
        Assert.NotNull(known.Match);
        var unknown = matcher.Identify(index, RandomUnit(rng, 32), ModelA, 3, 0.5);
        Assert.Null(unknown.Match);
        var audit = store.ReadAudit();
        Assert.Equal(["identified", "unknown"], audit.TakeLast(2).Select(a => a.Entry.Outcome));

        var yes = matcher.Verify("p3", Near(rng, people[3], 0.2), ModelA, 0.5);
        Assert.True(yes.Accepted);
        var no = matcher.Verify("p3", people[4], ModelA, 0.5);
        Assert.False(no.Accepted);
        Assert.Contains("test-embedder-a", Assert.Throws<EdgeFaceException>(() => matcher.Verify("p3", people[3], ModelB, 0.5)).Message);
        Assert.True(store.VerifyAudit().Ok);
    }
}
