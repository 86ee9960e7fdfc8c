using EdgeFace.Runtime;
using EdgeFace.TestSupport;
using EdgeFace.Trainer.Data;

namespace EdgeFace.Trainer.Tests.Data;

public sealed class SamplerTests
{
    private static (int[] Indices, ulong[] Seeds) Next(IBatchSampler s)
    {
        var indices = new int[s.BatchSize];
        var seeds = new ulong[s.BatchSize];
        s.Next(indices, seeds);
        return (indices, seeds);
    }

    private static List<(int[] Indices, ulong[] Seeds)> Take(IBatchSampler s, int count) =>
        Enumerable.Range(0, count).Select(_ => Next(s)).ToList();

    private static void AssertSameBatches(List<(int[] Indices, ulong[] Seeds)> a, List<(int[] Indices, ulong[] Seeds)> b)
    {
        Assert.Equal(a.Count, b.Count);
        for (var i = 0; i < a.Count; i++)
        {
            Assert.Equal(a[i].Indices, b[i].Indices);
            Assert.Equal(a[i].Seeds, b[i].Seeds);
        }
    }

    [Fact]
    public void Pk_batches_hold_P_distinct_identities_with_K_images_each()
    {
        var ds = FolderDataset.Open(DatasetTestData.Orl);
        var s = new PkBatchSampler(ds, p: 8, k: 4, seed: 1);
        Assert.Equal(32, s.BatchSize);
        Assert.Equal(5, s.BatchesPerEpoch);
        foreach (var (indices, seeds) in Take(s, 12))
        {
            var groups = indices.Chunk(4).ToArray();
            Assert.Equal(8, groups.Length);
            Assert.All(groups, g =>
            {
                Assert.Single(g.Select(i => ds.Samples[i].Label).Distinct());
                Assert.Equal(4, g.Distinct().Count()); // K different images of that identity
            });
            Assert.Equal(8, groups.Select(g => ds.Samples[g[0]].Label).Distinct().Count());
            Assert.Equal(32, seeds.Distinct().Count());
        }
    }

    [Fact]
    public void Pk_epoch_visits_every_identity_once_and_rolls_over()
    {
        var ds = FolderDataset.Open(DatasetTestData.Orl);
        var s = new PkBatchSampler(ds, p: 8, k: 2, seed: 5);
        for (var epoch = 0; epoch < 3; epoch++)
        {
            var labels = new List<int>();
            for (var b = 0; b < s.BatchesPerEpoch; b++)
            {
                if (b > 0 || epoch == 0) Assert.Equal((epoch, b), (s.Epoch, s.BatchInEpoch));
                labels.AddRange(Next(s).Indices.Where((_, i) => i % 2 == 0).Select(i => ds.Samples[i].Label));
            }
            Assert.Equal(Enumerable.Range(0, 40), labels.Order());
        }
        Next(s);
        Assert.Equal((3, 1), (s.Epoch, s.BatchInEpoch));
    }

    [Fact]
    public void Pk_same_seed_same_batches_other_seed_other_batches()
    {
        var ds = FolderDataset.Open(DatasetTestData.Orl);
        AssertSameBatches(Take(new PkBatchSampler(ds, 4, 3, 42), 15), Take(new PkBatchSampler(ds, 4, 3, 42), 15));
        Assert.NotEqual(Next(new PkBatchSampler(ds, 4, 3, 42)).Indices, Next(new PkBatchSampler(ds, 4, 3, 43)).Indices);
    }

    [Fact]
    public void Pk_restored_state_continues_identically_across_an_epoch_boundary()
    {
        var ds = FolderDataset.Open(DatasetTestData.Orl);
        var original = new PkBatchSampler(ds, 8, 4, 9);
        Take(original, 7);                       // into epoch 1
        var state = original.SaveState();
        var expected = Take(original, 9);        // crosses into epoch 3

        var resumed = new PkBatchSampler(ds, 8, 4, 9);
        resumed.RestoreState(state);
        Assert.Equal((1, 2), (resumed.Epoch, resumed.BatchInEpoch));
        AssertSameBatches(expected, Take(resumed, 9));
    }

