using EdgeFace.Runtime;
using EdgeFace.Runtime.Models;
using EdgeFace.TestSupport;
using EdgeFace.Trainer.Checkpoints;
using EdgeFace.Trainer.Data;

namespace EdgeFace.Trainer.Tests.Data;

public sealed class BatchLoaderTests
{
    private static readonly ModelInput Gray64 = new()
    {
        Name = "input", Channels = 1, Width = 64, Height = 64, ColorOrder = "GRAY",
        Scale = 1 / 255f, Mean = [0.5f], Std = [0.5f], Resize = ResizeMode.Stretch,
    };

    [Fact]
    public void Parallel_prefetching_loader_equals_sequential_loading()
    {
        var ds = FolderDataset.Open(DatasetTestData.Orl, IdentitySelection.Parse("s1-s12"));
        var cache = new SampleCache();
        using var batches = new BatchLoader(ds, new PkBatchSampler(ds, 4, 3, 7), () => new SampleLoader(Gray64, cache, AugmentOptions.Faces), workers: 2);

        var reference = new PkBatchSampler(ds, 4, 3, 7);
        using var single = new SampleLoader(Gray64, null, AugmentOptions.Faces);
        var indices = new int[12];
        var seeds = new ulong[12];
        var expected = new float[12 * single.SampleLength];
        for (var b = 0; b < 7; b++)                       // 3 batches per epoch: crosses two epoch boundaries
        {
            reference.Next(indices, seeds);
            single.LoadBatch(ds, indices, seeds, expected);
            var batch = batches.Next();
            Assert.Equal(indices, batch.Indices);
            Assert.Equal(indices.Select(i => ds.Samples[i].Label), batch.Labels);
            Assert.Equal(expected, batch.Images);
            Assert.Equal(b / 3, batch.Epoch);
            Assert.Equal(b % 3, batch.BatchInEpoch);
        }
    }

    [Fact]
    public void Resuming_from_a_checkpointed_loader_state_ignores_the_prefetched_batch()
    {
        var ds = FolderDataset.Open(DatasetTestData.Orl, IdentitySelection.Parse("s1-s10"));
        byte[] state;
        var expected = new List<float[]>();
        using (var first = new BatchLoader(ds, new ShuffledBatchSampler(ds, 16, 3), () => new SampleLoader(Gray64, null, AugmentOptions.Faces)))
        {
            for (var b = 0; b < 4; b++) first.Next();
            state = first.SaveState();                     // the 5th batch is already prefetched by now
            using var dir = new TempDir();                  // round-trip the state through a real checkpoint file
            CheckpointFile.Save(dir.File("run.ckpt"), new Checkpoint
            {
                ConfigJson = "{}", Parameters = new float[3], Blobs = new Dictionary<string, byte[]> { ["sampler"] = state },
            });
            state = CheckpointFile.Load(dir.File("run.ckpt")).Blobs["sampler"];
            for (var b = 0; b < 5; b++) expected.Add(first.Next().Images.ToArray());
        }
        var sampler = new ShuffledBatchSampler(ds, 16, 3);
        sampler.RestoreState(state);
        Assert.Equal((0, 4), (sampler.Epoch, sampler.BatchInEpoch));
        using var resumed = new BatchLoader(ds, sampler, () => new SampleLoader(Gray64, null, AugmentOptions.Faces));
        foreach (var images in expected) Assert.Equal(images, resumed.Next().Images);
    }

    [Fact]
    public void A_load_error_in_the_background_surfaces_with_the_file_name()
    {
        using var dir = new TempDir();
        for (var i = 0; i < 3; i++) DatasetTestData.WritePng(Path.Combine(dir.Path, "a", $"{i}.png"), seed: i);
        for (var i = 0; i < 2; i++) DatasetTestData.WritePng(Path.Combine(dir.Path, "b", $"{i}.png"), seed: i);
        var broken = Path.Combine(dir.Path, "b", "2.png");
        File.WriteAllText(broken, "not a png");
        var ds = FolderDataset.Open(dir.Path);
        using var batches = new BatchLoader(ds, new ShuffledBatchSampler(ds, 6, 1), () => new SampleLoader(Gray64), augment: false);
        var e = Assert.Throws<EdgeFaceException>(() => { for (var b = 0; b < 3; b++) batches.Next(); });
        Assert.Equal($"cannot read image {broken} (unreadable or not an image)", e.Message);
    }
}
