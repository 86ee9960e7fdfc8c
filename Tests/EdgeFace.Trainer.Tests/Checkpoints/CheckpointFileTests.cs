using System.Text;
using EdgeFace.Runtime;
using EdgeFace.TestSupport;
using EdgeFace.Trainer.Checkpoints;

namespace EdgeFace.Trainer.Tests.Checkpoints;

public sealed class CheckpointFileTests
{
    private static Checkpoint Sample(int seed, int parameterCount = 10_000)
    {
        var rng = new Random(seed);
        float[] Buffer(int n) => Enumerable.Range(0, n).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray();
        return new Checkpoint
        {
            ConfigJson = $$"""{"arch":"mobilefacenet","loss":"arcface","lr":0.1,"note":"Zoë ✓ {{seed}}"}""",
            Step = 123_456_789_012 + seed,
            Epoch = 7 + seed,
            Parameters = Buffer(parameterCount),
            OptimizerState = new Dictionary<string, ReadOnlyMemory<float>>
            {
                ["adam.v"] = Buffer(parameterCount),
                ["adam.m"] = Buffer(parameterCount),
            },
            Blobs = new Dictionary<string, byte[]>
            {
                ["sampler"] = [1, 2, 3, (byte)seed],
                ["rng"] = Encoding.ASCII.GetBytes("state"),
                ["empty"] = [],
            },
        };
    }

    private static void AssertSame(Checkpoint expected, Checkpoint actual)
    {
        Assert.Equal(expected.ConfigJson, actual.ConfigJson);
        Assert.Equal(expected.Step, actual.Step);
        Assert.Equal(expected.Epoch, actual.Epoch);
        Assert.Equal(expected.Parameters.ToArray(), actual.Parameters.ToArray());
        Assert.Equal(expected.OptimizerState.Keys.Order(), actual.OptimizerState.Keys.Order());
        foreach (var (name, data) in expected.OptimizerState) Assert.Equal(data.ToArray(), actual.OptimizerState[name].ToArray());
        Assert.Equal(expected.Blobs.Keys.Order(), actual.Blobs.Keys.Order());
        foreach (var (name, data) in expected.Blobs) Assert.Equal(data, actual.Blobs[name]);
    }

    private static byte[] Encode(Checkpoint c)
    {
        using var ms = new MemoryStream();
        CheckpointFile.Write(ms, c);
        return ms.ToArray();
    }

    [Fact]
    public void Round_trip_through_a_file_preserves_everything()
    {
        using var dir = new TempDir();
        var path = dir.File("run.ckpt");
        var original = Sample(1);
        CheckpointFile.Save(path, original);
        Assert.False(File.Exists(path + ".tmp"));
        AssertSame(original, CheckpointFile.Load(path));
        Assert.Equal(Encode(original), File.ReadAllBytes(path));
    }

    [Fact]
    public void Empty_buffers_round_trip_and_equal_checkpoints_encode_identically()
    {
        var empty = new Checkpoint { ConfigJson = "", Parameters = ReadOnlyMemory<float>.Empty };
        AssertSame(empty, CheckpointFile.Read(Encode(empty), "mem"));
        Assert.Equal(Encode(Sample(3)), Encode(Sample(3)));
        Assert.Equal(CheckpointFile.HeaderSize + CheckpointFile.TrailerSize + 4 + 8 + 4 + 8 + 4 + 4, Encode(empty).Length);
    }

