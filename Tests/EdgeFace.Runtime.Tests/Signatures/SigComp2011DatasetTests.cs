using EdgeFace.Runtime.Signatures;

namespace EdgeFace.Runtime.Tests.Signatures;

public sealed class SigComp2011DatasetTests
{
    private static readonly SigComp2011Dataset Dataset = SigComp2011Dataset.Open();

    [Fact]
    public void Reads_every_writer_and_file_with_its_split()
    {
        Assert.Equal(43, Dataset.Writers.Count);
        Assert.Equal(635, Dataset.Writers.Sum(w => w.Genuine.Count));
        Assert.Equal(514, Dataset.Writers.Sum(w => w.Forgeries.Count));
        var val = Dataset.Split("val");
        Assert.Equal(Enumerable.Range(41, 8), val.Select(w => w.Id));
        Assert.Equal(96, val.Sum(w => w.Genuine.Count));
        Assert.Equal(92, val.Sum(w => w.Forgeries.Count));
        Assert.Equal(35, Dataset.Split("train").Count);
        Assert.DoesNotContain(Dataset.Writers, w => w.Id is 5 or 7 or 8 or 10 or 11);
        Assert.Equal(24, Dataset.Writers.Single(w => w.Id == 1).Genuine.Count);
        Assert.Equal(23, Dataset.Writers.Single(w => w.Id == 16).Genuine.Count);
    }

    [Fact]
    public void Parses_both_file_name_orders()
    {
        var w1 = Dataset.Writers.Single(w => w.Id == 1);
        Assert.All(w1.Genuine, s => Assert.True(s.Genuine && s.Writer == 1 && s.Forger is null));
        Assert.Contains(w1.Forgeries, s => s.Forger == 119 && s.Index == 1 && Path.GetFileName(s.Path) == "0119001_01.png");
        var w41 = Dataset.Writers.Single(w => w.Id == 41);
        Assert.Contains(w41.Genuine, s => s.Index == 12 && Path.GetFileName(s.Path) == "12_041.png");
        Assert.Contains(w41.Forgeries, s => s.Forger == 105 && s.Index == 4 && Path.GetFileName(s.Path) == "04_0105041.png");
    }

    [Theory]
    [InlineData("041-048", new[] { 41, 42, 43, 44, 45, 46, 47, 48 })]
    [InlineData("1,3", new[] { 1, 3 })]
    [InlineData("001-010", new[] { 1, 2, 3, 4, 6, 9 })]
    [InlineData(" 040 , 046-047 ", new[] { 40, 46, 47 })]
    public void Selects_writers_by_range_and_list(string text, int[] expected) =>
        Assert.Equal(expected, Dataset.Select(WriterSelection.Parse(text)).Select(w => w.Id));

    [Theory]
    [InlineData("1,3,5", "writer 005 is not in sigcomp2011")]
    [InlineData("007-008", "no writer of sigcomp2011 lies in 007-008")]
    [InlineData("048-041", "writer range '048-041' in '048-041' runs backwards")]
    [InlineData("abc", "'abc' in writer selection 'abc' is not a writer id (expected e.g. 041-048 or 1,3,5)")]
    [InlineData("", "writer selection is empty (expected e.g. 041-048 or 1,3,5)")]
    public void Bad_selections_say_what_is_wrong(string text, string message)
    {
        var e = Assert.Throws<EdgeFaceException>(() => Dataset.Select(WriterSelection.Parse(text)));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Misnamed_file_is_reported()
    {
        using var dir = new EdgeFace.TestSupport.TempDir();
        Directory.CreateDirectory(Path.Combine(dir.Path, "041", "genuine"));
        var bad = Path.Combine(dir.Path, "041", "genuine", "scan.png");
        File.WriteAllBytes(bad, []);
        var e = Assert.Throws<EdgeFaceException>(() => SigComp2011Dataset.Open(dir.Path));
        Assert.Equal($"{bad}: not a genuine signature name (expected NNN_KK or KK_NNN)", e.Message);
    }
}