    [Fact]
    public void Pk_state_from_another_configuration_is_refused()
    {
        var ds = FolderDataset.Open(DatasetTestData.Orl);
        var state = new PkBatchSampler(ds, 8, 4, 9).SaveState();
        Assert.Contains("seed 9", Assert.Throws<EdgeFaceException>(() => new PkBatchSampler(ds, 8, 4, 10).RestoreState(state)).Message);
        Assert.Contains("different dataset", Assert.Throws<EdgeFaceException>(() => new PkBatchSampler(ds, 8, 2, 9).RestoreState(state)).Message);
        var fewer = FolderDataset.Open(DatasetTestData.Orl, IdentitySelection.Parse("s1-s30"));
        Assert.Contains("different dataset", Assert.Throws<EdgeFaceException>(() => new PkBatchSampler(fewer, 8, 4, 9).RestoreState(state)).Message);
        Assert.Contains("not a shuffled sampler state", Assert.Throws<EdgeFaceException>(() => new ShuffledBatchSampler(ds, 32, 9).RestoreState(state)).Message);
        Assert.Contains("not a P×K sampler state", Assert.Throws<EdgeFaceException>(() => new PkBatchSampler(ds, 8, 4, 9).RestoreState([1, 2, 3])).Message);
    }

    [Fact]
    public void Pk_unbalanced_identity_policies()
    {
        using var dir = new TempDir();
        foreach (var (who, count) in new[] { ("alice", 5), ("bob", 1), ("carol", 4), ("dave", 6) })
            for (var i = 0; i < count; i++) DatasetTestData.WritePng(Path.Combine(dir.Path, who, $"{i}.png"), seed: i);
        var ds = FolderDataset.Open(dir.Path);

        var e = Assert.Throws<EdgeFaceException>(() => new PkBatchSampler(ds, 2, 4, 1));
        Assert.Equal($"unbalanced: identity bob has 1 image, K=4 needs 4 (in {dir.Path})", e.Message);

        var skip = new PkBatchSampler(ds, 3, 4, 1, UnderfilledIdentityPolicy.Skip);
        Assert.Equal([0, 2, 3], skip.EligibleLabels);
        Assert.DoesNotContain(Take(skip, 4).SelectMany(b => b.Indices), i => ds.Samples[i].Label == 1);

        var repeat = new PkBatchSampler(ds, 4, 4, 1, UnderfilledIdentityPolicy.Repeat);
        var batch = Next(repeat).Indices;
        var bobSlots = batch.Chunk(4).Single(g => ds.Samples[g[0]].Label == 1);
        Assert.All(bobSlots, i => Assert.Equal(ds.SamplesOf(1)[0], i));

        Assert.Contains("P=4 needs 4 identities with at least K=4 images",
            Assert.Throws<EdgeFaceException>(() => new PkBatchSampler(ds, 4, 4, 1, UnderfilledIdentityPolicy.Skip)).Message);
        Assert.Contains("K=0 must be at least 1", Assert.Throws<EdgeFaceException>(() => new PkBatchSampler(ds, 2, 0, 1)).Message);
    }

    [Fact]
    public void Pk_on_signatures_draws_genuine_signatures_only()
    {
        var ds = SignatureDataset.Open(DatasetTestData.SigComp, "train");
        var s = new PkBatchSampler(ds, 7, 4, 3);
        Assert.Equal(5, s.BatchesPerEpoch);
        Assert.All(Take(s, 10).SelectMany(b => b.Indices), i => Assert.False(ds.Samples[i].IsForgery));
    }

    [Fact]
    public void Shuffled_epochs_are_permutations_of_the_training_images()
    {
        var ds = SignatureDataset.Open(DatasetTestData.SigComp, "val"); // 96 genuine + 92 forged
        var s = new ShuffledBatchSampler(ds, 16, 11);
        Assert.Equal(6, s.BatchesPerEpoch);
        var epoch0 = Take(s, 6).SelectMany(b => b.Indices).ToArray();
        var epoch1 = Take(s, 6).SelectMany(b => b.Indices).ToArray();
        Assert.Equal(96, epoch0.Distinct().Count());
        Assert.All(epoch0, i => Assert.False(ds.Samples[i].IsForgery));
        Assert.NotEqual(epoch0, epoch1);
        Assert.Equal(epoch0.Order(), epoch1.Order());
        Assert.Equal((1, 6), (s.Epoch, s.BatchInEpoch));
    }

    [Fact]
    public void Shuffled_is_deterministic_and_resumable()
    {
        var ds = FolderDataset.Open(DatasetTestData.Orl);
        AssertSameBatches(Take(new ShuffledBatchSampler(ds, 48, 2), 20), Take(new ShuffledBatchSampler(ds, 48, 2), 20));
        var a = new ShuffledBatchSampler(ds, 48, 2);
        Take(a, 11);
        var state = a.SaveState();
        var expected = Take(a, 10);
        var b = new ShuffledBatchSampler(ds, 48, 2);
        b.RestoreState(state);
        AssertSameBatches(expected, Take(b, 10));
        Assert.Contains("batch size 401 must be between 1 and the 400", Assert.Throws<EdgeFaceException>(() => new ShuffledBatchSampler(ds, 401, 1)).Message);
    }
}
