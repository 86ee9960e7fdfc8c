using EdgeFace.Runtime;
using EdgeFace.TestSupport;
using EdgeFace.Trainer.Data;

namespace EdgeFace.Trainer.Tests.Data;

public sealed class SignatureDatasetTests
{
    [Theory]
    [InlineData("train", 35, 539, 422, "001", "040")]
    [InlineData("val", 8, 96, 92, "041", "048")]
    public void SigComp_splits_match_the_documented_counts(string split, int writers, int genuine, int forged, string first, string last)
    {
        var ds = SignatureDataset.Open(DatasetTestData.SigComp, split);
        Assert.Equal(writers, ds.Identities.Count);
        Assert.Equal(genuine, ds.GenuineCount);
        Assert.Equal(forged, ds.ForgeryCount);
        Assert.Equal(genuine + forged, ds.Samples.Count);
        Assert.Equal(first, ds.Identities[0]);
        Assert.Equal(last, ds.Identities[^1]);
        Assert.Equal(split, ds.Split);
    }

    [Fact]
    public void Genuine_and_forged_images_belong_to_their_writer()
    {
        var ds = SignatureDataset.Open(DatasetTestData.SigComp, "train");
        for (var label = 0; label < ds.Identities.Count; label++)
        {
            var writer = ds.Identities[label];
            foreach (var i in ds.SamplesOf(label))
            {
                Assert.False(ds.Samples[i].IsForgery);
                Assert.Equal(label, ds.Samples[i].Label);
                Assert.EndsWith(Path.Combine(writer, "genuine", Path.GetFileName(ds.Samples[i].Path)), ds.Samples[i].Path);
            }
            foreach (var i in ds.ForgeriesOf(label))
            {
                Assert.True(ds.Samples[i].IsForgery);
                Assert.Equal(label, ds.Samples[i].Label);
                Assert.Contains(writer, Path.GetFileName(ds.Samples[i].Path)); // FFFFNNN_KK.png names the target writer
                Assert.Contains(Path.Combine(writer, "forged"), ds.Samples[i].Path);
            }
        }
        var w001 = ds.Identities.ToList().IndexOf("001");
        Assert.Equal(24, ds.SamplesOf(w001).Count);
        Assert.Equal(8, ds.ForgeriesOf(w001).Count);
    }

    [Fact]
    public void Train_and_val_writers_never_mix_and_selection_narrows_further()
    {
        var train = SignatureDataset.Open(DatasetTestData.SigComp, "train");
        var val = SignatureDataset.Open(DatasetTestData.SigComp, "val");
        Assert.Empty(train.Identities.Intersect(val.Identities));
        Assert.Equal(43, SignatureDataset.Open(DatasetTestData.SigComp).Identities.Count);
        var few = SignatureDataset.Open(DatasetTestData.SigComp, "train", IdentitySelection.Parse("001-004"));
        Assert.Equal(["001", "002", "003", "004"], few.Identities);
        Assert.Contains("identity '045' not found",
            Assert.Throws<EdgeFaceException>(() => SignatureDataset.Open(DatasetTestData.SigComp, "train", IdentitySelection.Parse("045"))).Message);
    }

    [Fact]
    public void Bad_layouts_get_clear_errors()
    {
        using var dir = new TempDir();
        Assert.Contains("signature dataset folder not found",
            Assert.Throws<EdgeFaceException>(() => SignatureDataset.Open(Path.Combine(dir.Path, "nope"))).Message);

        DatasetTestData.WritePng(Path.Combine(dir.Path, "001", "genuine", "001_01.png"));
        DatasetTestData.WritePng(Path.Combine(dir.Path, "001", "forged", "0101001_01.png"));
        Directory.CreateDirectory(Path.Combine(dir.Path, "002", "forged"));
        var noGenuine = Assert.Throws<EdgeFaceException>(() => SignatureDataset.Open(dir.Path)).Message;
        Assert.Contains("writer 002 has no genuine signatures", noGenuine);

        Assert.Equal($"splits file not found: {Path.Combine(dir.Path, "splits.csv")}",
            Assert.Throws<EdgeFaceException>(() => SignatureDataset.Open(dir.Path, "train")).Message);

        File.WriteAllText(Path.Combine(dir.Path, "splits.csv"), "writer_id,split\n001,train\n002,val\n");
        var ok = SignatureDataset.Open(dir.Path, "train");
        Assert.Equal(["001"], ok.Identities);
        Assert.Equal(1, ok.ForgeryCount);
        Assert.Contains("no writer is in split 'test'", Assert.Throws<EdgeFaceException>(() => SignatureDataset.Open(dir.Path, "test")).Message);

        File.WriteAllText(Path.Combine(dir.Path, "splits.csv"), "writer_id,split\n001,train\n009,train\n");
        Assert.Contains("lists writer 009 in split 'train' but", Assert.Throws<EdgeFaceException>(() => SignatureDataset.Open(dir.Path, "train")).Message);

        File.WriteAllText(Path.Combine(dir.Path, "splits.csv"), "id;split\n");
        Assert.Contains("expected the header 'writer_id,split'", Assert.Throws<EdgeFaceException>(() => SignatureDataset.Open(dir.Path, "train")).Message);
    }
}