    [Fact]
    public void Saving_again_replaces_the_previous_checkpoint()
    {
        using var dir = new TempDir();
        var path = dir.File("run.ckpt");
        CheckpointFile.Save(path, Sample(1));
        var second = Sample(2, 500);
        CheckpointFile.Save(path, second);
        AssertSame(second, CheckpointFile.Load(path));
        Assert.Equal(["run.ckpt"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData(9)]        // version
    [InlineData(14)]       // reserved header field
    [InlineData(30)]       // config text
    [InlineData(5_000)]    // parameter data
    [InlineData(-5)]       // checksum trailer
    public void A_flipped_byte_is_detected(int offset)
    {
        using var dir = new TempDir();
        var path = dir.File("run.ckpt");
        CheckpointFile.Save(path, Sample(1));
        var bytes = File.ReadAllBytes(path);
        bytes[offset >= 0 ? offset : bytes.Length + offset] ^= 0x10;
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<EdgeFaceException>(() => CheckpointFile.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Matches("corrupt|version", e.Message);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(20)]
    [InlineData(100)]
    [InlineData(-1)]
    public void A_truncated_file_is_reported_as_truncated(int keep)
    {
        using var dir = new TempDir();
        var path = dir.File("run.ckpt");
        CheckpointFile.Save(path, Sample(1));
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(keep >= 0 ? keep : bytes.Length + keep)]);
        var e = Assert.Throws<EdgeFaceException>(() => CheckpointFile.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Matches(keep < 8 && keep >= 0 ? "not an EdgeFace checkpoint" : "truncated", e.Message);
    }

    [Fact]
    public void Missing_and_foreign_files_get_clear_errors()
    {
        using var dir = new TempDir();
        var missing = dir.File("nope.ckpt");
        Assert.Equal($"checkpoint not found: {missing}", Assert.Throws<EdgeFaceException>(() => CheckpointFile.Load(missing)).Message);
        var text = dir.File("config.json");
        File.WriteAllText(text, """{"this":"is json, not a checkpoint"}""");
        Assert.Contains("not an EdgeFace checkpoint", Assert.Throws<EdgeFaceException>(() => CheckpointFile.Load(text)).Message);
    }

    [Fact]
    public void Disk_full_midway_leaves_the_previous_checkpoint_intact()
    {
        using var dir = new TempDir();
        var path = dir.File("run.ckpt");
        var previous = Sample(1);
        CheckpointFile.Save(path, previous);
        var before = File.ReadAllBytes(path);

        const int enospc = 28;
        var e = Assert.Throws<EdgeFaceException>(() => CheckpointFile.Save(path, Sample(2), tmp =>
            new FailingStream(new FileStream(tmp, FileMode.Create), failAfter: 20_000, new IOException("No space left on device", enospc))));
        Assert.StartsWith($"disk full while writing {Path.GetFullPath(path)}", e.Message);

        Assert.Equal(before, File.ReadAllBytes(path));
        AssertSame(previous, CheckpointFile.Load(path));
        Assert.False(File.Exists(path + ".tmp"), "the half-written temp file must be removed");
    }

    [Fact]
    public void Other_write_failures_name_the_file_and_keep_the_previous_checkpoint()
    {
        using var dir = new TempDir();
        var path = dir.File("run.ckpt");
        CheckpointFile.Save(path, Sample(1));
        var before = File.ReadAllBytes(path);
        var e = Assert.Throws<EdgeFaceException>(() => CheckpointFile.Save(path, Sample(2), tmp =>
            new FailingStream(new FileStream(tmp, FileMode.Create), failAfter: 100, new IOException("Input/output error", 5))));
        Assert.Contains($"cannot write checkpoint {Path.GetFullPath(path)}", e.Message);
        Assert.Equal(before, File.ReadAllBytes(path));

        var noFolder = Path.Combine(dir.Path, "missing", "run.ckpt");
        Assert.Contains(noFolder, Assert.Throws<EdgeFaceException>(() => CheckpointFile.Save(noFolder, Sample(1))).Message);
    }

    /// <summary>A file stream that throws a chosen exception once more than <c>failAfter</c> bytes were written.</summary>
    private sealed class FailingStream(Stream inner, long failAfter, Exception failure) : Stream
    {
        private long _written;
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _written;
        public override long Position { get => _written; set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));
        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (_written + buffer.Length > failAfter)
            {
                var fits = (int)(failAfter - _written);
                inner.Write(buffer[..fits]); // the part that "made it" before the disk filled up
                _written = failAfter;
                throw failure;
            }
            inner.Write(buffer);
            _written += buffer.Length;
        }
        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
