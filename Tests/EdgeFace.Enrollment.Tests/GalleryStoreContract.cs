using EdgeFace.Enrollment.Model;
using EdgeFace.Enrollment.Store;
using EdgeFace.Runtime;
using static EdgeFace.Enrollment.Tests.TestSamples;

namespace EdgeFace.Enrollment.Tests;

/// <summary>The behaviour every <see cref="IGalleryStore"/> must have. Each backend derives and supplies <see cref="CreateStore"/>.</summary>
public abstract class GalleryStoreContract : IDisposable
{
    private readonly List<IGalleryStore> _stores = new();
    protected abstract IGalleryStore NewStore();

    protected IGalleryStore CreateStore()
    {
        var s = NewStore();
        _stores.Add(s);
        return s;
    }

    public virtual void Dispose()
    {
        foreach (var s in _stores) s.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public void Enrol_then_find_by_name_ignoring_case_and_spacing()
    {
        var store = CreateStore();
        var rng = new Random(1);
        var id = store.Enroll("Ann  Lee", """{"badge":"42"}""", TemplateKind.Face, [Sample(RandomUnit(rng, 8))], Entry());
        var found = store.FindIdentity("  ann lee ");
        Assert.NotNull(found);
        Assert.Equal(id.Id, found.Id);
        Assert.Equal("Ann  Lee", found.DisplayName);
        Assert.Equal("""{"badge":"42"}""", found.MetadataJson);
        Assert.Null(store.FindIdentity("Ann Le"));
        Assert.Equal(id, store.GetIdentity(id.Id));
    }

    [Fact]
    public void Duplicate_name_is_refused_and_nothing_changes()
    {
        var store = CreateStore();
        var rng = new Random(2);
        store.Enroll("Bo", null, TemplateKind.Face, [Sample(RandomUnit(rng, 8))], Entry());
        var e = Assert.Throws<EdgeFaceException>(() => store.Enroll("BO", null, TemplateKind.Face, [Sample(RandomUnit(rng, 8))], Entry()));
        Assert.Contains("already enrolled", e.Message);
        Assert.Single(store.ListIdentities());
        Assert.Single(store.ReadAudit());
    }

    [Fact]
    public void Samples_and_normalised_mean_aggregate_are_kept()
    {
        var store = CreateStore();
        var a = new float[] { 3, 0, 0, 0 };
        var b = new float[] { 0, 2, 0, 0 };
        var id = store.Enroll("Cy", null, TemplateKind.Face, [Sample(a, "a.jpg"), Sample(b, "b.jpg")], Entry()).Id;
        var templates = store.GetTemplates(id, TemplateKind.Face);
        Assert.Equal(3, templates.Count);
        Assert.Equal(["a.jpg", "b.jpg"], templates.Where(t => !t.IsAggregate).Select(t => t.Source));
        Assert.Equal(a, templates[0].Embedding);
        var aggregate = templates.Single(t => t.IsAggregate);
        var h = (float)Math.Round(Math.Sqrt(0.5), 6);
        Assert.Equal(new[] { h, h, 0f, 0f }, aggregate.Embedding.Select(x => (float)Math.Round(x, 6)));
        Assert.Equal(ModelA, aggregate.Model);
        Assert.Equal(Good, templates[0].Quality);

        store.AddTemplates(id, TemplateKind.Face, [Sample(new float[] { 0, 0, 5, 0 }, "c.jpg")], Entry("add-templates"));
        var after = store.GetTemplates(id, TemplateKind.Face);
        Assert.Equal(4, after.Count);
        var third = (float)Math.Round(1 / Math.Sqrt(3), 5);
        Assert.Equal(new[] { third, third, third, 0f }, after.Single(t => t.IsAggregate).Embedding.Select(x => (float)Math.Round(x, 5)));
    }

    [Fact]
    public void Signature_templates_are_kept_apart_from_faces()
    {
        var store = CreateStore();
        var rng = new Random(3);
        var id = store.Enroll("Dee", null, TemplateKind.Face, [Sample(RandomUnit(rng, 8))], Entry()).Id;
        store.AddTemplates(id, TemplateKind.Signature, [Sample(RandomUnit(rng, 16), "sig1.png", ModelB), Sample(RandomUnit(rng, 16), "sig2.png", ModelB)], Entry("add-templates"));
        Assert.Equal(2, store.GetTemplates(id, TemplateKind.Face).Count);
        var signatures = store.GetTemplates(id, TemplateKind.Signature);
        Assert.Equal(3, signatures.Count);
        Assert.All(signatures, t => Assert.Equal(TemplateKind.Signature, t.Kind));
        Assert.Single(store.GetAggregates(TemplateKind.Face));
        Assert.Single(store.GetAggregates(TemplateKind.Signature));
        var summary = store.Summarise();
        Assert.Equal(2, summary.Count);
        Assert.Contains(summary, s => s.Kind == TemplateKind.Signature && s.Samples == 2 && s.Dimension == 16 && s.Model == ModelB);
    }

    [Fact]
    public void Samples_from_another_model_are_refused_unless_replacing()
    {
        var store = CreateStore();
        var rng = new Random(4);
        var id = store.Enroll("Eve", null, TemplateKind.Face, [Sample(RandomUnit(rng, 8))], Entry()).Id;
        var e = Assert.Throws<EdgeFaceException>(() => store.AddTemplates(id, TemplateKind.Face, [Sample(RandomUnit(rng, 8), model: ModelB)], Entry()));
        Assert.Contains("test-embedder-a", e.Message);
        Assert.Contains("test-embedder-b", e.Message);
        Assert.Equal(2, store.GetTemplates(id, TemplateKind.Face).Count);

        store.AddTemplates(id, TemplateKind.Face, [Sample(RandomUnit(rng, 8), model: ModelB)], Entry("re-enrol"), replace: true);
        var after = store.GetTemplates(id, TemplateKind.Face);
        Assert.Equal(2, after.Count);
        Assert.All(after, t => Assert.Equal(ModelB, t.Model));
    }

    [Fact]
    public void Mixed_models_or_lengths_in_one_enrolment_are_refused()
    {
        var store = CreateStore();
        var rng = new Random(5);
        Assert.Throws<EdgeFaceException>(() => store.Enroll("F", null, TemplateKind.Face, [Sample(RandomUnit(rng, 8)), Sample(RandomUnit(rng, 8), model: ModelB)], Entry()));
        Assert.Throws<EdgeFaceException>(() => store.Enroll("F", null, TemplateKind.Face, [Sample(RandomUnit(rng, 8)), Sample(RandomUnit(rng, 9))], Entry()));
        Assert.Throws<EdgeFaceException>(() => store.Enroll("F", null, TemplateKind.Face, [], Entry()));
        Assert.Throws<EdgeFaceException>(() => store.Enroll("F", null, TemplateKind.Face, [Sample([float.NaN, 1])], Entry()));
        Assert.Throws<EdgeFaceException>(() => store.Enroll("F", "not json", TemplateKind.Face, [Sample(RandomUnit(rng, 8))], Entry()));
        Assert.Throws<EdgeFaceException>(() => store.Enroll("  ", null, TemplateKind.Face, [Sample(RandomUnit(rng, 8))], Entry()));
        Assert.Empty(store.ListIdentities());
        Assert.Empty(store.ReadAudit());
    }

    [Fact]
    public void Images_are_stored_only_when_given()
    {
        var store = CreateStore();
        var rng = new Random(6);
        var id = store.Enroll("G", null, TemplateKind.Face, [Sample(RandomUnit(rng, 8), "with.jpg", image: [1, 2, 3]), Sample(RandomUnit(rng, 8), "without.jpg")], Entry()).Id;
        var templates = store.GetTemplates(id, TemplateKind.Face);
        var with = templates.Single(t => t.Source == "with.jpg");
        var without = templates.Single(t => t.Source == "without.jpg");
        Assert.True(with.HasImage);
        Assert.False(without.HasImage);
        Assert.Equal(new byte[] { 1, 2, 3 }, store.GetSampleImage(with.Id));
        Assert.Null(store.GetSampleImage(without.Id));
    }

    [Fact]
    public void Remove_deletes_identity_templates_and_images_and_is_audited()
    {
        var store = CreateStore();
        var rng = new Random(7);
        var keep = store.Enroll("Keep", null, TemplateKind.Face, [Sample(RandomUnit(rng, 8))], Entry()).Id;
        var gone = store.Enroll("Gone", null, TemplateKind.Face, [Sample(RandomUnit(rng, 8), image: [9])], Entry()).Id;
        var imageId = store.GetTemplates(gone, TemplateKind.Face)[0].Id;
        Assert.True(store.RemoveIdentity(gone, Entry("remove")));
        Assert.False(store.RemoveIdentity(gone, Entry("remove")));
        Assert.Null(store.GetIdentity(gone));
        Assert.Null(store.FindIdentity("gone"));
        Assert.Empty(store.GetTemplates(gone, TemplateKind.Face));
        Assert.Null(store.GetSampleImage(imageId));
        Assert.Equal([keep], store.ListIdentities().Select(i => i.Id));
        Assert.Equal(["enrol", "enrol", "remove"], store.ReadAudit().Select(r => r.Entry.Action));
        Assert.Equal(gone, store.ReadAudit()[^1].Entry.SubjectId);
        // The name is free again.
        store.Enroll("Gone", null, TemplateKind.Face, [Sample(RandomUnit(rng, 8))], Entry());
    }

    [Fact]
    public void Import_is_all_or_nothing()
    {
        var store = CreateStore();
        var rng = new Random(8);
        store.Enroll("Existing", null, TemplateKind.Face, [Sample(RandomUnit(rng, 8))], Entry());
        IdentityImport Item(string name) => new(name, null, DateTimeOffset.UtcNow, [(TemplateKind.Face, Sample(RandomUnit(rng, 8)))]);
        var e = Assert.Throws<EdgeFaceException>(() => store.Import([Item("New1"), Item("existing")], false, Entry("import")));
        Assert.Contains("already enrolled", e.Message);
        Assert.Single(store.ListIdentities());

        var imported = store.Import([Item("New1"), Item("existing")], true, Entry("import"));
        Assert.Equal(2, imported.Count);
        Assert.Equal(["New1", "existing"], store.ListIdentities().Select(i => i.DisplayName).Order(StringComparer.Ordinal));
        Assert.Equal(2, store.GetAggregates(TemplateKind.Face).Count);
    }

    [Fact]
    public void Audit_chain_verifies_and_records_decisions()
    {
        var store = CreateStore();
        var rng = new Random(9);
        var id = store.Enroll("H", null, TemplateKind.Face, [Sample(RandomUnit(rng, 8))], Entry()).Id;
        var record = store.AppendAudit(new("kiosk", "verify", "accepted", id, 0.71, 0.35, "test-embedder-a", """{"faces":1}"""));
        Assert.Equal(2, record.Seq);
        var all = store.ReadAudit();
        Assert.Equal(2, all.Count);
        Assert.Equal(0.71, all[1].Entry.Score);
        Assert.Equal("kiosk", all[1].Entry.Actor);
        Assert.Equal(all[0].Hash, all[1].PreviousHash);
        var check = store.VerifyAudit();
        Assert.True(check.Ok, check.Message);
        Assert.Equal(2, check.Count);
    }

    [Fact]
    public void Concurrent_writers_and_readers_keep_every_identity_whole()
    {
        var store = CreateStore();
        var errors = new List<Exception>();
        var threads = Enumerable.Range(0, 4).Select(t => new Thread(() =>
        {
            try
            {
                var rng = new Random(100 + t);
                for (var i = 0; i < 15; i++)
                {
                    store.Enroll($"p{t}-{i}", null, TemplateKind.Face, [Sample(RandomUnit(rng, 8)), Sample(RandomUnit(rng, 8))], Entry());
                    foreach (var a in store.GetAggregates(TemplateKind.Face)) Assert.Equal(8, a.Embedding.Length);
                }
            }
            catch (Exception e) { lock (errors) errors.Add(e); }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.Empty(errors);
        Assert.Equal(60, store.ListIdentities().Count);
        Assert.All(store.ListIdentities(), i => Assert.Equal(3, store.GetTemplates(i.Id, TemplateKind.Face).Count));
        Assert.True(store.VerifyAudit().Ok);
    }
}

public sealed class InMemoryGalleryStoreTests : GalleryStoreContract
{
    protected override IGalleryStore NewStore() => new InMemoryGalleryStore();
}

public sealed class SqliteGalleryStoreTests : GalleryStoreContract
{
    private readonly TestSupport.TempDir _dir = new();
    private int _n;

    protected override IGalleryStore NewStore() =>
        SqliteGalleryStore.Open(_dir.File($"g{_n++}.db"), Security.GalleryKey.Generate(), new SqliteGalleryOptions { CreateIfMissing = true });

    public override void Dispose()
    {
        base.Dispose();
        _dir.Dispose();
    }
}
