using EdgeFace.Runtime;
using EdgeFace.TestSupport;
using EdgeFace.Trainer.Data;

namespace EdgeFace.Trainer.Tests.Data;

public sealed class FolderDatasetTests
{
    [Fact]
    public void Orl_has_40_identities_of_10_images_in_natural_order()
    {
        var ds = FolderDataset.Open(DatasetTestData.Orl);
        Assert.Equal(40, ds.Identities.Count);
        Assert.Equal(400, ds.Samples.Count);
        Assert.Equal(Enumerable.Range(1, 40).Select(i => $"s{i}"), ds.Identities);
        for (var label = 0; label < ds.Identities.Count; label++)
        {
            var indices = ds.SamplesOf(label);
            Assert.Equal(10, indices.Count);
            Assert.All(indices, i => Assert.Equal(label, ds.Samples[i].Label));
            Assert.All(indices, i => Assert.Equal(ds.Identities[label], Path.GetFileName(Path.GetDirectoryName(ds.Samples[i].Path))));
            // natural order of files: 1.pgm, 2.pgm, ..., 10.pgm
            Assert.Equal(Enumerable.Range(1, 10).Select(k => $"{k}.pgm"), indices.Select(i => Path.GetFileName(ds.Samples[i].Path)));
        }
        Assert.DoesNotContain(ds.Samples, s => s.Path.EndsWith("README", StringComparison.Ordinal));
    }

    [Fact]
    public void Range_split_and_its_complement_are_disjoint_and_cover_everything()
    {
        var train = FolderDataset.Open(DatasetTestData.Orl, IdentitySelection.Parse("s1-s30"));
        var held = FolderDataset.Open(DatasetTestData.Orl, IdentitySelection.Parse("s1-s30").Complement());
        Assert.Equal(30, train.Identities.Count);
        Assert.Equal(10, held.Identities.Count);
        Assert.Equal(Enumerable.Range(31, 10).Select(i => $"s{i}"), held.Identities);
        Assert.Empty(train.Identities.Intersect(held.Identities));
        Assert.Empty(train.Samples.Select(s => s.Path).Intersect(held.Samples.Select(s => s.Path)));
        Assert.Equal("!s1-s30", held.Selection.ToString());
        // Labels are dense per dataset.
        Assert.Equal(Enumerable.Range(0, 10), held.Samples.Select(s => s.Label).Distinct());
    }

    [Fact]
    public void Fraction_split_is_seeded_disjoint_and_complete()
    {
        var all = FolderDataset.Open(DatasetTestData.Orl).Identities;
        var a = FolderDataset.Open(DatasetTestData.Orl, IdentitySelection.Parse("fraction:0.75:7")).Identities;
        var again = FolderDataset.Open(DatasetTestData.Orl, IdentitySelection.Fraction(0.75, 7)).Identities;
        var rest = FolderDataset.Open(DatasetTestData.Orl, IdentitySelection.Parse("!fraction:0.75:7")).Identities;
        var otherSeed = FolderDataset.Open(DatasetTestData.Orl, IdentitySelection.Fraction(0.75, 8)).Identities;
        Assert.Equal(30, a.Count);
        Assert.Equal(a, again);
        Assert.Empty(a.Intersect(rest));
        Assert.Equal(all.Order(), a.Concat(rest).Order());
        Assert.NotEqual(a, otherSeed);
    }

    [Fact]
    public void Lists_ranges_and_list_files_combine()
    {
        using var dir = new TempDir();
        var list = dir.File("holdout.txt");
        File.WriteAllText(list, "# held-out people\ns40\n\ns39  # trailing comment\n");
        var ds = FolderDataset.Open(DatasetTestData.Orl, IdentitySelection.Parse($"s2-s4, s10,@{list}"));
        Assert.Equal(["s2", "s3", "s4", "s10", "s39", "s40"], ds.Identities);
        Assert.Equal(60, ds.Samples.Count);
        Assert.Equal(["s1"], FolderDataset.Open(DatasetTestData.Orl, IdentitySelection.Names(["s1"])).Identities);
    }

    [Theory]
    [InlineData("s1-s30,s99", "identity 's99' not found in")]
    [InlineData("x1-x5", "identity range 'x1-x5' matches no identity in")]
    [InlineData("s41-s50", "identity range 's41-s50' matches no identity in")]
    [InlineData("fraction:1.5", "identity fraction 1.5 must be in (0, 1]")]
    [InlineData("fraction:abc", "expected fraction:F or fraction:F:SEED")]
    [InlineData("!all", "leaves no identities in")]
    [InlineData("@/nonexistent/list.txt", "identity list file not found: /nonexistent/list.txt")]
    public void Bad_selections_are_named_in_the_error(string spec, string expected)
    {
        var e = Assert.Throws<EdgeFaceException>(() => FolderDataset.Open(DatasetTestData.Orl, IdentitySelection.Parse(spec)));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Missing_root_and_empty_dataset_are_clear_errors()
    {
        using var dir = new TempDir();
        var missing = Path.Combine(dir.Path, "nope");
        Assert.Equal($"dataset folder not found: {missing}", Assert.Throws<EdgeFaceException>(() => FolderDataset.Open(missing)).Message);

        Directory.CreateDirectory(Path.Combine(dir.Path, "alice"));
        File.WriteAllText(Path.Combine(dir.Path, "alice", "notes.txt"), "not an image");
        File.WriteAllText(Path.Combine(dir.Path, "README"), "x");
        var e = Assert.Throws<EdgeFaceException>(() => FolderDataset.Open(dir.Path));
        Assert.StartsWith($"empty dataset: {dir.Path} has no identity folders with images", e.Message);
    }

    [Fact]
    public void Natural_order_compares_numbers_by_value()
    {
        string[] names = ["s10", "s2", "s1", "a", "001", "2", "s02", "B"];
        Assert.Equal(["001", "2", "B", "a", "s1", "s2", "s02", "s10"], names.Order(NaturalStringComparer.Instance));
    }
}
