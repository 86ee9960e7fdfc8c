using EdgeFace.Enrollment.Model;
using EdgeFace.Enrollment.Search;
using EdgeFace.Enrollment.Store;
using EdgeFace.Runtime;
using static EdgeFace.Enrollment.Tests.TestSamples;

namespace EdgeFace.Enrollment.Tests;

public sealed class GalleryIndexTests
{
    private static (GalleryIndex Index, List<float[]> Vectors) Build(int count, int dim, IndexOptions options, int seed = 1)
    {
        var rng = new Random(seed);
        var index = new GalleryIndex(ModelA, dim, options);
        var vectors = new List<float[]>();
        for (var i = 0; i < count; i++)
        {
            var v = RandomUnit(rng, dim);
            vectors.Add(v);
            index.Add(1000 + i, v);
        }
        return (index, vectors);
    }

    private static List<(long Id, float Score)> BruteForce(List<float[]> vectors, float[] probe, int k) =>
        vectors.Select((v, i) => (Id: 1000L + i, Score: Embeddings.Cosine(v, probe))).OrderByDescending(x => x.Score).Take(k).ToList();

    [Theory]
    [InlineData(128, 1)]
    [InlineData(128, 2)]
    [InlineData(130, 2)]
    [InlineData(512, 1)]
    [InlineData(7, 1)]
    public void Exact_search_matches_brute_force(int dim, int threads)
    {
        var (index, vectors) = Build(3001, dim, new IndexOptions { Threads = threads, ParallelThreshold = 0 });
        using var _ = index;
        var rng = new Random(2);
        var hits = new SearchHit[5];
        for (var q = 0; q < 20; q++)
        {
            var probe = Near(rng, vectors[rng.Next(vectors.Count)]);
            Assert.Equal(5, index.Search(probe, ModelA, hits));
            var want = BruteForce(vectors, probe, 5);
            Assert.Equal(want.Select(w => w.Id), hits.Select(h => h.IdentityId));
            for (var i = 0; i < 5; i++) Assert.Equal(want[i].Score, hits[i].Score, 4);
        }
    }

    [Fact]
    public void Int8_search_recalls_the_exact_top1_and_reports_exact_scores()
    {
        var (exact, vectors) = Build(20_000, 128, new IndexOptions { Threads = 1 });
        var (quantised, _) = Build(20_000, 128, new IndexOptions { Threads = 2, Quantization = Quantization.Int8, ParallelThreshold = 0 });
        using var a = exact;
        using var b = quantised;
        var rng = new Random(3);
        var same = 0;
        Span<SearchHit> e = stackalloc SearchHit[1];
        Span<SearchHit> q = stackalloc SearchHit[1];
        for (var i = 0; i < 200; i++)
        {
            var probe = Near(rng, vectors[rng.Next(vectors.Count)]);
            exact.Search(probe, ModelA, e);
            quantised.Search(probe, ModelA, q);
            if (e[0].IdentityId == q[0].IdentityId)
            {
                same++;
                Assert.Equal(e[0].Score, q[0].Score, 4);
            }
        }
        Assert.True(same >= 198, $"recall@1 {same / 200.0}");
    }

    [Fact]
    public unsafe void Every_kernel_path_agrees_with_its_scalar_twin()
    {
        const int dim = 192, rows = 203; // a multiple of both kernels' stride (16 floats, 64 codes)
        var rng = new Random(4);
        var matrix = new float[rows * dim];
        for (var i = 0; i < rows; i++) RandomUnit(rng, dim).CopyTo(matrix, i * dim);
        var query = RandomUnit(rng, dim);
        var codes = new sbyte[rows * dim];
        var scales = new float[rows];
        for (var i = 0; i < rows; i++) scales[i] = Int8Kernels.Quantise(matrix.AsSpan(i * dim, dim), codes.AsSpan(i * dim, dim));
        var qc = new sbyte[dim];
        Int8Kernels.Quantise(query, qc);
        var qs = qc.Select(c => (short)c).ToArray();
        fixed (float* m = matrix, q = query, s = scales)
        fixed (sbyte* c = codes)
        fixed (short* qq = qs)
        {
            var fast = new TopK();
            var slow = new TopK();
            fast.Reset(10);
            slow.Reset(10);
            DotKernels.Scan(m, 0, rows, dim, q, fast);
            DotKernels.ScanScalar(m, 0, rows, dim, q, slow);
            Assert.Equal(slow.Rows.ToArray(), fast.Rows.ToArray());
            for (var i = 0; i < 10; i++) Assert.Equal(slow.Scores[i], fast.Scores[i], 4);
            fast.Reset(10);
            slow.Reset(10);
            Int8Kernels.Scan(c, s, 0, rows, dim, qq, fast);
            Int8Kernels.ScanScalar(c, s, 0, rows, dim, qq, slow);
            Assert.Equal(slow.Rows.ToArray(), fast.Rows.ToArray());
            Assert.Equal(slow.Scores.ToArray(), fast.Scores.ToArray());
        }
    }

