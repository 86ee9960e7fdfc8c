using System.Text.Json;
using EdgeFace.TestSupport;
using EdgeFace.Trainer.Kernels;

namespace EdgeFace.Trainer.Tests.Bench;

/// <summary>The bench commands through the real <c>edgeface-train</c> process, against the real ONNX Runtime.</summary>
[Trait("Category", "Bench")]
public sealed class BenchCommandTests
{
    [Fact]
    public void Gemm_bench_reports_every_supported_path_and_agrees_with_onnxruntime()
    {
        var r = CliProcess.Run("edgeface-train", ["bench", "gemm", "--m", "70", "--n", "65", "--k", "33", "--threads", "2", "--seconds", "0.05", "--json"]);
        Assert.True(r.ExitCode == 0, r.ToString());
        using var doc = JsonDocument.Parse(r.Stdout);
        var root = doc.RootElement;
        Assert.Equal(2, root.GetProperty("threads").GetInt32());
        Assert.Equal(Gemm.Selected.ToString(), root.GetProperty("selected").GetString());
        var shape = Assert.Single(root.GetProperty("shapes").EnumerateArray());
        Assert.Equal(70, shape.GetProperty("m").GetInt32());
        var gflops = shape.GetProperty("gflops");
        foreach (var path in KernelPaths.Supported.Where(p => p != KernelPath.Scalar))
            Assert.True(gflops.GetProperty(path.ToString()).GetDouble() > 0, path.ToString());
        Assert.True(shape.GetProperty("onnxruntimeGflops").GetDouble() > 0);
        Assert.True(shape.GetProperty("ratioToOnnxRuntime").GetDouble() > 0);
        Assert.True(shape.GetProperty("maxDifferenceToOnnxRuntime").GetDouble() < 1e-4, r.Stdout);
    }

    [Fact]
    public void Gemm_bench_follows_the_runtime_isa_switches()
    {
        var r = CliProcess.Run("edgeface-train", ["bench", "gemm", "--m", "8", "--n", "8", "--k", "8", "--threads", "1", "--seconds", "0.02", "--json"],
            new Dictionary<string, string> { ["DOTNET_EnableAVX512"] = "0" });
        Assert.True(r.ExitCode == 0, r.ToString());
        using var doc = JsonDocument.Parse(r.Stdout);
        Assert.NotEqual("Avx512", doc.RootElement.GetProperty("selected").GetString());
        var gflops = doc.RootElement.GetProperty("shapes")[0].GetProperty("gflops");
        Assert.False(gflops.TryGetProperty("Avx512", out _));
    }

    [Fact]
    public void Conv_bench_times_every_layer_without_allocating()
    {
        var r = CliProcess.Run("edgeface-train", ["bench", "conv", "--batch", "1", "--threads", "2", "--seconds", "0.03", "--json"]);
        Assert.True(r.ExitCode == 0, r.ToString());
        using var doc = JsonDocument.Parse(r.Stdout);
        var layers = doc.RootElement.GetProperty("layers").EnumerateArray().ToList();
        Assert.Contains(layers, l => l.GetProperty("layer").GetString()!.StartsWith("gdconv"));
        Assert.Contains(layers, l => l.GetProperty("layer").GetString()!.StartsWith("signet"));
        foreach (var l in layers)
        {
            Assert.True(l.GetProperty("forwardMs").GetDouble() > 0);
            Assert.True(l.GetProperty("backwardWeightMs").GetDouble() > 0);
            Assert.True(l.GetProperty("onnxruntimeForwardMs").GetDouble() > 0);
            Assert.Equal(0, l.GetProperty("bytesAllocatedPerStep").GetInt64());
        }
    }

    [Fact]
    public void Training_bench_reports_images_per_second_and_a_per_op_profile()
    {
        var r = CliProcess.Run("edgeface-train", ["bench", "--arch", "signet-lite", "--batch", "8", "--threads", "2", "--warmup", "1",
            "--iters", "1", "--min-seconds", "0", "--repeats", "1", "--profile", "2", "--json"]);
        Assert.True(r.ExitCode == 0, r.ToString());
        using var doc = JsonDocument.Parse(r.Stdout);
        var root = doc.RootElement;
        Assert.True(root.GetProperty("train_images_per_second").GetDouble() > 0);
        var profile = root.GetProperty("profile");
        Assert.Equal(2, profile.GetProperty("steps").GetInt32());
        var ops = profile.GetProperty("ops").EnumerateArray().ToList();
        // SigNet: 4 convolutions, 3 max-pools, 2 linear layers, each timed both ways.
        Assert.Equal(4, ops.Count(o => o.GetProperty("op").GetString() == "Conv2d"));
        Assert.Equal(3, ops.Count(o => o.GetProperty("op").GetString() == "MaxPool2d"));
        Assert.All(ops.Where(o => o.GetProperty("op").GetString() == "Conv2d"), o =>
        {
            Assert.True(o.GetProperty("forward_ms").GetDouble() > 0);
            Assert.True(o.GetProperty("backward_ms").GetDouble() > 0);
        });
        var covered = ops.Sum(o => o.GetProperty("forward_ms").GetDouble() + o.GetProperty("backward_ms").GetDouble());
        Assert.InRange(covered, 0, profile.GetProperty("step_ms").GetDouble() * 1.001);
    }

    [Theory]
    [InlineData("--threads", "0", "--threads")]
    [InlineData("--m", "abc", "--m")]
    [InlineData("--k", "-3", "--k")]
    [InlineData("--seconds", "0", "--seconds")]
    [InlineData("--bogus", "1", "unknown option --bogus")]
    public void Bad_gemm_options_fail_with_one_line(string option, string value, string mention)
    {
        var r = CliProcess.Run("edgeface-train", ["bench", "gemm", option, value]);
        Assert.Equal(2, r.ExitCode);
        var line = Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(mention, line);
        Assert.DoesNotContain("   at ", r.Stderr);
    }

    [Fact]
    public void Conv_bench_layer_option_keeps_the_matching_layers()
    {
        var r = CliProcess.Run("edgeface-train", ["bench", "conv", "--batch", "1", "--seconds", "0.03", "--layer", "ResNet", "--json"]);
        Assert.True(r.ExitCode == 0, r.ToString());
        using var doc = JsonDocument.Parse(r.Stdout);
        var names = doc.RootElement.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("layer").GetString()).ToList();
        Assert.Equal(["resnet stem 7x7 s2", "resnet 3x3 128", "resnet 3x3 256", "resnet 3x3 512"], names);
    }

    [Fact]
    public void Conv_bench_layer_that_matches_nothing_fails_with_one_line()
    {
        var r = CliProcess.Run("edgeface-train", ["bench", "conv", "--layer", "vgg"]);
        Assert.Equal(2, r.ExitCode);
        var line = Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("--layer 'vgg' matches no layer", line);
        Assert.Contains("signet 5x5", line);
    }

    [Fact]
    public void Bad_conv_batch_fails_with_one_line()
    {
        var r = CliProcess.Run("edgeface-train", ["bench", "conv", "--batch", "0"]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--batch", Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }
}
