using EdgeFace.TestSupport;
using OpenCvSharp;
using static EdgeFace.Cli.Tests.GalleryCliSupport;

namespace EdgeFace.Cli.Tests;

/// <summary>
/// Face enrolment and decisions through the real CLI, real models and real PINS photos. The threshold is passed
/// explicitly (0.45: the PINS-chosen open-set threshold measured by RealFaceIdentificationTests).
/// </summary>
public sealed class GalleryFaceCliTests : IDisposable
{
    private readonly GalleryCliSupport _g = new();
    private static string Models => Path.Combine(Shared.Root, "models");
    private static string Pins(string person, int n) => Shared.Face("pins", person, $"{n:D3}.jpg");

    public void Dispose() => _g.Dispose();

    private CliResult Face(params string[] args) => _g.Run([.. args, "--models", Models, "--threshold", "0.45"]);
    private CliResult Status() => _g.Run(["gallery", "status", "--models", Models]);

    [Fact]
    public void Enrol_identify_verify_and_a_duplicate_under_another_name()
    {
        var ok = Face("gallery", "add", "Alvaro", Pins("Alvaro_Morte", 1), Pins("Alvaro_Morte", 2), Pins("Alvaro_Morte", 3));
        Assert.True(ok.ExitCode == 0, ok.ToString());
        Assert.Contains("enrolled 'Alvaro' (id 1) from ", ok.Stdout);
        Assert.Equal(0, Face("gallery", "add", "Amanda", Pins("Amanda_Crew", 1), Pins("Amanda_Crew", 2), "--store-images").ExitCode);

        // The same man again under another name: enrolled with a warning naming the look-alike...
        var twin = Face("gallery", "add", "Mr Morte", Pins("Alvaro_Morte", 4), Pins("Alvaro_Morte", 5));
        Assert.True(twin.ExitCode == 0, twin.ToString());
        Assert.Contains("looks like the already enrolled 'Alvaro'", twin.Stderr);
        // ...or refused outright.
        var refused = Face("gallery", "add", "Sr Morte", Pins("Alvaro_Morte", 6), "--on-duplicate", "refuse");
        AssertOneLineError(refused, "looks like the already enrolled");
        Assert.DoesNotContain("Sr Morte", _g.Ok("gallery", "list").Stdout);

        var who = Face("identify", Pins("Amanda_Crew", 45), "--top", "3", "--json");
        Assert.True(who.ExitCode == 0, who.ToString());
        Assert.Contains("\"identity\":\"Amanda\"", who.Stdout);
        Assert.Contains("\"decision\":\"identified\"", who.Stdout);

        var yes = Face("verify", "--id", "alvaro", Pins("Alvaro_Morte", 44));
        Assert.True(yes.ExitCode == 0, yes.ToString());
        Assert.StartsWith("accepted: is Alvaro", yes.Stdout);
        var no = Face("verify", "--id", "Amanda", Pins("Alvaro_Morte", 44));
        Assert.StartsWith("rejected: is not Amanda", no.Stdout);
        AssertOneLineError(Face("verify", "--id", "Nobody", Pins("Alvaro_Morte", 44)), "'Nobody' is not enrolled");

        var stranger = Face("identify", Shared.Face("lfw", "images", "Aaron_Peirsol", "Aaron_Peirsol_0001.jpg"));
        Assert.True(stranger.ExitCode == 0, stranger.ToString());
        Assert.StartsWith("unknown person", stranger.Stdout);

        Assert.Contains("image stored", _g.Ok("gallery", "show", "Amanda").Stdout);
        Assert.DoesNotContain("image stored", _g.Ok("gallery", "show", "Alvaro").Stdout);
        var audit = _g.Ok("audit", "list").Stdout;
        Assert.Contains("enrol refused-duplicate", audit);
        Assert.Contains("identify identified", audit);
        Assert.Contains("verify rejected", audit);
        Assert.Contains("identify unknown", audit);
        Assert.Contains("intact", _g.Ok("audit", "verify").Stdout);
        Assert.Contains("all face templates are for the current model", Status().Stdout);
    }

    [Fact]
    public void Bad_images_are_rejected_with_their_reason()
    {
        var blank = _g.Dir.File("blank.png");
        using (var grey = new Mat(200, 200, MatType.CV_8UC3, new Scalar(128, 128, 128))) Cv2.ImWrite(blank, grey);
        var text = _g.Dir.File("notes.jpg");
        File.WriteAllText(text, "not an image");
        var r = Face("gallery", "add", "Amanda", blank, text, Pins("Amanda_Crew", 3));
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("blank.png: rejected: no face found", r.Stdout);
        Assert.Contains("notes.jpg: rejected: not a readable image", r.Stdout);
        Assert.Contains("from 1 of 3 images", r.Stdout);
        AssertOneLineError(Face("gallery", "add", "Ghost", blank, text), "no usable sample for 'Ghost': blank.png: no face found; notes.jpg: not a readable image (unrecognised format)");
        AssertOneLineError(Face("identify", blank), "no face found");
        AssertOneLineError(Face("gallery", "add", "Amanda", Pins("Amanda_Crew", 4)), "already enrolled");
        Assert.Equal(0, Face("gallery", "add", "Amanda", Pins("Amanda_Crew", 4), "--append").ExitCode);
        Assert.Contains("2 face", _g.Ok("gallery", "list").Stdout);
    }

    [Fact]
    public void A_probe_from_another_model_is_refused_naming_both_models()
    {
        _g.Ok("bench", "enroll", "--count", "3", "--dim", "128");
        var r = Face("identify", Pins("Amanda_Crew", 1));
        AssertOneLineError(r, "synthetic-bench");
        Assert.Contains("mobilefacenet-128", r.Stderr);
        var v = Face("verify", "--id", "bench-0000001", Pins("Amanda_Crew", 1));
        AssertOneLineError(v, "synthetic-bench");
        Assert.Contains("mobilefacenet-128", v.Stderr);
        Assert.Contains("needs re-enrolment: 'bench-0000002'", Status().Stdout);
        // Re-enrolment with the current model clears it.
        Assert.Equal(0, Face("gallery", "add", "bench-0000002", Pins("Amanda_Crew", 1), "--replace").ExitCode);
        Assert.DoesNotContain("needs re-enrolment: 'bench-0000002'", Status().Stdout);
    }
}