    [Fact]
    public void Batch_search_equals_single_searches()
    {
        foreach (var quantization in new[] { Quantization.None, Quantization.Int8 })
        {
            var (index, vectors) = Build(5000, 64, new IndexOptions { Threads = 2, Quantization = quantization, ParallelThreshold = 0 });
            using var _ = index;
            var rng = new Random(5);
            const int count = 13, k = 3;
            var probes = new float[count * 64];
            for (var q = 0; q < count; q++) Near(rng, vectors[rng.Next(vectors.Count)]).CopyTo(probes, q * 64);
            var batch = new SearchHit[count * k];
            Assert.Equal(k, index.SearchBatch(probes, ModelA, k, batch));
            var single = new SearchHit[k];
            for (var q = 0; q < count; q++)
            {
                index.Search(probes.AsSpan(q * 64, 64), ModelA, single);
                Assert.Equal(single.Select(h => h.IdentityId), batch.Skip(q * k).Take(k).Select(h => h.IdentityId));
            }
        }
    }

    [Fact]
    public void Add_replace_and_remove_update_the_index_in_place()
    {
        using var index = new GalleryIndex(ModelA, 4, new IndexOptions { Threads = 1 });
        index.Add(1, [1, 0, 0, 0]);
        index.Add(2, [0, 1, 0, 0]);
        index.Add(3, [0, 0, 1, 0]);
        var hits = new SearchHit[3];
        Assert.Equal(3, index.Search([0, 0, 2, 0], ModelA, hits));
        Assert.Equal(3, hits[0].IdentityId);
        Assert.Equal(1f, hits[0].Score, 5);
        Assert.True(index.Remove(1));
        Assert.False(index.Remove(1));
        Assert.Equal(2, index.Count);
        index.Search([0, 0, 1, 0], ModelA, hits);
        Assert.Equal(3, hits[0].IdentityId);
        index.Add(3, [0, 0, 0, 1]);
        Assert.Equal(2, index.Search([0, 0, 0, 1], ModelA, hits));
        Assert.Equal(3, hits[0].IdentityId);
        Assert.Equal(2, hits[1].IdentityId);
        Assert.Equal(0f, hits[1].Score, 5);
    }

    [Fact]
    public void A_probe_from_another_model_is_refused_naming_both()
    {
        using var index = new GalleryIndex(ModelA, 4);
        index.Add(1, [1, 0, 0, 0]);
        var e = Assert.Throws<EdgeFaceException>(() => index.Search([1, 0, 0, 0], ModelB, new SearchHit[1]));
        Assert.Contains("test-embedder-a", e.Message);
        Assert.Contains("test-embedder-b", e.Message);
        Assert.Throws<EdgeFaceException>(() => index.Search([1, 0, 0], ModelA, new SearchHit[1]));
    }

    [Fact]
    public void Loads_only_aggregates_of_its_model_from_a_store()
    {
        using var store = new InMemoryGalleryStore();
        var rng = new Random(6);
        store.Enroll("a", null, TemplateKind.Face, [Sample(RandomUnit(rng, 8)), Sample(RandomUnit(rng, 8))], Entry());
        store.Enroll("b", null, TemplateKind.Face, [Sample(RandomUnit(rng, 8), model: ModelB)], Entry());
        store.Enroll("c", null, TemplateKind.Signature, [Sample(RandomUnit(rng, 8))], Entry());
        using var index = GalleryIndex.Load(store, ModelA, 8, out var other);
        Assert.Equal(1, index.Count);
        Assert.Equal(1, other);
    }

    [Fact]
    public void Concurrent_searches_stay_correct_while_enrolments_are_written()
    {
        var (index, vectors) = Build(40_000, 128, new IndexOptions { Threads = 2, ParallelThreshold = 1000 });
        using var _ = index;
        var errors = new List<string>();
        using var stop = new CancellationTokenSource();
        var readers = Enumerable.Range(0, 4).Select(r => new Thread(() =>
        {
            var rng = new Random(10 + r);
            var hits = new SearchHit[1];
            var searches = 0;
            while (!stop.IsCancellationRequested || searches < 50)
            {
                var target = rng.Next(vectors.Count);
                try
                {
                    index.Search(Near(rng, vectors[target]), ModelA, hits);
                    if (hits[0].IdentityId != 1000 + target) lock (errors) errors.Add($"reader {r}: wanted {1000 + target}, got {hits[0].IdentityId}");
                }
                catch (Exception e) { lock (errors) errors.Add(e.ToString()); }
                searches++;
            }
        })).ToList();
        readers.ForEach(t => t.Start());
        // The writer adds and removes identities that are never searched for.
        var wrng = new Random(99);
        for (var i = 0; i < 300; i++)
        {
            index.Add(5_000_000 + i, RandomUnit(wrng, 128));
            if (i % 3 == 0) index.Remove(5_000_000 + i / 2);
        }
        stop.Cancel();
        readers.ForEach(t => t.Join());
        Assert.Empty(errors);
        Assert.Equal(40_000 + 300 - 100, index.Count);
    }
}
